"""Masking of lead emails for everything apply writes (journal, report, progress)."""

from __future__ import annotations


def mask_email(email: str) -> str:
    """`john.doe@acme.com` -> `j***@acme.com`; keeps the domain, which is rarely personal."""
    local, at, domain = email.strip().partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain.lower()}"
