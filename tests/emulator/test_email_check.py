"""The import's fast email check must agree with email-validator, which it short-cuts."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from smartlead_sync.emulator.records import valid_email

_LOCAL = st.text(alphabet="abcXYZ019._+-'!", min_size=1, max_size=70)
_LABEL = st.text(alphabet="abz09-", min_size=1, max_size=12)
_DOMAIN = st.lists(_LABEL, min_size=1, max_size=3).map(".".join)
_TLD = st.sampled_from(["com", "io", "test", "local", "c", "x1", "museum", "onion"])


def _library_says(email: str) -> bool:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@settings(max_examples=200, deadline=None)
@given(local=_LOCAL, domain=_DOMAIN, tld=_TLD)
def test_fast_check_agrees_with_email_validator(local: str, domain: str, tld: str) -> None:
    email = f"{local}@{domain}.{tld}"
    valid_email.cache_clear()
    assert valid_email(email) == _library_says(email)


def test_obvious_cases() -> None:
    assert valid_email("ann@acme-example.com")
    assert not valid_email("not-an-email")
    assert not valid_email("a..b@acme-example.com")
    assert not valid_email("ann@printer.local")
    assert valid_email("josé@acme-example.com") == _library_says("josé@acme-example.com")
