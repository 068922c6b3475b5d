"""`${NAME}` in the two kinds of value that may carry a secret: webhook URLs and lead CSV paths.
Nowhere else: a subject or body is text as written.

Every value taken from the environment is registered with the redaction module, so plans and
every other output show `${NAME}`, never the value. The tool's own credentials
(SMARTLEAD_API_KEY, GITHUB_TOKEN) cannot reach Smartlead through a campaign file at all: a
campaign file comes from whoever opens a pull request. Not as a reference, not through another
variable holding the same value, and not as the result: every text of a file, after
interpolation, is searched for their values in every form redaction knows, so pieces joined
from several variables or a key typed in literally are refused too (`credential_problems`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from smartlead_sync.desired.positions import Pos, PosDict, PosList
from smartlead_sync.errors import Problem
from smartlead_sync.redaction import CREDENTIAL_VARIABLES, register_secret, written_as

_UNSET_URL = "https://environment-variable-not-set.invalid/"
_REFERENCE = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{")


def interpolate_env(env: Mapping[str, str], problems: list[Problem], doc: PosDict) -> None:
    """Expand `${NAME}` in place in one file's document. `$${` writes a literal `${`. Then
    refuse every value that carries a credential (see `credential_problems`)."""
    for container, key in _env_fields(doc):
        value = container[key]
        if isinstance(value, str) and "${" in value:
            found = len(problems)
            container[key] = expand(value, env, problems, container.value_pos[key])
            if key == "url" and len(problems) > found:
                # The unset variable is reported; a stand-in URL lets the rest of the file be
                # checked too, instead of stopping at "not an http(s) URL".
                container[key] = _UNSET_URL
    problems += credential_problems(doc, env)


def credential_in(text: str, env: Mapping[str, str]) -> tuple[str, int] | None:
    """The credential variable whose value `text` carries (as is, in any case, URL-, HTML- or
    JSON-escaped) and where it starts; None when it carries none."""
    for name in CREDENTIAL_VARIABLES:
        value = (env.get(name) or "").strip()
        found = written_as(value).search(text) if value else None
        if found:
            return name, found.start()
    return None


def credential_problems(doc: PosDict, env: Mapping[str, str]) -> list[Problem]:
    """An error for each text of `doc` that carries a credential's value, naming the field and
    the variable, never the value: whatever wrote it there (typed in, one variable, pieces
    joined from several), apply would send it to Smartlead."""
    if not any((env.get(name) or "").strip() for name in CREDENTIAL_VARIABLES):
        return []
    problems: list[Problem] = []
    for path, text, pos in _texts(doc, ""):
        found = credential_in(text, env)
        if found is not None:
            problems.append(credential_problem(path, found[0], pos))
    return problems


def credential_problem(field: str, variable: str, pos: Pos) -> Problem:
    return pos.problem(
        f"{field} holds the value of {variable}, a credential of smartlead-sync itself; apply "
        "would send it to Smartlead",
        code="credential-value",
        hint=f"remove it: {variable} may not be written into a campaign, whole or in pieces",
    )


def _texts(node: PosDict | PosList, path: str) -> Iterator[tuple[str, str, Pos]]:
    """(field path, text, position) of every string in a document, keys included."""
    items = node.items() if isinstance(node, PosDict) else enumerate(node)
    for key, value in items:
        if isinstance(node, PosDict):
            at, field = node.value_pos[key], f"{path}.{key}" if path else str(key)
            if isinstance(key, str):
                yield field, key, node.key_pos[key]
        else:
            at, field = node.item_pos[key], f"{path}[{key}]"
        if isinstance(value, str):
            yield field, value, at
        elif isinstance(value, (PosDict, PosList)):
            yield from _texts(value, field)


def expand(value: str, env: Mapping[str, str], problems: list[Problem], pos: Pos) -> str:
    def one(match: re.Match[str]) -> str:
        text = match.group(0)
        if text == "$${":
            return "${"
        name = match.group(1)
        if name is None:
            problems.append(
                pos.problem("`${` must be followed by NAME}", hint="write `$${` for a literal `${`")
            )
            return text
        if name in CREDENTIAL_VARIABLES or credential_in(env.get(name) or "", env):
            problems.append(
                pos.problem(
                    f"${{{name}}} holds a credential of smartlead-sync itself and cannot be used "
                    "in a campaign file",
                    code="credential-env",
                    hint="a plan would carry it into pull-request comments; give the value a "
                    "variable of its own (${CRM_WEBHOOK_URL} in a webhook URL, ${LEADS_DIR} "
                    "in a lead file path)",
                )
            )
            return text
        if name not in env:
            problems.append(
                pos.problem(
                    f"environment variable {name} is not set",
                    code="missing-env",
                    hint=f"export {name}=... before running (in CI: the job's `env:`)",
                )
            )
            return text
        # The real value is compared by diffs; every output shows the reference instead.
        register_secret(env[name], shown_as=f"${{{name}}}")
        return env[name]

    return _REFERENCE.sub(one, value)


def _env_fields(doc: PosDict) -> list[tuple[PosDict, str]]:
    fields: list[tuple[PosDict, str]] = []
    webhooks = doc.get("webhooks")
    for hook in webhooks if isinstance(webhooks, PosList) else ():
        if isinstance(hook, PosDict) and "url" in hook:
            fields.append((hook, "url"))
    leads = doc.get("leads")
    sources = leads.get("sources") if isinstance(leads, PosDict) else None
    for source in sources if isinstance(sources, PosList) else ():
        if isinstance(source, PosDict) and "csv" in source:
            fields.append((source, "csv"))
    return fields
