import json

import pytest
from django.core.management import CommandError, call_command

from projects.models import EventPage, ProjectPage, TrialAction

PROJECT = {
    "type": "project",
    "external_id": "p1",
    "title": "Digitale veje",
    "summary": "Et projekt.",
    "start": "2026-01-01",
    "end": "2026-12-31",
    "municipalities": ["0751", "0791"],
    "organisations": ["KL", "Ny Org"],
    "topics": ["digitalisering"],
    "visibility": "participants",
}
EVENT = {
    "type": "event",
    "external_id": "e1",
    "project": "p1",
    "title": "Temadag 1",
    "kind": "theme_day",
    "starts_at": "2026-03-01T09:30:00+01:00",
    "location": "Vejle",
    "summary": "Første temadag.",
    "agenda": [{"time": "09:30", "title": "Velkomst"}],
}
LOG = {
    "type": "trial_action",
    "external_id": "t1",
    "project": "p1",
    "municipality": "0751",
    "title": "Video",
    "purpose": "Formål",
    "actions": "Gjorde",
    "results": "Skete",
    "learnings": "Lærte",
    "status": "completed",
    "visibility": "network",
    "author_email": "ny.forfatter@kommune.example",
    "started": "2026-02-01",
    "event": "e1",
}


def _write(tmp_path, records):
    path = tmp_path / "import.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return path


def _run(path, capsys):
    call_command("import_content", str(path))
    return capsys.readouterr().out


@pytest.mark.django_db
def test_import_projects_events_and_trial_actions(tmp_path, capsys):
    path = _write(tmp_path, [PROJECT, EVENT, LOG])
    out = _run(path, capsys)
    assert "project: 1 oprettet" in out and "trial_action: 1 oprettet" in out
    project = ProjectPage.objects.get(external_id="p1")
    assert project.live and project.visibility == "participants"
    assert {m.code for m in project.municipalities.all()} == {"0751", "0791"}
    event = EventPage.objects.get(external_id="e1")
    assert event.get_parent().pk == project.pk
    assert [a.title for a in event.agenda_items.all()] == ["Velkomst"]
    log = TrialAction.objects.get(external_id="t1")
    assert log.event_id == event.pk and log.project_id == project.pk
    assert not log.author.is_active  # unknown author: an inactive member

    out = _run(path, capsys)
    assert "project: 0 oprettet, 0 opdateret, 1 uændret" in out
    assert "trial_action: 0 oprettet, 0 opdateret, 1 uændret" in out
    # A start date stored before its range was a rule imports again unchanged.
    TrialAction.objects.filter(external_id="t1").update(started="1999-05-01")
    out = _run(_write(tmp_path, [PROJECT, EVENT, dict(LOG, started="1999-05-01")]), capsys)
    assert "trial_action: 0 oprettet, 0 opdateret, 1 uændret" in out
    TrialAction.objects.filter(external_id="t1").update(started="2026-02-01")

    changed = _write(
        tmp_path,
        [dict(PROJECT, title="Digitale veje til job"), EVENT, dict(LOG, status="abandoned")],
    )
    out = _run(changed, capsys)
    assert "project: 0 oprettet, 1 opdateret" in out
    assert TrialAction.objects.get(external_id="t1").status == "abandoned"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "records,message",
    [
        ([dict(EVENT, project="ukendt")], 'Linje 1, felt "project"'),
        ([PROJECT, dict(LOG, municipality="9999")], 'Linje 2, felt "municipality"'),
        ([PROJECT, dict(LOG, status="done")], 'Linje 2, felt "status"'),
        ([dict(PROJECT, visibility="secret")], 'Linje 1, felt "visibility"'),
        ([PROJECT, dict(EVENT, starts_at="i morgen")], 'Linje 2, felt "starts_at"'),
        ([PROJECT, EVENT, dict(LOG, event="e9")], 'Linje 3, felt "event"'),
        ([PROJECT, EVENT, dict(LOG, started="0001-01-01")], "Startdatoen skal ligge mellem"),
    ],
)
def test_bad_project_records_write_nothing(tmp_path, capsys, records, message):
    before = (ProjectPage.objects.count(), EventPage.objects.count(), TrialAction.objects.count())
    with pytest.raises(CommandError):
        call_command("import_content", str(_write(tmp_path, records)))
    assert message in capsys.readouterr().err
    after = (ProjectPage.objects.count(), EventPage.objects.count(), TrialAction.objects.count())
    assert before == after


@pytest.mark.django_db
def test_a_real_length_project_description_imports_and_reads_as_paragraphs(
    tmp_path, capsys, client
):
    # Real project descriptions run to 828-1,075 characters; 800 used to reject them.
    summary = ("Kommunerne afprøver nye veje for ledige borgere. " * 22).strip()
    summary += "\nAnden del af beskrivelsen."
    assert len(summary) > 1075
    record = {**PROJECT, "summary": summary, "visibility": "public"}
    out = _run(_write(tmp_path, [record]), capsys)

    assert "project: 1 oprettet" in out
    page = ProjectPage.objects.get(external_id="p1")
    assert page.summary == summary
    html = client.get(page.url).content.decode()
    assert "ledige borgere.<br>Anden del af beskrivelsen." in html


@pytest.mark.django_db
def test_a_too_long_description_names_the_limit(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_content", str(_write(tmp_path, [{**PROJECT, "summary": "x" * 2001}])))
