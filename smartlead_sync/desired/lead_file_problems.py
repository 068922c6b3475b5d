"""What is wrong with a lead file that cannot be read as CSV, said so that a person can fix it."""

from __future__ import annotations

import codecs
import csv

from smartlead_sync.errors import Problem


def decode_lead_file(data: bytes, display: str) -> str | Problem:
    """The text of a lead file, or what is wrong with its encoding and how to fix it."""
    save_as = 'save it from the spreadsheet as "CSV UTF-8"'
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        message = 'UTF-16 text (Excel\'s "Unicode Text"), not UTF-8'
        return Problem(message, display, code="broken-csv", hint=save_as)
    if b"\x00" in data[:65536]:
        hint = f"a spreadsheet (.xlsx, .numbers) is not CSV: {save_as}"
        return Problem("binary file, not CSV text", display, code="broken-csv", hint=hint)
    try:
        return data.decode("utf-8-sig")  # a BOM, as Excel writes it, is not part of the header
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = (
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} in this line; "
            "probably Latin-1 or Windows-1252)"
        )
        return Problem(message, display, line, code="broken-csv", hint=save_as)


def broken_csv(exc: csv.Error, display: str, line: int) -> Problem:
    if "unexpected end of data" in str(exc):  # the file ended inside quotes
        return Problem(
            "broken CSV: a quoted field starting in this row is never closed",
            display,
            line,
            code="broken-csv",
            hint='close the quote, or double a quote inside a quoted field ("")',
        )
    return Problem(f"broken CSV: {exc}", display, line, code="broken-csv")


def no_email_hint(names: list[str], delimiter: str) -> str:
    """When the whole header is one cell, the file is probably split by another character."""
    if len(names) == 1:
        for char, shown in ((";", ";"), ("\t", "\\t"), ("|", "|"), (",", ",")):
            if char in names[0] and char != delimiter:
                add = f'add `delimiter: "{shown}"` to this source'
                return f"the header looks split by `{shown}`: {add}"
    return "name a column `email` or map one with `columns: {email: <header>}`"
