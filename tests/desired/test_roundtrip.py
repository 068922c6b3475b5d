"""Property: any campaign file the schema accepts survives writer -> YAML -> loader unchanged."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartlead_sync.desired import load_project
from smartlead_sync.desired.models import (
    DAY_NAMES,
    VARIANT_LABELS,
    CampaignFile,
    DesiredStatus,
    InlineLead,
    LeadsModel,
    LeadSourceModel,
    OutOfOfficeModel,
    ScheduleModel,
    SettingsModel,
    StepModel,
    UploadModel,
    VariantModel,
    WebhookEvent,
    WebhookModel,
)
from smartlead_sync.desired.writer import dump_campaign
from smartlead_sync.state import STANDARD_LEAD_FIELDS, OtherCampaignDuplicates, StopOn

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
# Names and subjects are one line of plain text: no control characters (category Cc).
line = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40)
word = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=20)
ints = st.integers(min_value=0, max_value=2**40)
optional_bool = st.none() | st.booleans()


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def schedules(draw: st.DrawFn) -> ScheduleModel:
    times = draw(st.lists(st.integers(0, 24 * 60 - 1), min_size=2, max_size=2, unique=True))
    start, end = sorted(f"{t // 60:02d}:{t % 60:02d}" for t in times)
    return ScheduleModel(
        timezone=draw(st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"])),
        days=tuple(draw(st.lists(st.sampled_from(DAY_NAMES), min_size=1, unique=True))),
        start=start,
        end=end,
        minutes_between_emails=draw(st.integers(1, 1440)),
        max_new_leads_per_day=draw(st.integers(1, 10_000)),
        start_at=draw(optional(st.datetimes().map(lambda d: d.isoformat()))),
    )


settings_models = st.builds(
    SettingsModel,
    track=optional(
        st.lists(st.sampled_from(["opens", "clicks", "replies"]), unique=True).map(tuple)
    ),
    stop_on=optional(st.sampled_from(list(StopOn))),
    plain_text=optional_bool,
    follow_up_percentage=optional(st.integers(0, 100)),
    unsubscribe_text=optional(text),
    ai_esp_matching=optional_bool,
    force_plain_text=optional_bool,
    bounce_autopause_threshold=optional(text),
    out_of_office=optional(
        st.builds(
            OutOfOfficeModel,
            ignore_as_reply=optional_bool,
            reactivate_after_days=optional(st.integers(0, 30)),
        )
    ),
    ai_categorisation_options=optional(st.lists(ints, max_size=3).map(tuple)),
)


def bodies() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(lambda b: {"body": b}, text), st.builds(lambda f: {"body_file": f}, word)
    )


@st.composite
def steps(draw: st.DrawFn) -> StepModel:
    delay = draw(st.integers(0, 365))
    if draw(st.booleans()):
        return StepModel(delay_days=delay, subject=draw(optional(line)), **draw(bodies()))
    labels = draw(st.lists(st.sampled_from(VARIANT_LABELS), min_size=1, max_size=4, unique=True))
    percentages: list[int | None] = [None] * len(labels)
    if draw(st.booleans()):
        cuts = sorted(
            draw(st.lists(st.integers(0, 100), min_size=len(labels) - 1, max_size=len(labels) - 1))
        )
        bounds = [0, *cuts, 100]
        percentages = [b - a for a, b in itertools.pairwise(bounds)]
    variants = tuple(
        VariantModel(label=label, subject=draw(line), percentage=pct, **draw(bodies()))
        for label, pct in zip(labels, percentages, strict=True)
    )
    return StepModel(
        delay_days=delay,
        variants=variants,
        lead_distribution_percentage=draw(optional(st.integers(0, 100))),
    )


webhooks = st.builds(
    WebhookModel,
    name=word,
    url=st.sampled_from(["", "/a?b=${TOKEN}", "/$${x}", "/p q"]).map(
        lambda tail: "https://hooks.example.com" + tail
    ),
    events=st.lists(st.sampled_from(list(WebhookEvent)), min_size=1, unique=True).map(tuple),
    categories=st.lists(word, max_size=3).map(tuple),
)

inline_leads = st.builds(
    InlineLead,
    email=text,
    first_name=optional(text),
    phone_number=optional(text),
    custom_fields=st.dictionaries(word, text, max_size=3),
)

lead_sources = st.one_of(
    st.builds(
        LeadSourceModel,
        csv=word,
        columns=st.dictionaries(st.sampled_from(STANDARD_LEAD_FIELDS), word, max_size=3),
        custom_fields=optional(st.lists(word, max_size=3).map(tuple)),
        delimiter=st.sampled_from([",", ";", "\t", "|"]),
    ),
    st.builds(LeadSourceModel, inline=st.lists(inline_leads, max_size=3).map(tuple)),
)

leads_models = st.builds(
    LeadsModel,
    sources=st.lists(lead_sources, max_size=3).map(tuple),
    upload=st.builds(
        UploadModel,
        ignore_global_block_list=st.booleans(),
        other_campaign_duplicates=st.sampled_from(list(OtherCampaignDuplicates)),
    ),
    prune=st.booleans(),
    allow_blank=st.lists(word, max_size=3).map(tuple),
)

campaign_files = st.builds(
    CampaignFile,
    name=word,
    client_id=optional(st.integers(min_value=1, max_value=2**40)),
    id=optional(st.integers(min_value=1, max_value=2**40)),
    previous_names=st.lists(word, max_size=2).map(tuple),
    status=optional(st.sampled_from(list(DesiredStatus))),
    allow_stop=st.booleans(),
    delete=st.booleans(),
    schedule=optional(schedules()),
    settings=optional(settings_models),
    sequence=optional(st.lists(steps(), max_size=4).map(tuple)),
    mailboxes=optional(st.lists(word, max_size=3).map(tuple)),
    webhooks=optional(st.lists(webhooks, max_size=2).map(tuple)),
    leads=optional(leads_models),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(campaign_files)
def test_campaign_file_round_trips_through_yaml(model: CampaignFile) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "campaign.yaml").write_text(dump_campaign(model), encoding="utf-8")
        project, problems = load_project(root, env={"TOKEN": "expanded"})
        source = project.sources.get("campaign.yaml")
        assert source is not None, [p.render() for p in problems]
        assert source.model == model
