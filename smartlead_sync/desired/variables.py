"""Every `{{variable}}` of every subject and body must resolve for every lead that gets it.

Smartlead has no fallback syntax (smartlead-api.md §10): a lead without the field gets a blank.
So a variable that some lead lacks is an error, unless the campaign lists it under
`leads.allow_blank`, the only escape.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter

from smartlead_sync.desired.models import StepModel, VariantModel
from smartlead_sync.desired.positions import Pos
from smartlead_sync.desired.project import CampaignSource
from smartlead_sync.desired.templates import scan
from smartlead_sync.errors import Problem, Severity
from smartlead_sync.state import STANDARD_LEAD_FIELDS, DesiredCampaign, Lead

FIRST_ROWS = 5
_custom_fields = attrgetter("custom_fields")


@dataclass(frozen=True, slots=True)
class Use:
    """Where a variable is used: file and line (column for one-line values)."""

    file: str
    line: int
    column: int | None

    def problem(
        self,
        message: str,
        *,
        severity: Severity = Severity.ERROR,
        hint: str | None = None,
        code: str = "invalid",
    ) -> Problem:
        return Problem(message, self.file, self.line, self.column, severity, code, hint)


def template_texts(source: CampaignSource) -> Iterator[tuple[str, Pos, bool]]:
    """(text, where it starts, is a body) for every subject and body, variants included."""
    for i, step in enumerate(source.model.sequence or ()):
        items: list[tuple[StepModel | VariantModel, tuple[int | str, ...]]]
        items = [(step, ("sequence", i))]
        if step.variants:
            items = [(v, ("sequence", i, "variants", j)) for j, v in enumerate(step.variants)]
        for item, loc in items:
            if item.subject:
                yield item.subject, source.at(*loc, "subject"), False
            if item.body is not None:
                yield item.body, source.at(*loc, "body"), True
            elif item.body_file is not None and item.body_file in source.bodies:
                body = source.bodies[item.body_file]
                # A whole file: line 0 is "just before line 1" for Pos.line_of.
                yield body.text, Pos(body.path, 0, 1, block=True), True


def check_variables(source: CampaignSource, campaign: DesiredCampaign) -> list[Problem]:
    problems: list[Problem] = []
    used: dict[str, list[Use]] = {}
    for text, pos, is_body in template_texts(source):
        result = scan(text, body=is_body)
        for name, offset in result.variables:
            used.setdefault(name, []).append(_use(pos, text, offset))
        for finding in result.findings:
            problems.append(
                _use(pos, text, finding.offset).problem(
                    finding.message,
                    severity=finding.severity,
                    hint=finding.hint,
                    code="template",
                )
            )
    problems += _against_leads(source, campaign, used)
    problems += _unused_allow_blank(source, campaign, used)
    return problems


def _use(pos: Pos, text: str, offset: int) -> Use:
    return Use(pos.file, pos.line_of(text, offset), None if pos.block else pos.column)


def _custom_field_counts(values: list[Lead]) -> Counter[str]:
    """How many leads have each custom field: when all do, no lead needs to be looked at
    again. Counted per distinct set of custom fields, as leads share them (LeadSet.shared)."""
    have: Counter[str] = Counter()
    for fields, count in Counter(map(_custom_fields, values)).items():
        for key, _ in fields:
            have[key] += count
    return have


def _against_leads(
    source: CampaignSource, campaign: DesiredCampaign, used: dict[str, list[Use]]
) -> list[Problem]:
    leads = source.leads
    if leads is None:
        return [
            uses[0].problem(
                f"cannot check {{{{{name}}}}}: this campaign declares no leads",
                severity=Severity.WARNING,
                code="unchecked-variable",
            )
            for name, uses in used.items()
            if name not in STANDARD_LEAD_FIELDS
        ]
    if leads.unreadable:  # its own error is reported; a field may be in the missing leads
        return []
    values = list(leads.leads.values())
    have = _custom_field_counts(values)
    known = set(STANDARD_LEAD_FIELDS) | set(have)
    problems = []
    for name, uses in used.items():
        if name in campaign.allow_blank or have.get(name) == len(values):
            continue
        if name not in known:
            problems.append(_unknown(name, uses, known))
            continue
        missing = _lacking(values, name)
        if missing:
            rows = ", ".join(lead.source or "?" for lead in missing[:FIRST_ROWS])
            problems.append(
                uses[0].problem(
                    f"{{{{{name}}}}} is blank for {len(missing)} of {len(values)} leads "
                    f"(first: {rows})",
                    hint="fill it in, drop those leads, or add it to leads.allow_blank",
                    code="missing-variable",
                )
            )
    return problems


def _lacking(leads: list[Lead], name: str) -> list[Lead]:
    if name in STANDARD_LEAD_FIELDS:
        return [lead for lead in leads if not getattr(lead, name)]
    return [lead for lead in leads if not any(k == name for k, _ in lead.custom_fields)]


def _unknown(name: str, uses: list[Use], known: set[str]) -> Problem:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    hint = f"did you mean `{close[0]}`?" if close else "no standard or custom field has this name"
    more = f" (used {len(uses)} times)" if len(uses) > 1 else ""
    return uses[0].problem(
        f"unknown variable {{{{{name}}}}}: no lead has this field{more}",
        hint=hint,
        code="unknown-variable",
    )


def _unused_allow_blank(
    source: CampaignSource, campaign: DesiredCampaign, used: dict[str, list[Use]]
) -> list[Problem]:
    return [
        source.at("leads", "allow_blank", i).problem(
            f"allow_blank lists {name!r}, which no subject or body uses",
            severity=Severity.WARNING,
            code="unused-allow-blank",
        )
        for i, name in enumerate(campaign.allow_blank)
        if name not in used
    ]
