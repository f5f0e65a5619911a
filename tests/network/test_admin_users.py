"""The admin's user forms carry the member's own job title, municipality and
organisation (network/admin_users.py). Before, an editor who made an account for a
coordinator could not place them in a municipality, and the cockpit counted them as
"uden kommune" until they filled in their own profile."""

import pytest
from django.test import Client
from django.urls import reverse

from network.models import Municipality, Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(demo):
    client = Client()
    client.force_login(User.objects.get(email="admin@netvaerk.example"))
    return client


def test_an_editor_creates_a_member_in_a_municipality(admin_client):
    vejle = Municipality.objects.get(name="Vejle")
    form = admin_client.get(reverse("wagtailusers_users:add"))
    assert form.status_code == 200
    page = form.content.decode()
    assert 'name="municipality"' in page and 'name="job_title"' in page
    assert "Ingen kommune" in page

    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "Ny.Koordinator@Vejle.example",
            "first_name": "Nina",
            "last_name": "Nord",
            "job_title": "Projektkoordinator",
            "municipality": vejle.pk,
            "password1": "et-langt-og-sikkert-kodeord-2026",
            "password2": "et-langt-og-sikkert-kodeord-2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="ny.koordinator@vejle.example")
    assert (user.municipality, user.job_title, user.organisation) == (
        vejle,
        "Projektkoordinator",
        None,
    )


def test_a_member_the_editor_creates_chooses_a_password_and_logs_in_at_once(
    admin_client, mailoutbox
):
    """An outside walk: a coordinator made in the admin got no mail, and even after a
    password reset each login sent her to *Tjek din indbakke* for one more mail. Now the
    editor leaves the password empty, the member gets one mail with a link to choose it,
    and the address the editor typed counts as confirmed."""
    import re

    from django.test import Client

    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {"email": "bente@kolding.example", "first_name": "Bente", "last_name": "Bach"},
        follow=True,
    )
    assert "har fået en mail med et link til at vælge adgangskode" in response.content.decode()
    bente = User.objects.get(email="bente@kolding.example")
    assert not bente.has_usable_password()
    [welcome] = mailoutbox
    assert welcome.to == ["bente@kolding.example"]
    assert welcome.subject == "Du har fået en konto på Beskæftigelsesnetværket"
    assert welcome.body.startswith("Hej Bente\n") and "Anne Administrator" in welcome.body

    browser = Client()
    path = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+)", welcome.body)[1]
    form = browser.get(path, follow=True)
    new = "Bentes-eget-kodeord-2026"
    browser.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    login = browser.post("/konto/login/", {"login": "bente@kolding.example", "password": new})
    assert login.status_code == 302 and "confirm-email" not in login["Location"]
    assert browser.get("/profil/").status_code == 200


def test_an_editor_moves_a_member_to_another_municipality(admin_client):
    member = User.objects.get(email="medlem@netvaerk.example")
    aarhus = Municipality.objects.get(name="Aarhus")
    organisation = Organisation.objects.first()
    url = reverse("wagtailusers_users:edit", args=[member.pk])
    assert f'value="{member.municipality_id}" selected' in admin_client.get(url).content.decode()

    response = admin_client.post(
        url,
        {
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "job_title": "Teamleder",
            "municipality": aarhus.pk,
            "organisation": organisation.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert (member.municipality, member.organisation, member.job_title) == (
        aarhus,
        organisation,
        "Teamleder",
    )
