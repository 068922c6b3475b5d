"""Email syntax checks with `email-validator`, fast enough for a million leads.

Validating a domain (IDNA rules) is the expensive part of `validate_email` and lead lists repeat
domains heavily, so for plain ASCII addresses the domain verdict is cached and only the local
part is checked per address: by one regex for the common dot-atom, else with the library's own
local-part rules. Anything unusual goes through the full `validate_email`, which also supplies
the error message.
"""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import EMAIL_MAX_LENGTH
from email_validator.syntax import validate_email_local_part

_SIMPLE = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+\Z")
# An ASCII dot-atom local part (RFC 5322 atext, single dots inside): valid for the library too,
# so the common address needs no library call beyond its cached domain verdict.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*\Z")
# Both of the above in one match: the common address, with its domain as a group.
_COMMON = re.compile(rf"(?:{_ATEXT}(?:\.{_ATEXT})*)@([A-Za-z0-9.-]+)\Z")
_LOCAL_MAX_LENGTH = 64


class EmailChecker:
    """`problem(email)` is None for a valid address, else the validator's reason."""

    def __init__(self) -> None:
        self._domains: dict[str, str | None] = {}  # lower-cased domain -> verdict
        self._valid_as_written: set[str] = set()  # domains, as written, with no verdict

    def problem(self, email: str) -> str | None:
        # One regex match and one lookup for the common address (it runs once per lead);
        # whatever it does not settle takes the general path below.
        common = _COMMON.match(email)
        if (
            common is not None
            and len(email) <= EMAIL_MAX_LENGTH
            and common.start(1) <= _LOCAL_MAX_LENGTH + 1
            and common[1] in self._valid_as_written
        ):
            return None
        return self._general(email)

    def _general(self, email: str) -> str | None:
        if _SIMPLE.match(email) and len(email) <= EMAIL_MAX_LENGTH:
            local, domain = email.rsplit("@", 1)
            verdict = self._domain(domain.lower())
            if verdict is None:
                self._valid_as_written.add(domain)
                if self._local_ok(local):
                    return None
        return _full(email)

    def _domain(self, domain: str) -> str | None:
        if domain not in self._domains:
            self._domains[domain] = _full(f"postmaster@{domain}")
        return self._domains[domain]

    @staticmethod
    def _local_ok(local: str) -> bool:
        if len(local) <= _LOCAL_MAX_LENGTH and _DOT_ATOM.match(local):
            return True
        try:
            validate_email_local_part(
                local, allow_smtputf8=True, allow_empty_local=False, quoted_local_part=False
            )
        except EmailNotValidError:
            return False
        return True


def _full(email: str) -> str | None:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None
