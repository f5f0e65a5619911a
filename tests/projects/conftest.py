import pytest

from network.factories import UserFactory
from projects.factories import create_event, create_log, create_project


def make_people():
    """One user per role, from the project's point of view."""
    from django.contrib.auth.models import Group, Permission

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = UserFactory(email="redaktoer@test.example", first_name="Rita")
    editor.groups.add(editors)
    return {
        "anonymous": None,
        "member": UserFactory(email="medlem@test.example", first_name="Mette"),
        "other_participant": UserFactory(email="andet@test.example", first_name="Ole"),
        "participant": UserFactory(email="deltager@test.example", first_name="Dorte"),
        "coordinator": UserFactory(email="koordinator@test.example", first_name="Kim"),
        "editor": editor,
    }


def build_space(people, visibility, log_visibility="public"):
    """A project of a given visibility with an event, a log, a comment and material,
    and another project that `other_participant` takes part in."""
    from projects.models import ProjectMaterial, TrialActionComment

    other = create_project("Andet projekt", participants=[people["other_participant"]])
    project = create_project(
        f"Projekt {visibility}",
        visibility=visibility,
        coordinators=[people["coordinator"]],
        participants=[people["participant"]],
    )
    event = create_event(project)
    log = create_log(
        project,
        people["participant"],
        title="Hemmelig prøvehandling",
        visibility=log_visibility,
    )
    comment = TrialActionComment.objects.create(
        trial_action=log, author=people["coordinator"], text="Godt!"
    )
    document = _document(f"Slides {visibility}")
    project.materials.add(ProjectMaterial(document=document))
    project.save_revision().publish()
    return {
        "project": project,
        "event": event,
        "log": log,
        "comment": comment,
        "other": other,
        "document": document,
    }


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def space(people):
    """Build a project of a given visibility with an event, a log and a comment."""

    def build(visibility, log_visibility="public"):
        return build_space(people, visibility, log_visibility)

    return build


def _document(title):
    from django.core.files.base import ContentFile

    from network.models import SiteDocument

    document = SiteDocument(title=title)
    document.file.save("slides.pdf", ContentFile(b"%PDF-1.4 hemmelige slides"), save=False)
    document.save()
    return document


@pytest.fixture
def project(people):
    """A project open to members, with a coordinator and two participants (a module
    that needs another kind defines its own `project`)."""
    return create_project(
        "Fælles projekt",
        visibility="members",
        coordinators=[people["coordinator"]],
        participants=[people["participant"], people["other_participant"]],
    )
