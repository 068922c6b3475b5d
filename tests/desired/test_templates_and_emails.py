"""Template scanning (variables, sender tokens, spintax) and the fast email check."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from smartlead_sync.desired.emails import EmailChecker
from smartlead_sync.desired.templates import scan
from smartlead_sync.errors import Severity


def test_variables_with_their_offsets_and_builtins_skipped() -> None:
    result = scan("Hi {{first_name}}, {{Job Title}} on {{sl_day_of_week}}", body=False)
    assert result.variables == [("first_name", 3), ("Job Title", 19)]
    assert result.findings == []


def test_sender_tokens_known_unknown_and_percent_encoding() -> None:
    result = scan("%signature% %sender-title% 50% off <a href='x?q=%e2%80%99'>")
    assert [(f.message, f.severity) for f in result.findings] == [
        ("unknown sender token %sender-title%", Severity.WARNING)
    ]


def test_css_braces_are_not_spintax_but_unbalanced_ones_are() -> None:
    assert scan("<style>p { color: red; }</style>").findings == []
    assert [f.message for f in scan("a } b").findings] == ["`}` closes no spintax group"]


def test_spintax_must_not_hold_a_variable_and_body_must_not_start_with_it() -> None:
    messages = [f.message for f in scan("{Hi {{first_name}}|Hello} there").findings]
    assert any("spintax group contains" in m for m in messages)
    assert any("starts with spintax" in m for m in messages)
    assert not any(
        "starts with spintax" in f.message for f in scan("{Hi|Hey}", body=False).findings
    )


addresses = st.one_of(
    st.emails().map(str),
    st.text(st.sampled_from("ab.@-_+\"' é1"), max_size=20),
    st.builds(
        lambda local, domain: f"{local}@{domain}",
        st.text(st.sampled_from("ab.-_+1é"), min_size=0, max_size=8),
        st.sampled_from(
            ["example.com", "example..com", "-a.example.org", "ex ample.net", "b", "x.test"]
        ),
    ),
)


@settings(max_examples=300, deadline=None)
@given(addresses)
def test_fast_email_check_agrees_with_the_validator(address: str) -> None:
    try:
        validate_email(address, check_deliverability=False)
        valid = True
    except EmailNotValidError:
        valid = False
    assert (EmailChecker().problem(address) is None) == valid


@pytest.mark.parametrize(
    "email",
    [
        "a@b.com",
        "a+tag@x.com",
        "o'neil@x.com",
        "first.last.name@x.co",
        "a..b@x.com",
        ".a@x.com",
        "a.@x.com",
        "a" * 64 + "@x.com",
        "a" * 65 + "@x.com",
        "a b@x.com",
        "a@b",
        "x@-a.com",
        "{weird}|~@x.com",
    ],
)
def test_the_fast_path_agrees_with_the_library(email: str) -> None:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email, check_deliverability=False)
        valid = True
    except EmailNotValidError:
        valid = False
    assert (EmailChecker().problem(email) is None) is valid


@settings(max_examples=300, deadline=None)
@given(addresses, st.sampled_from(["warm", "a" * 65, "x y"]))
def test_an_address_on_a_domain_already_seen_gets_the_same_answer(
    address: str, other_local: str
) -> None:
    checker = EmailChecker()
    domain = address.rpartition("@")[2]
    checker.problem(f"{other_local}@{domain}")  # the domain's verdict is cached from here on
    fresh = EmailChecker().problem(address)
    assert checker.problem(address) == fresh
    assert checker.problem(address) == fresh


@pytest.mark.parametrize(
    "email",
    ["b@X.Example.COM", "a" * 64 + "@x.example.com", "a" * 65 + "@x.example.com", "a..b@x.com"],
)
def test_the_cached_domain_path_agrees_with_the_library(email: str) -> None:
    checker = EmailChecker()
    checker.problem("warm@" + email.rpartition("@")[2])
    assert checker.problem(email) == EmailChecker().problem(email)
    assert (checker.problem(email) is None) is (EmailChecker().problem(email) is None)
