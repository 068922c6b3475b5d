"""`import` without a network: live states -> files that load back to the same campaigns."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from smartlead_sync.desired import load_desired
from smartlead_sync.desired.import_campaigns import (
    BODY_FILE_CHARS,
    Declared,
    import_files,
    leads_csv,
    select_campaigns,
    write_files,
)
from smartlead_sync.errors import ConfigError
from smartlead_sync.state import (
    CampaignState,
    CampaignSummary,
    Lead,
    Schedule,
    Status,
    Step,
    Variant,
    Webhook,
)

SUMMARIES = [
    CampaignSummary(11, "Q3 Founders", None, Status.ACTIVE),
    CampaignSummary(12, "SaaS CFOs", 4013, Status.DRAFTED),
    CampaignSummary(13, "Q3 Founders", 4013, Status.PAUSED),
]
LONG_BODY = "<p>" + "word " * (BODY_FILE_CHARS // 4) + "</p>"
LEADS = {
    lead.key: lead
    for lead in (
        Lead("Jane@Northwind.example", first_name="Jane", custom_fields=(("Role", "VP, Sales"),)),
        Lead("li@contoso.example", company_name="Contoso", custom_fields=(("Team size", "40"),)),
        Lead("sam@fabrikam.example", phone_number="+1 555 0100"),
    )
}


def _state(name: str = "Q3 Founders", **changes: object) -> CampaignState:
    base: dict[str, object] = {
        "name": name,
        "id": 11,
        "status": Status.PAUSED,
        "schedule": Schedule("UTC", (1, 3), "09:00", "17:00", 10, 30),
        "sequence": (
            Step(
                1,
                0,
                variants=(
                    Variant("A", "Hi {{first_name}}", LONG_BODY),
                    Variant("B", "Hello", "<p>short</p>"),
                ),
            ),
            Step(2, 3, subject="", body="<p>bump</p>"),
        ),
        "mailboxes": ("alex@outreach-example.com",),
        "webhooks": (Webhook("crm", "https://hooks.example.com/in", ("EMAIL_REPLY",)),),
    }
    base.update(changes)
    return CampaignState(**base)  # type: ignore[arg-type]


def _by_path(files: tuple[object, ...]) -> dict[str, str]:
    return {f.path.as_posix(): f.text for f in files}  # type: ignore[attr-defined]


def test_selects_by_name_or_id_and_by_client() -> None:
    assert [s.id for s in select_campaigns(SUMMARIES, (), None)] == [11, 12, 13]
    assert [s.id for s in select_campaigns(SUMMARIES, ("Q3 Founders",), None)] == [11, 13]
    assert [s.id for s in select_campaigns(SUMMARIES, ("12", "Q3 Founders"), 4013)] == [12, 13]


def test_an_unknown_campaign_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(ConfigError) as caught:
        select_campaigns(SUMMARIES, ("Q3 Founder",), None)
    assert "no live campaign is named or numbered 'Q3 Founder'" in caught.value.message
    assert "did you mean 'Q3 Founders'" in str(caught.value.hint)


def test_long_bodies_go_to_body_files_and_short_ones_stay_inline() -> None:
    files = _by_path(import_files([_state()]).files)
    assert files["bodies/q3-founders/step-1-A.html"] == LONG_BODY
    assert "bodies/q3-founders/step-1-B.html" not in files
    campaign = files["q3-founders.yaml"]
    assert "body_file: bodies/q3-founders/step-1-A.html" in campaign
    assert "<p>short</p>" in campaign
    assert campaign.startswith("# yaml-language-server: $schema=.schema/campaign.schema.json\n")
    assert "id: 11" in campaign


def test_leads_are_written_only_when_read() -> None:
    without = _by_path(import_files([_state()]).files)
    assert not any(p.startswith("leads/") for p in without)
    assert "leads:" not in without["q3-founders.yaml"]
    with_leads = _by_path(import_files([_state(leads=LEADS)]).files)
    assert "csv: leads/q3-founders.csv" in with_leads["q3-founders.yaml"]
    assert with_leads["leads/q3-founders.csv"].splitlines()[0] == (
        "email,first_name,company_name,phone_number,Role,Team size"
    )


def test_imported_files_load_back_to_the_live_campaign(tmp_path: Path) -> None:
    live = _state(leads=LEADS)
    write_files(import_files([live]), tmp_path, force=False)
    (desired,) = load_desired(tmp_path, env={}).campaigns
    loaded = desired.state
    assert (loaded.name, loaded.id, loaded.status) == (live.name, live.id, live.status)
    assert loaded.schedule == live.schedule
    assert [v.body for v in loaded.sequence[0].variants] == [LONG_BODY, "<p>short</p>"]  # type: ignore[index]
    assert loaded.mailboxes == live.mailboxes
    assert loaded.leads is not None
    assert {
        k: (v.first_name, v.company_name, v.phone_number, v.custom_fields)
        for k, v in loaded.leads.items()
    } == {
        k: (v.first_name, v.company_name, v.phone_number, v.custom_fields) for k, v in LEADS.items()
    }


def test_client_campaigns_go_in_a_client_folder_and_names_never_clash() -> None:
    states = [_state(id=11), _state(id=13, client_id=4013), _state(id=14, client_id=4013)]
    result = import_files(states)
    assert result.imported == (
        "q3-founders.yaml",
        "clients/4013/q3-founders.yaml",
        "clients/4013/q3-founders-14.yaml",
    )
    files = _by_path(result.files)
    assert files["clients/4013/q3-founders.yaml"].startswith(
        "# yaml-language-server: $schema=../../.schema/campaign.schema.json"
    )
    assert "clients/4013/q3-founders-14.yaml" in files


def test_a_campaign_declared_in_another_file_is_skipped() -> None:
    declared = [Declared("hand-written.yaml", "Q3 Founders", None, None)]
    result = import_files([_state()], declared)
    assert result.imported == ()
    assert result.notes == ("skipped 'Q3 Founders': already declared in hand-written.yaml",)


def test_a_webhook_url_with_a_secret_is_flagged() -> None:
    hook = Webhook("zap", "https://hooks.example.com/catch?token=s3cr3t", ("EMAIL_REPLY",))
    (note,) = import_files([_state(webhooks=(hook,))]).notes
    assert "webhook 'zap'" in note
    assert "environment variable" in note


def test_a_custom_field_named_like_a_standard_one_is_flagged() -> None:
    lead = Lead("a@b.example", custom_fields=(("First Name", "Ann"),))
    _, notes = leads_csv([lead], "X")
    assert "reads back as the standard field 'first_name'" in notes[0]


def test_nothing_is_overwritten_without_force(tmp_path: Path) -> None:
    write_files(import_files([_state()]), tmp_path, force=False)
    again = import_files([_state()], [Declared("q3-founders.yaml", "Q3 Founders", None, 11)])
    (tmp_path / "q3-founders.yaml").write_text("# edited by hand\nname: Q3 Founders\nid: 11\n")
    with pytest.raises(ConfigError) as caught:
        write_files(again, tmp_path, force=False)
    assert "would overwrite" in caught.value.message
    assert "--force" in (caught.value.hint or "")
    assert (tmp_path / "q3-founders.yaml").read_text().startswith("# edited by hand")
    write_files(again, tmp_path, force=True)
    assert (tmp_path / "q3-founders.yaml").read_text().startswith("# yaml-language-server")


def test_force_never_overwrites_a_file_import_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "q3-founders.yaml").write_text("name: Another campaign\n")
    body = tmp_path / "bodies" / "q3-founders" / "step-1-A.html"
    body.parent.mkdir(parents=True)
    body.write_text("<p>mine</p>")
    with pytest.raises(ConfigError) as caught:
        write_files(import_files([_state()]), tmp_path, force=True)
    assert str(tmp_path / "q3-founders.yaml") in caught.value.message
    assert str(body) in caught.value.message
    assert "did not write" in caught.value.message
    assert (tmp_path / "q3-founders.yaml").read_text() == "name: Another campaign\n"
    assert body.read_text() == "<p>mine</p>"


def test_a_campaign_named_like_the_project_file_never_replaces_it(tmp_path: Path) -> None:
    (tmp_path / "smartlead-sync.yaml").write_text("settings: {rate_limit_profile: pro}\n")
    result = import_files([_state("smartlead-sync", id=77)])
    assert result.imported == ("smartlead-sync-77.yaml",)
    write_files(result, tmp_path, force=True)
    assert (tmp_path / "smartlead-sync.yaml").read_text() == "settings: {rate_limit_profile: pro}\n"


@pytest.mark.parametrize("where", ["bodies", "bodies/q3-founders", "q3-founders.yaml"])
def test_import_never_writes_through_a_symlink(tmp_path: Path, where: str) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / where).parent.mkdir(parents=True, exist_ok=True)
    (out / where).symlink_to(elsewhere if not where.endswith(".yaml") else elsewhere / "x.yaml")
    with pytest.raises(ConfigError) as caught:
        write_files(import_files([_state()]), out, force=True)
    assert "a symlink" in caught.value.message
    assert list(elsewhere.iterdir()) == []


def test_import_never_opens_a_fifo(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "q3-founders.yaml")  # opening it to write would block
    with pytest.raises(ConfigError) as caught:
        write_files(import_files([_state()]), tmp_path, force=True)
    assert "not a regular file" in caught.value.message


def test_a_live_name_with_control_characters_is_skipped_and_shown_escaped() -> None:
    result = import_files([_state("\x1b[2J\x1b[31mPwned\x07")])
    assert result.imported == ()
    (note,) = result.notes
    assert "\x1b" not in note and "\x07" not in note
    assert "\\x1b[2J\\x1b[31mPwned\\x07" in note


def test_a_live_name_with_a_bidirectional_override_is_skipped_naming_it() -> None:
    result = import_files([_state("Q3 \u202eredrO")])
    assert result.imported == ()
    (note,) = result.notes
    assert "its name holds a bidirectional control character (U+202E" in note
    assert "'Q3 \\u202eredrO'" in note and "\u202e" not in note


def test_a_variant_body_with_an_escape_sequence_is_named_with_its_step_and_label() -> None:
    step = Step(1, 0, variants=(Variant("A", "Hi", "<p>ok</p>"), Variant("B", "Yo", "a\x1b[8mb")))
    result = import_files([_state(sequence=(step,))])
    assert result.imported == ()
    (note,) = result.notes
    assert "its step 1 variant B body holds a control character (U+001B)" in note
    assert "'a\\x1b[8mb'" in note


def test_tabs_and_line_breaks_in_a_body_are_text_and_imported() -> None:
    step = Step(1, 0, subject="Hi", body="<p>one</p>\r\n\t<p>two</p>")
    result = import_files([_state(sequence=(step,))])
    assert result.imported == ("q3-founders.yaml",)
    assert result.notes == ()


def test_a_webhook_category_with_a_control_character_leaves_the_webhooks_unmanaged() -> None:
    hook = Webhook("crm", "https://hooks.example.com/in", ("EMAIL_REPLY",), ("Hot\x00",))
    result = import_files([_state(webhooks=(hook,))])
    assert result.imported == ("q3-founders.yaml",)
    (note,) = result.notes
    assert "webhook 'crm' has a control character in its category 'Hot\\x00'" in note
    assert "webhooks:" not in _by_path(result.files)["q3-founders.yaml"]


def test_a_live_value_no_file_can_hold_is_a_note_never_a_crash() -> None:
    hook = Webhook("ftp", "ftp://files.example.com/in", ("EMAIL_REPLY",))
    result = import_files([_state(webhooks=(hook,)), _state("Other", id=12)])
    assert result.imported == ("other.yaml",)
    (note,) = result.notes
    assert note.startswith("skipped campaign 11 'Q3 Founders': its webhooks.0.url cannot be")
    assert "http(s) URL" in note


def test_schemas_for_editors_are_written_beside_the_campaigns() -> None:
    paths = {f.path for f in import_files([_state()]).files}
    assert PurePosixPath(".schema/campaign.schema.json") in paths
