"""Loading projects: the fixture project, layering, CSV dialects, ${ENV}, filters, all problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartlead_sync.desired import check_project, load_desired, load_project
from smartlead_sync.errors import InputError, Severity
from smartlead_sync.state import Distribution, OtherCampaignDuplicates, Status
from smartlead_sync.tool_settings import Bucket, Window
from tests.conftest import FIXTURE_PROJECT

EXAMPLES = FIXTURE_PROJECT  # the tests' own copy of a realistic project


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_the_fixture_project_loads_into_normalized_state() -> None:
    project = load_desired(EXAMPLES, env={})
    campaigns = {c.state.name: c for c in project.campaigns}
    assert len(campaigns) == 3
    q3 = campaigns["Q3 cold outreach - RevOps leaders"].state
    assert q3.status is Status.ACTIVE
    assert q3.schedule is not None and q3.schedule.days == (2, 3, 4)  # tue..thu, 0 = Sunday
    assert (q3.settings.track_opens, q3.settings.track_clicks) == (False, True)
    assert q3.sequence is not None
    assert q3.sequence[0].distribution is Distribution.PERCENTAGE
    assert "Teams at companies like" in q3.sequence[0].variants[1].body  # from its body file
    lead = next(iter((q3.leads or {}).values()))
    assert {key for key, _ in lead.custom_fields} == {"Job Title", "pain_point"}
    assert check_project(project) == []


def test_template_defaults_and_step_override_layer_in_order() -> None:
    project = load_desired(EXAMPLES, env={})
    northwind = next(c for c in project.campaigns if c.state.client_id == 4172)
    state = northwind.state
    assert state.sequence is not None and len(state.sequence) == 3
    assert state.sequence[2].subject == "Should I close your file, {{first_name}}?"
    assert state.sequence[2].body.startswith("<p>Hi {{first_name}}")  # body kept from template
    assert state.webhooks is not None and state.webhooks[0].name == "Replies to CRM"
    assert state.schedule is not None and state.schedule.timezone == "America/Los_Angeles"
    assert state.settings.stop_on is not None  # from the project defaults
    assert northwind.lead_policy.other_campaign_duplicates is OtherCampaignDuplicates.SKIP
    assert northwind.lead_sources_digest is not None


def test_csv_with_bom_crlf_and_quoted_newlines_keeps_row_numbers(tmp_path: Path) -> None:
    csv = (
        '\ufeff"Email","First Name","Notes"\r\n'
        '"ann@example.com","Ann","two\r\nlines, with a comma"\r\n'
        '"bob@example.com","Bob","say ""hi"""\r\n'
    )
    write(tmp_path, "leads.csv", csv.encode("utf-8"))
    write(tmp_path, "c.yaml", "name: C\nleads:\n  sources:\n    - csv: leads.csv\n")
    project = load_desired(tmp_path, env={})
    leads = project.campaigns[0].state.leads or {}
    ann, bob = leads["ann@example.com"], leads["bob@example.com"]
    assert ann.first_name == "Ann"
    assert dict(ann.custom_fields)["Notes"] == "two\r\nlines, with a comma"
    assert dict(bob.custom_fields)["Notes"] == 'say "hi"'
    assert bob.source is not None and bob.source.endswith("leads.csv:4")


def test_lead_file_named_through_env_and_its_checksum(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(repo, "private/list.csv", "email,first_name\nann@example.com,Ann\n")
    write(repo, "c.yaml", "name: C\nleads:\n  sources:\n    - csv: ${LEADS_DIR}/list.csv\n")
    env = {"LEADS_DIR": str(repo / "private")}
    first = load_desired(repo, env=env).campaigns[0]
    assert set(first.state.leads or {}) == {"ann@example.com"}
    write(repo, "private/list.csv", "email,first_name\nann@example.com,Annie\n")
    second = load_desired(repo, env=env).campaigns[0]
    assert first.lead_sources_digest != second.lead_sources_digest


def test_lead_file_outside_the_project_is_refused_even_through_env(tmp_path: Path) -> None:
    repo, private = tmp_path / "repo", tmp_path / "private"
    write(private, "list.csv", "email,first_name\nann@example.com,Ann\n")
    write(repo, "c.yaml", "name: C\nleads:\n  sources:\n    - csv: ${LEADS_DIR}/list.csv\n")
    with pytest.raises(InputError) as info:
        load_desired(repo, env={"LEADS_DIR": str(private)})
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == (str(repo / "c.yaml"), 4)
    assert "outside the project directory" in problem.message


def test_dollar_dollar_brace_is_a_literal(tmp_path: Path) -> None:
    write(
        tmp_path,
        "c.yaml",
        "name: C\nwebhooks:\n  - name: h\n    url: https://hooks.example.com/x?t=$${T}\n"
        "    events: [EMAIL_REPLY]\n    categories: [Interested]\n",
    )
    state = load_desired(tmp_path, env={"T": "nope"}).campaigns[0].state
    assert state.webhooks is not None
    assert state.webhooks[0].url == "https://hooks.example.com/x?t=${T}"


def test_env_is_not_read_outside_url_and_csv_values(tmp_path: Path) -> None:
    write(tmp_path, "c.yaml", "name: ${NOT_EXPANDED}\n")
    assert load_desired(tmp_path, env={"NOT_EXPANDED": "x"}).campaigns[0].state.name == (
        "${NOT_EXPANDED}"
    )


def test_every_problem_of_every_file_in_one_run(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "name: A\nstatus: runing\n")
    write(tmp_path, "b.yaml", "name: B\nschedule: {timezone: Mars/Olympus}\n")
    write(tmp_path, "c.yaml", "name: C\nname: D\n")
    with pytest.raises(InputError) as info:
        load_desired(tmp_path, env={})
    files = {Path(p.file or "").name for p in info.value.problems}
    assert files == {"a.yaml", "b.yaml", "c.yaml"}


def test_yaml_core_schema_keeps_words_as_text(tmp_path: Path) -> None:
    write(
        tmp_path,
        "c.yaml",
        "name: no\nleads:\n  sources:\n    - inline: [{email: a@example.com, first_name: on,"
        " phone_number: 0123}]\n",
    )
    state = load_desired(tmp_path, env={}).campaigns[0].state
    assert state.name == "no"
    lead = (state.leads or {})["a@example.com"]
    assert lead.first_name == "on"
    assert lead.phone_number == "123"  # a YAML number; quote it to keep the zero


def test_null_removes_an_inherited_key(tmp_path: Path) -> None:
    write(tmp_path, "smartlead-sync.yaml", "defaults:\n  client_id: 9\n  status: paused\n")
    write(tmp_path, "c.yaml", "name: C\nclient_id: null\n")
    state = load_desired(tmp_path, env={}).campaigns[0].state
    assert (state.client_id, state.status) == (None, Status.PAUSED)


def test_campaign_filter_matches_name_previous_name_or_id(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "name: A\nprevious_names: [Old A]\n")
    write(tmp_path, "b.yaml", "name: B\nid: 123\n")
    write(tmp_path, "broken.yaml", "name: [not, text]\n")
    project, problems = load_project(tmp_path, env={}, campaigns=["Old A", "123"])
    assert {c.state.name for c in project.campaigns} == {"A", "B"}
    assert problems  # a broken file is still reported: its name cannot be known


def test_allow_blank_is_the_only_escape_for_a_blank_variable(tmp_path: Path) -> None:
    campaign = (
        "name: C\nsequence:\n  - {delay_days: 0, subject: 'Hi {{first_name}}', body: x}\n"
        "leads:\n  sources:\n    - inline: [{email: a@example.com}, "
        "{email: b@example.com, first_name: Bo}]\n"
    )
    write(tmp_path, "c.yaml", campaign)
    problems = check_project(load_desired(tmp_path, env={}))
    assert [p.code for p in problems] == ["missing-variable"]
    write(tmp_path, "c.yaml", campaign + "  allow_blank: [first_name, company_name]\n")
    problems = check_project(load_desired(tmp_path, env={}))
    assert [(p.code, p.severity) for p in problems] == [("unused-allow-blank", Severity.WARNING)]


def test_project_settings_become_tool_settings(tmp_path: Path) -> None:
    write(
        tmp_path,
        "smartlead-sync.yaml",
        "settings:\n  rate_limit_profile: pro\n  lead_batch_size: 250\n"
        "  rate_limits:\n    lead_write: [{limit: 30, seconds: 60}]\n",
    )
    write(tmp_path, "c.yaml", "name: C\n")
    tool = load_desired(tmp_path, env={}).tool
    assert tool.rate_limit_profile == "pro"
    assert tool.lead_batch_size == 250
    assert tool.rate_limits.windows(Bucket.LEAD_WRITE) == (Window(30, 60),)
    assert tool.rate_limits.windows(Bucket.GLOBAL)[0] == Window(20, 1)


def test_templates_and_hidden_files_are_not_campaigns(tmp_path: Path) -> None:
    write(tmp_path, "templates/base.yaml", "status: paused\n")
    write(tmp_path, "_partial.yaml", "status: paused\n")
    write(tmp_path, ".schema/x.yaml", "oops: 1\n")
    write(tmp_path, "c.yaml", "extends: templates/base.yaml\nname: C\n")
    project = load_desired(tmp_path, env={})
    assert [c.source for c in project.campaigns] == ["c.yaml"]
    assert project.campaigns[0].state.status is Status.PAUSED


def test_an_unset_webhook_url_variable_does_not_hide_the_other_problems_of_its_file(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "c.yaml",
        "name: C\nsequence:\n  - delay_days: 0\n    subject: Hi {{frist_name}}\n    body: x\n"
        "webhooks:\n  - name: CRM\n    url: ${UNSET_HOOK_URL}\n    events: [EMAIL_REPLY]\n"
        "    categories: [Interested]\n"
        "leads:\n  sources:\n    - inline:\n        - {email: not-an-email, first_name: A}\n",
    )
    project, problems = load_project(tmp_path, env={})
    problems += check_project(project)
    messages = [p.message for p in problems if p.severity is Severity.ERROR]
    assert any("UNSET_HOOK_URL is not set" in m for m in messages)
    assert any("{{frist_name}}" in m for m in messages)
    assert any("invalid email" in m for m in messages)
    assert not any("http(s) URL" in m for m in messages)


def test_a_symlinked_project_file_names_itself_and_where_its_link_points(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(tmp_path, "shared.yaml", "settings: {rate_limit_profile: pro}\n")
    write(repo, "c.yaml", "name: C\n")
    (repo / "smartlead-sync.yaml").symlink_to(tmp_path / "shared.yaml")
    with pytest.raises(InputError) as info:
        load_desired(repo, env={})
    (problem,) = info.value.problems
    assert problem.file == str(repo / "smartlead-sync.yaml")
    assert problem.message == (
        f"the project file is a symlink to {tmp_path / 'shared.yaml'}, which is outside the "
        "project directory"
    )
    assert problem.hint == f"put the file itself under {repo} instead of a link to it"

    (repo / "smartlead-sync.yaml").unlink()
    write(repo, "_shared/project.yaml", "settings: {rate_limit_profile: pro}\n")
    (repo / "smartlead-sync.yaml").symlink_to("_shared/project.yaml")  # inside: fine
    assert [c.state.name for c in load_desired(repo, env={}).campaigns] == ["C"]


def test_a_symlinked_folder_is_named_not_skipped_silently(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(tmp_path, "outside/x.yaml", "name: X\n")
    write(repo, "c.yaml", "name: C\n")
    write(repo, "shared/s.yaml", "name: S\n")
    (repo / "clients").symlink_to(tmp_path / "outside", target_is_directory=True)
    with pytest.raises(InputError) as info:
        load_desired(repo, env={})
    (problem,) = info.value.problems
    assert (problem.file, problem.code) == (str(repo / "clients"), "linked-folder")
    assert problem.message == (
        f"the folder is a symlink to {tmp_path / 'outside'}, which is outside the project "
        "directory; campaign files in it are not read"
    )

    (repo / "clients").unlink()
    (repo / "clients").symlink_to("shared", target_is_directory=True)  # inside: a warning
    project = load_desired(repo, env={})
    assert sorted(c.state.name for c in project.campaigns) == ["C", "S"]
    (warning,) = project.warnings
    assert warning.severity is Severity.WARNING and warning.file == str(repo / "clients")
    assert "not searched for through it" in warning.message


def test_an_unexpanded_lead_path_is_reported_once_with_a_hint_about_lead_paths(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "c.yaml",
        "name: A\nleads:\n  sources:\n    - csv: leads/${SMARTLEAD_API_KEY}.csv\n"
        "    - csv: leads/${UNSET_LEADS}.csv\n",
    )
    with pytest.raises(InputError) as info:
        load_desired(tmp_path, env={"SMARTLEAD_API_KEY": "sk-0001"})
    key, unset = info.value.problems
    assert (key.line, key.code, unset.line, unset.code) == (4, "credential-env", 5, "missing-env")
    assert key.hint is not None and "in a lead file path" in key.hint
