"""Problems as GitHub Actions workflow commands, which GitHub shows on the lines of a diff.

Escaping follows GitHub's rules for workflow commands: in the message `%`, CR and LF are
percent-encoded; in a property value `:` and `,` are too, since they separate properties.
"""

from __future__ import annotations

from smartlead_sync.errors import Problem

_MESSAGE_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY_ESCAPES = (*_MESSAGE_ESCAPES, (":", "%3A"), (",", "%2C"))


def _escape(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for raw, encoded in escapes:  # `%` first, so an encoding is never encoded again
        text = text.replace(raw, encoded)
    return text


def annotation(problem: Problem) -> str:
    """`::error file=F,line=L,col=C,title=T::message (hint)` for one problem."""
    properties = {
        "file": problem.file,
        "line": problem.line,
        "col": problem.column,
        "title": f"smartlead-sync: {problem.code}",
    }
    shown = ",".join(
        f"{key}={_escape(str(value), _PROPERTY_ESCAPES)}"
        for key, value in properties.items()
        if value is not None
    )
    message = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
    return f"::{problem.severity.value} {shown}::{_escape(message, _MESSAGE_ESCAPES)}"
