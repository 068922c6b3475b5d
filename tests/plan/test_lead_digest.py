"""The leads digest is sha256 over `repr` of each lead's tuple of fields, in order."""

from __future__ import annotations

import hashlib
from dataclasses import astuple

from hypothesis import given, settings
from hypothesis import strategies as st

from smartlead_sync.plan.fingerprint import leads_digest
from smartlead_sync.state import Lead

texts = st.text(max_size=12)  # quotes, backslashes, non-ASCII, lone surrogates included
optional = st.none() | texts
custom = st.lists(st.tuples(texts, texts), max_size=3).map(tuple)
leads = st.builds(
    Lead,
    email=texts,
    first_name=optional,
    last_name=optional,
    company_name=optional,
    phone_number=optional,
    website=optional,
    location=optional,
    linkedin_profile=optional,
    company_url=optional,
    custom_fields=custom,
    id=st.none() | st.integers(min_value=0, max_value=2**40),
    source=optional,
)


def by_definition(leads: list[Lead]) -> str:
    h = hashlib.sha256()
    for lead in leads:
        h.update(repr(astuple(lead)).encode("utf-8", "surrogatepass"))
    return "sha256:" + h.hexdigest()


@settings(max_examples=200, deadline=None)
@given(st.lists(leads, max_size=6))
def test_the_digest_is_that_of_the_repr_of_each_lead(items: list[Lead]) -> None:
    keyed = {f"{i}": lead for i, lead in enumerate(items)}
    assert leads_digest(keyed) == by_definition(items)


def test_a_long_list_with_repeated_custom_fields_hashes_the_same() -> None:
    shared = (("Job Title", "Head of Growth"), ("pain", "it's slow"))
    items = [
        Lead(f"p{i}@x.com", f"N{i}", None, "Acme", custom_fields=shared if i % 3 else (), id=i)
        for i in range(25_000)
    ]
    assert leads_digest({lead.email: lead for lead in items}) == by_definition(items)


def test_no_leads_and_unmanaged_leads_differ() -> None:
    assert leads_digest(None) is None
    assert leads_digest({}) == "sha256:" + hashlib.sha256(b"").hexdigest()
