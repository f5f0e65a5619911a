"""The permission matrix: role x project visibility x action, through the real URLs."""

import pytest

from projects import permissions
from projects.models import EventRegistration
from tests.shared import fresh_tree

from .conftest import build_space, make_people

ROLES = ["anonymous", "member", "other_participant", "participant", "coordinator", "editor"]
VISIBILITIES = ["public", "members", "participants"]
INSIDERS = {"participant", "coordinator", "editor"}


def may_see(role, visibility):
    if visibility == "public":
        return True
    if visibility == "members":
        return role != "anonymous"
    return role in INSIDERS


# action -> (who may, given that they may see the project)
RULES = {
    "see_project": lambda r: True,
    "see_event": lambda r: True,
    "download_material": lambda r: True,
    "sign_up": lambda r: r != "anonymous",
    "see_log": lambda r: True,
    "create_log": lambda r: r in INSIDERS,
    "edit_log": lambda r: r in INSIDERS,  # the participant is the log's author
    "delete_log": lambda r: r == "participant",  # its author (editors use the admin)
    "comment": lambda r: r != "anonymous",
    "hide_comment": lambda r: r in {"coordinator", "editor"},
    "see_participants": lambda r: r in INSIDERS,
    "manage_participants": lambda r: r in {"coordinator", "editor"},
    # The member's own file (the participant uploaded it) or the log's editors.
    "delete_attachment": lambda r: r in INSIDERS,
    "delete_comment": lambda r: r == "coordinator",  # the comment's author
    "create_event": lambda r: r in {"coordinator", "editor"},
    "edit_event": lambda r: r in {"coordinator", "editor"},
}

EVENT_FORM = {
    "title": "Temadag om opfølgning",
    "kind": "theme_day",
    "starts_at": "2027-04-20T09:30",
    "ends_at": "2027-04-20T15:00",
    "location": "Vejle Rådhus",
}


LOG_VISIBILITIES = ["public", "network", "participants"]


@pytest.fixture(scope="module")
def built(module_transaction, django_db_blocker):
    """The people and a project of every (project, log) visibility, built once for
    the module's 190 tests (each rolls back its own changes)."""
    with django_db_blocker.unblock():
        people = make_people()
        spaces = {
            (visibility, log_visibility): build_space(people, visibility, log_visibility)
            for visibility in VISIBILITIES
            for log_visibility in LOG_VISIBILITIES
        }
    return people, spaces


@pytest.fixture
def people(db, built):
    return fresh_tree(built[0])


@pytest.fixture
def space(db, built):
    return lambda visibility, log_visibility="public": fresh_tree(
        built[1][visibility, log_visibility]
    )


def expected(action, role, visibility):
    return may_see(role, visibility) and RULES[action](role)


def _request(client, action, s):
    project, event, log, comment = s["project"], s["event"], s["log"], s["comment"]
    base = project.url
    if action == "see_project":
        return client.get(base)
    if action == "see_event":
        return client.get(event.url)
    if action == "download_material":
        return client.get(s["document"].url)
    if action == "sign_up":
        return client.post(event.url + "tilmeld/")
    if action == "see_log":
        return client.get(f"{base}proevehandlinger/{log.pk}/")
    if action == "create_log":
        return client.get(f"{base}proevehandlinger/ny/")
    if action == "edit_log":
        return client.get(f"{base}proevehandlinger/{log.pk}/rediger/")
    if action == "delete_log":
        log.comments.all().delete()  # a log others wrote in is not deleted there
        return client.post(f"{base}proevehandlinger/{log.pk}/slet/", {"confirmed": "1"})
    if action == "comment":
        return client.post(f"{base}proevehandlinger/{log.pk}/kommentar/", {"text": "Hej"})
    if action == "hide_comment":
        return client.post(
            f"{base}kommentarer/{comment.pk}/skjul/", {"action": "hide", "confirmed": "1"}
        )
    if action == "see_participants":
        return client.get(f"{base}deltagere/")
    if action == "manage_participants":
        return client.post(
            f"{base}deltagere/", {"email": "ny.deltager@test.example", "role": "participant"}
        )
    if action == "delete_attachment":
        attachment = _attachment(s)
        return client.post(f"{base}vedhaeftninger/{attachment.pk}/slet/", {"confirmed": "1"})
    if action == "delete_comment":
        return client.post(f"{base}kommentarer/{comment.pk}/slet/", {"confirmed": "1"})
    if action == "create_event":
        return client.post(f"{base}arrangementer/ny/", EVENT_FORM)
    if action == "edit_event":
        return client.post(f"{event.url}rediger/", {**EVENT_FORM, "title": "Flyttet temadag"})
    raise AssertionError(action)


def _attachment(s):
    from django.core.files.base import ContentFile

    from projects.models import TrialActionAttachment

    attachment = TrialActionAttachment(
        trial_action=s["log"],
        name="plan.pdf",
        size=15,
        content_type="application/pdf",
        uploaded_by=s["log"].author,
    )
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n%plan\n"), save=False)
    attachment.save()
    return attachment


def _allowed_status(action, response, s):
    """Did the allowed action actually happen?"""
    if action == "sign_up":
        return (
            response.status_code == 302
            and EventRegistration.objects.filter(event=s["event"]).exists()
        )
    if action == "comment":
        return response.status_code == 302 and s["log"].comments.count() == 2
    if action == "hide_comment":
        s["comment"].refresh_from_db()
        return response.status_code == 302 and s["comment"].is_hidden
    if action == "delete_attachment":
        return response.status_code == 302 and not s["log"].attachments.exists()
    if action == "delete_log":
        from projects.models import TrialAction

        return response.status_code == 302 and not TrialAction.objects.filter(pk=s["log"].pk)
    if action == "delete_comment":
        return response.status_code == 302 and not s["log"].comments.filter(pk=s["comment"].pk)
    if action == "manage_participants":
        return response.status_code == 302 and s["project"].invitations.exists()
    if action == "create_event":
        from projects.models import EventPage

        made = EventPage.objects.child_of(s["project"]).live().filter(title=EVENT_FORM["title"])
        return response.status_code == 302 and made.exists()
    if action == "edit_event":
        from projects.models import EventPage

        return response.status_code == 302 and (
            EventPage.objects.get(pk=s["event"].pk).title == "Flyttet temadag"
        )
    if action == "see_participants":
        # Everyone inside sees who takes part; only those who manage see the addresses.
        html = response.content.decode()
        addresses = "deltager@test.example" in html
        return (
            response.status_code == 200
            and "Dorte" in html
            and addresses == (RULES["manage_participants"](s["role"]))
        )
    return response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(RULES))
def test_permission_matrix(client, people, space, action, role, visibility):
    s = space(visibility)
    user = people[role]
    if user:
        client.force_login(user)
    allowed = expected(action, role, visibility)
    s["role"] = role
    response = _request(client, action, s)
    if allowed:
        assert _allowed_status(action, response, s), (response.status_code, response)
    elif not may_see(role, visibility):
        assert response.status_code == 404  # must not learn that it exists
    elif role == "anonymous":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    else:
        assert response.status_code == 403
    assert response.status_code != 500


@pytest.mark.django_db
@pytest.mark.parametrize("project_visibility", VISIBILITIES)
@pytest.mark.parametrize("log_visibility", LOG_VISIBILITIES)
def test_effective_log_visibility_is_the_more_restrictive(
    people, space, project_visibility, log_visibility
):
    from django.contrib.auth.models import AnonymousUser

    s = space(project_visibility, log_visibility)
    level = {"public": 0, "members": 1, "network": 1, "participants": 2}
    effective = ["public", "members", "participants"][
        max(level[project_visibility], level[log_visibility])
    ]
    for role in ROLES:
        user = people[role] or AnonymousUser()
        sees = may_see(role, effective)
        assert permissions.can_see_log(user, s["log"]) is sees, role
        in_queryset = permissions.visible_logs(user).filter(pk=s["log"].pk).exists()
        assert in_queryset is sees, role


@pytest.mark.django_db
def test_municipality_page_lists_only_what_the_viewer_may_see(client, people, space):
    s = space("participants")
    public = space("public")
    for role, sees_hidden in [("anonymous", False), ("member", False), ("participant", True)]:
        client.logout()
        if people[role]:
            client.force_login(people[role])
        text = client.get("/kommuner/aarhus/").content.decode()
        assert (s["project"].title in text) is sees_hidden, role
        assert public["project"].title in text
        assert "Hemmelig prøvehandling" in text  # the public project's log is public
        hidden_log_url = s["log"].get_absolute_url()
        assert (hidden_log_url in text) is sees_hidden, role
