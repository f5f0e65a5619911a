"""Member profile privacy as a matrix: viewer x profile visibility x contact consent."""

import pytest
from django.contrib.auth.models import AnonymousUser

from network import permissions
from network.factories import UserFactory
from network.models import ProfileVisibility

PHONE = "+45 87 65 43 21"


@pytest.fixture
def owner(db):
    return UserFactory(
        email="ejer@kommune.example",
        first_name="Ole",
        last_name="Ejer",
        phone=PHONE,
        bio="Min hemmelige bio",
    )


@pytest.fixture
def other(db):
    return UserFactory(email="anden@kommune.example")


VIEWERS = ["anonymous", "member", "self"]
# visibility -> which viewers may see the profile
PROFILE_MATRIX = {
    ProfileVisibility.PUBLIC: {"anonymous", "member", "self"},
    ProfileVisibility.MEMBERS: {"member", "self"},
    ProfileVisibility.PRIVATE: {"self"},
}


def _viewer(kind, owner, other):
    return {"anonymous": AnonymousUser(), "member": other, "self": owner}[kind]


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", list(PROFILE_MATRIX))
@pytest.mark.parametrize("viewer_kind", VIEWERS)
@pytest.mark.parametrize("contact_allowed", [True, False])
def test_profile_matrix(client, owner, other, visibility, viewer_kind, contact_allowed):
    owner.profile_visibility = visibility
    owner.contact_allowed = contact_allowed
    owner.save()
    viewer = _viewer(viewer_kind, owner, other)
    if viewer_kind != "anonymous":
        client.force_login(viewer)

    may_see = viewer_kind in PROFILE_MATRIX[visibility]
    assert permissions.can_view_profile(viewer, owner) is may_see
    response = client.get(owner.get_absolute_url())
    if not may_see:
        assert response.status_code == 404
        assert "Min hemmelige bio" not in response.content.decode()
        return
    text = response.content.decode()
    assert response.status_code == 200
    assert "Ole Ejer" in text and "Min hemmelige bio" in text
    # Your own profile shows what other members see: no e-mail unless you agreed to
    # be contacted, and none at all while only you can see the profile.
    shows_contact = contact_allowed and not (
        viewer_kind == "self" and visibility == ProfileVisibility.PRIVATE
    )
    assert (owner.email in text) is shows_contact
    assert (PHONE in text) is shows_contact


@pytest.mark.django_db
def test_inactive_members_have_no_profile(client, owner):
    owner.profile_visibility = ProfileVisibility.PUBLIC
    owner.is_active = False
    owner.save()
    assert client.get(owner.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_member_edits_own_profile_and_choices_take_effect(client, owner, other):
    client.force_login(owner)
    response = client.get("/profil/")
    assert response.status_code == 200
    response = client.post(
        "/profil/",
        {
            "first_name": "Ole",
            "last_name": "Ejer",
            "job_title": "Teamleder",
            "bio": "Ny bio",
            "phone": PHONE,
            "profile_visibility": ProfileVisibility.PUBLIC,
            "contact_allowed": "",
            "work_areas": [],
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.job_title == "Teamleder"
    client.logout()
    text = client.get(owner.get_absolute_url()).content.decode()
    assert "Teamleder" in text
    assert owner.email not in text and PHONE not in text


@pytest.mark.django_db
def test_profile_form_rejects_a_fake_image_with_a_danish_message(client, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(owner)
    fake = SimpleUploadedFile("foto.jpg", b"<script>alert(1)</script>", "image/jpeg")
    response = client.post(
        "/profil/",
        {
            "first_name": "Ole",
            "last_name": "Ejer",
            "profile_visibility": ProfileVisibility.MEMBERS,
            "photo_upload": fake,
        },
    )
    assert response.status_code == 200
    assert "billede" in response.content.decode().lower()
    owner.refresh_from_db()
    assert owner.photo is None


@pytest.mark.django_db
def test_a_profile_photo_gets_an_address_nobody_can_guess(client, owner):
    """Renditions are public to whoever has the address, which is built from the file's
    name: "mig.jpg" gave /media/images/mig.2e16d0ba.fill-160x160.jpg, for any member."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    client.force_login(owner)
    names = []
    for _ in range(2):
        buffer = io.BytesIO()
        Image.new("RGB", (200, 200), "teal").save(buffer, "JPEG")
        photo = SimpleUploadedFile("mig.jpg", buffer.getvalue(), "image/jpeg")
        response = client.post(
            "/profil/",
            {
                "first_name": "Ole",
                "last_name": "Ejer",
                "profile_visibility": ProfileVisibility.PRIVATE,
                "photo_upload": photo,
            },
        )
        assert response.status_code == 302
        owner.refresh_from_db()
        names.append(owner.photo.file.name.rsplit("/", 1)[-1])
    assert all("mig" not in name and name.endswith(".jpg") and len(name) > 25 for name in names)
    assert names[0] != names[1]


def test_profile_edit_requires_login(client, db):
    response = client.get("/profil/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.django_db
def test_profile_refuses_a_phone_number_that_is_not_one_and_keeps_the_rest(client, owner):
    client.force_login(owner)
    data = {
        "first_name": "Ole",
        "last_name": "Ejer",
        "job_title": "Kasserer",
        "phone": "abc",
        "profile_visibility": ProfileVisibility.MEMBERS,
    }
    response = client.post("/profil/", data)
    assert response.status_code == 200
    assert "Et telefonnummer har kun cifre" in response.content.decode()
    assert 'value="Kasserer"' in response.content.decode()
    short = client.post("/profil/", data | {"phone": "12 34"}).content.decode()
    assert "Skriv et telefonnummer med mindst 8 cifre" in short
    owner.refresh_from_db()
    assert owner.phone != "abc" and owner.job_title != "Kasserer"
    assert client.post("/profil/", data | {"phone": "(+45) 1234-5678"}).status_code == 302


@pytest.mark.django_db
def test_profile_and_sign_up_fields_say_what_they_are_for_autofill(client, owner):
    """WCAG 1.3.5: name, job title and phone carry autocomplete tokens; a member with
    no photo is not offered to remove one."""
    from bs4 import BeautifulSoup

    client.force_login(owner)
    soup = BeautifulSoup(client.get("/profil/").content, "html.parser")
    tokens = {
        name: soup.find(attrs={"name": name}).get("autocomplete")
        for name in ("first_name", "last_name", "job_title", "phone")
    }
    assert tokens == {
        "first_name": "given-name",
        "last_name": "family-name",
        "job_title": "organization-title",
        "phone": "tel",
    }
    assert soup.find(attrs={"name": "remove_photo"}) is None
    client.logout()
    signup = BeautifulSoup(client.get("/konto/signup/").content, "html.parser")
    assert signup.find(attrs={"name": "first_name"})["autocomplete"] == "given-name"
    assert signup.find(attrs={"name": "last_name"})["autocomplete"] == "family-name"


def test_the_visibility_choice_says_the_author_s_name_still_shows(client, owner):
    """An outside walk chose "Kun mig" and still found their name on a public trial
    action: the choice now says it concerns the profile page, not what one writes."""
    client.force_login(owner)
    page = client.get("/profil/").content.decode()
    assert "Gælder din profilside. Dit navn står stadig ved det, du skriver" in page


def test_a_single_checkbox_stands_before_its_label_with_its_help_below(client, owner):
    """»Andre må kontakte mig« had its box alone on a line under the help text."""
    from bs4 import BeautifulSoup

    client.force_login(owner)
    soup = BeautifulSoup(client.get("/profil/").content, "html.parser")
    row = soup.find("input", attrs={"name": "contact_allowed"}).parent
    assert "check-field" in row["class"]
    assert row.find("label")["for"] == "id_contact_allowed"
    assert row.find_next_sibling("div")["id"] == "id_contact_allowed_helptext"


def test_a_phone_number_with_letters_is_told_what_is_wrong(client, owner):
    """»abc-ikke-et-nummer-12345678901« was told it needed at least 8 digits (it had 11)."""
    client.force_login(owner)
    page = client.post(
        "/profil/",
        {
            "first_name": "Ole",
            "last_name": "Ejer",
            "profile_visibility": "members",
            "phone": "abc-ikke-et-nummer-12345678901",
        },
    ).content.decode()
    assert "Et telefonnummer har kun cifre, mellemrum og evt. +" in page


@pytest.mark.parametrize(
    ("visibility", "active", "expected"),
    [("public", True, True), ("members", True, True), ("private", True, False)]
    + [("members", False, False)],
)
def test_visible_to_members_follows_the_profile_rule(owner, visibility, active, expected):
    owner.profile_visibility, owner.is_active = visibility, active
    assert permissions.visible_to_members(owner) is expected
    member = UserFactory()
    assert permissions.can_view_profile(member, owner) is expected  # the same rule
    assert not permissions.can_view_profile(AnonymousUser(), owner) or visibility == "public"


def test_a_hidden_profile_and_a_made_up_one_give_the_same_404(client, owner, settings):
    """DEBUG's page said "No User matches the given query" for a made-up id only, so a
    guesser could tell a hidden member from nobody (an outside check)."""
    import uuid

    owner.profile_visibility = ProfileVisibility.PRIVATE
    owner.save()
    settings.DEBUG = True
    hidden = client.get(f"/medlemmer/{owner.public_id}/")
    made_up = client.get(f"/medlemmer/{uuid.uuid4()}/")
    assert hidden.status_code == made_up.status_code == 404
    assert "No User matches" not in made_up.content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("run_on_commit")
def test_a_removed_or_replaced_photo_is_gone_with_its_sizes(client, owner):
    """An outside attacker fetched a member's photo from its address after the member
    had removed it: the image stayed, and the web server serves its sizes to anyone."""
    import io

    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from network.models import SiteImage

    def upload():
        buffer = io.BytesIO()
        Image.new("RGB", (200, 200), "teal").save(buffer, "JPEG")
        return SimpleUploadedFile("mig.jpg", buffer.getvalue(), "image/jpeg")

    def files(image):
        return [image.file.name, image.get_rendition("fill-160x160").file.name]

    form = {"first_name": "Ole", "last_name": "Ejer", "profile_visibility": "members"}
    client.force_login(owner)
    assert client.post("/profil/", {**form, "photo_upload": upload()}).status_code == 302
    owner.refresh_from_db()
    first, first_files = owner.photo, files(owner.photo)
    assert all(default_storage.exists(name) for name in first_files)

    assert client.post("/profil/", {**form, "photo_upload": upload()}).status_code == 302
    owner.refresh_from_db()
    second, second_files = owner.photo, files(owner.photo)
    assert not SiteImage.objects.filter(pk=first.pk).exists()
    assert not any(default_storage.exists(name) for name in first_files)

    assert client.post("/profil/", {**form, "remove_photo": "on"}).status_code == 302
    owner.refresh_from_db()
    assert owner.photo is None and not SiteImage.objects.filter(pk=second.pk).exists()
    assert not any(default_storage.exists(name) for name in second_files)
