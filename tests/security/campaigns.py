"""Campaign files for the security tests: one valid campaign, with a hole for the field under
test (a webhook URL, a body file, a lead file, a template)."""

from __future__ import annotations


def campaign(
    name: str = "Hostile",
    *,
    url: str = "https://hooks.example.com/plain",
    body: str = "body: <p>Hello</p>",
    leads: str = "",
    extends: str = "",
    subject: str = '"Hi"',
) -> str:
    text = f"name: {name}\nstatus: drafted\n"
    if extends:
        text += f"extends: {extends}\n"
    text += (
        "sequence:\n"
        "  - delay_days: 0\n"
        f"    subject: {subject}\n"
        f"    {body}\n"
        "webhooks:\n"
        "  - name: crm\n"
        f"    url: {url}\n"
        "    events: [EMAIL_REPLY]\n"
        "    categories: [Interested]\n"
    )
    if leads:
        text += f"leads:\n  sources:\n    - csv: {leads}\n"
    return text
