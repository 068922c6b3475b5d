"""`${NAME}` in the two kinds of value that may carry a secret: webhook URLs and lead CSV paths.
Nowhere else: a subject or body is text as written.

Every value taken from the environment is registered with the redaction module, so plans and
every other output show `${NAME}`, never the value. The tool's own credentials
(SMARTLEAD_API_KEY, GITHUB_TOKEN) cannot be interpolated at all: a campaign file comes from
whoever opens a pull request."""

from __future__ import annotations

import re
from collections.abc import Mapping

from smartlead_sync.desired.positions import Pos, PosDict, PosList
from smartlead_sync.errors import Problem
from smartlead_sync.redaction import CREDENTIAL_VARIABLES, register_secret

_UNSET_URL = "https://environment-variable-not-set.invalid/"
_REFERENCE = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{")


def interpolate_env(env: Mapping[str, str], problems: list[Problem], doc: PosDict) -> None:
    """Expand `${NAME}` in place in one file's document. `$${` writes a literal `${`."""
    for container, key in _env_fields(doc):
        value = container[key]
        if isinstance(value, str) and "${" in value:
            found = len(problems)
            container[key] = expand(value, env, problems, container.value_pos[key])
            if key == "url" and len(problems) > found:
                # The unset variable is reported; a stand-in URL lets the rest of the file be
                # checked too, instead of stopping at "not an http(s) URL".
                container[key] = _UNSET_URL


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
        if name in CREDENTIAL_VARIABLES or _holds_credential(env.get(name), env):
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


def _holds_credential(value: str | None, env: Mapping[str, str]) -> bool:
    """Whether `value` carries the value of a credential variable (under another name)."""
    if not value:
        return False
    return any(env.get(name) and env[name].strip() in value for name in CREDENTIAL_VARIABLES)


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
