import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import mail

from network.models import Municipality, User

SIGNUP = {
    "email": "ny.bruger@kommune.example",
    "first_name": "Nina",
    "last_name": "Nygaard",
    "municipality": "",
    "password1": "en-lang-og-sikker-kode-42",
    "password2": "en-lang-og-sikker-kode-42",
}


def _login(client, email, password):
    return client.post("/konto/login/", {"login": email, "password": password})


@pytest.mark.django_db
def test_signup_requires_verified_email_before_login(client):
    aarhus = Municipality.objects.get(code="0751")
    response = client.post("/konto/signup/", {**SIGNUP, "municipality": aarhus.pk})
    assert response.status_code == 302
    user = User.objects.get(email=SIGNUP["email"])
    assert user.name == "Nina Nygaard"
    assert user.municipality == aarhus

    # The page after signing up says what to do, in plain Danish (a re-check read
    # allauth's "Følg det angivne link for at færdiggøre tilmeldingsprocessen").
    sent = client.get(response["Location"]).content.decode()
    assert "Tjek din indbakke" in sent and "tryk på »Bekræft min e-mailadresse«" in sent
    assert "angivne" not in sent
    # Exactly one verification mail, in Danish, with a confirmation link.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Beskæftigelsesnetværket] Bekræft din e-mailadresse"
    assert message.to == [SIGNUP["email"]]
    assert "Bekræft" in message.subject or "bekræft" in message.body
    # Spelt as the rest of the site spells it (allauth's Danish writes "emailadresse").
    words = f"{message.subject} {message.body}"
    assert "e-mailadresse" in words and "emailadresse" not in words.replace("e-mail", "")
    link = re.search(r"https?://[^\s]+/konto/confirm-email/[^\s]+", message.body).group(0)
    # It names the site, not the request's host (allauth: "en konto på testserver").
    assert "oprette en konto på Beskæftigelsesnetværket." in message.body
    assert "på testserver" not in message.body and "gå til" not in message.body

    # Not logged in yet, and logging in is refused until the address is verified.
    client.logout()
    response = _login(client, SIGNUP["email"], SIGNUP["password1"])
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and "confirm-email" in response["Location"]

    # The link opens a page with one button, in plain Danish (allauth's read "Bekræft
    # venligst at … er en e-mailadresse for bruger Nina Nygaard").
    # Built on SITE_URL, not the request's Host (an outside check).
    assert link.startswith(settings.SITE_URL + "/konto/confirm-email/")
    path = link.removeprefix(settings.SITE_URL)
    page = client.get(path).content.decode()
    assert f"Bekræft, at {SIGNUP['email']} er din e-mailadresse" in page
    assert "Bekræft min e-mailadresse" in page and "for bruger" not in page
    assert "Vi kan ikke" not in page and "udløbet" not in page
    used = client.get("/konto/confirm-email/ugyldig/").content.decode()
    assert "Linket er brugt eller udløbet." in used
    # Following the link verifies the address; now login works.
    response = client.post(path)
    assert response.status_code == 302
    client.logout()
    response = _login(client, SIGNUP["email"], SIGNUP["password1"])
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Nina Nygaard" in client.get("/").content.decode()


@pytest.mark.django_db
def test_login_rate_limit_trips_after_repeated_bad_passwords(client, member):
    for _ in range(5):
        response = _login(client, member.email, "forkert-kode")
        assert response.status_code == 200
        assert "for mange mislykkede" not in response.content.decode()
    response = _login(client, member.email, "forkert-kode")
    assert "for mange mislykkede" in response.content.decode().lower()
    # Even the right password is refused while the limit holds.
    response = _login(client, member.email, "kodeord-123")
    assert "for mange mislykkede" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_colleagues_behind_one_address_are_not_locked_out_by_each_other(client, member):
    """A jobcentre's staff share one public address: ten colleagues' mistyped
    passwords within a minute locked every other account there out (an outside check).
    The account's own limit still holds."""
    from network.factories import UserFactory

    for n in range(12):
        colleague = UserFactory(email=f"kollega{n}@kommune.example")
        assert _login(client, colleague.email, "forkert-kode").status_code == 200
    response = _login(client, member.email, "kodeord-123")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_login_with_email_any_case(client, member):
    response = _login(client, member.email.upper(), "kodeord-123")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_password_reset_sends_danish_mail(client, member):
    response = client.post("/konto/password/reset/", {"email": member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/konto/password/reset/key/" in mail.outbox[0].body
    assert "Nulstilling af adgangskode" in mail.outbox[0].subject
    assert "password" not in mail.outbox[0].subject.lower()
    # Greeted in the site's name, not the request's host ("Hej fra 127.0.0.1:8091!").
    body = mail.outbox[0].body
    assert body.startswith("Hej\n") and "Venlig hilsen\nBeskæftigelsesnetværket" in body
    assert "Hej fra" not in body and "Hello" not in body and "Thank you" not in body


@pytest.mark.django_db
def test_a_reset_link_is_built_on_site_url_whatever_the_host_header(client, member, settings):
    """An outside check: the key went to whichever allowed name the request came in
    under; with more than one allowed host, a reset asked under another name would mail
    the key there."""
    settings.SITE_URL = "https://netvaerk.example"
    client.post("/konto/password/reset/", {"email": member.email}, HTTP_HOST="other.example")
    body = mail.outbox[0].body
    assert "https://netvaerk.example/konto/password/reset/key/" in body
    assert "other.example" not in body


@pytest.mark.django_db
def test_password_reset_ends_with_a_way_to_log_in(client, member):
    """The mail's link, a new password, and a page that leads on to the login (allauth's
    ended there; an outside walk had to look for Log ind in the header)."""
    import re

    client.post("/konto/password/reset/", {"email": member.email})
    path = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+)", mail.outbox[0].body)[1]
    form = client.get(path, follow=True)
    new = "Et-helt-nyt-kodeord-2026"
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": new, "password2": new},
        follow=True,
    )
    page = done.content.decode()
    assert "Din adgangskode er nu ændret" in page or "adgangskode er nu ændret" in page
    assert 'href="/konto/login/"' in page and "Log ind med din nye adgangskode" in page
    assert _login(client, member.email, new).status_code == 302


@pytest.mark.django_db
def test_member_can_activate_totp_two_factor(client, member):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time

    _login(client, member.email, "kodeord-123")
    overview = client.get("/konto/2fa/").content.decode()
    assert "Totrinsbekræftelse" in overview
    response = client.get("/konto/2fa/totp/activate/")
    # Enabling 2FA asks for the password again first.
    assert response.status_code == 302 and "/konto/reauthenticate/" in response["Location"]
    client.post(response["Location"], {"password": "kodeord-123"})
    response = client.get("/konto/2fa/totp/activate/")
    assert response.status_code == 200
    secret = response.context["form"].secret
    # The QR code's text says what it is (allauth's was the secret, read out letter by
    # letter), and the secret can be reached with Tab and copied: read-only, not disabled.
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("img", src=re.compile("^data:image/svg"))["alt"].startswith("QR-kode")
    shown = page.find("input", id="authenticator_secret")
    assert shown["value"] == secret and shown.has_attr("readonly")
    assert not shown.has_attr("disabled")
    code = hotp_value(secret, next(yield_hotp_counters_from_time()))
    response = client.post("/konto/2fa/totp/activate/", {"code": f"{code:06d}"})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()

    # From now on a password alone is not enough.
    client.logout()
    response = _login(client, member.email, "kodeord-123")
    assert "_auth_user_id" not in client.session
    assert "/konto/2fa/authenticate/" in response["Location"]


@pytest.mark.django_db
def test_editors_and_members_are_the_same_user_model(client, demo):
    editor = User.objects.get(email="redaktoer@netvaerk.example")
    member = User.objects.get(email="medlem@netvaerk.example")
    client.force_login(member)
    assert client.get("/admin/").status_code == 302  # no admin access
    client.force_login(editor)
    assert editor.has_perm("wagtailadmin.access_admin")
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_account_pages_use_one_word_for_one_thing(client, member):
    """adgangskode (never password or kodeord), totrinsbekræftelse, "Du er logget ind"."""
    from bs4 import BeautifulSoup
    from django.contrib.messages import get_messages

    def visible(path):
        soup = BeautifulSoup(client.get(path).content.decode(), "html.parser")
        for tag in soup(["script", "style"]):
            tag.decompose()
        return soup.get_text(" ", strip=True).lower()

    for path in ("/konto/login/", "/konto/password/reset/", "/konto/signup/"):
        text = visible(path)
        assert "password" not in text and "kodeord" not in text, path
        assert "adgangskode" in text, path
    response = client.post(
        "/konto/login/", {"login": member.email, "password": "kodeord-123"}, follow=True
    )
    shown = [str(m) for m in get_messages(response.wsgi_request)] + [response.content.decode()]
    assert any("Du er logget ind som" in text for text in shown)
    assert not any("succesfuldt" in text for text in shown)
    assert "password" not in visible("/konto/password/change/")
    assert "totrinsbekræftelse" in visible("/konto/2fa/")


@pytest.mark.django_db
def test_a_changed_login_address_takes_the_newsletter_along_and_mails_the_old(client, member):
    """The subscription follows the login address: before, the old address went on
    receiving, left out of "Mine data" and not erased with the account."""
    from newsletters.factories import SubscriberFactory
    from newsletters.models import Subscriber

    SubscriberFactory(email=member.email, work_areas=["unge"])
    old = member.email
    client.force_login(member)
    response = client.post(
        "/konto/email/", {"email": "ny.adresse@kommune.example", "action_add": ""}
    )
    assert response.status_code == 302
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    client.post(urlsplit(link).path)
    member.refresh_from_db()
    assert member.email == "ny.adresse@kommune.example"
    assert list(Subscriber.objects.values_list("email", flat=True)) == [member.email]
    notice = [m for m in mail.outbox if m.to == [old]][-1]  # the old address is told
    assert "ny.adresse@kommune.example" in notice.body and "Hello" not in notice.body

    exported = client.get("/profil/mine-data/?download=1").json()
    assert exported["newsletters"]["email"] == member.email
    client.post("/profil/slet-konto/", {"password": "kodeord-123", "mode": "remove"})
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_an_unverified_address_does_not_give_a_strangers_subscription(client, member):
    """Typing someone else's subscribed address in at /konto/email/ (never verified)
    must not show their subscription in "Mine data" nor erase it with the account.
    Found by a review."""
    from newsletters.factories import SubscriberFactory
    from newsletters.models import Subscriber

    SubscriberFactory(email="fremmed@kommune.example", work_areas=["unge"])
    client.force_login(member)
    client.post("/konto/email/", {"email": "fremmed@kommune.example", "action_add": ""})
    exported = client.get("/profil/mine-data/?download=1").json()
    assert "fremmed@kommune.example" not in str(exported["newsletters"])
    client.post("/profil/slet-konto/", {"password": "kodeord-123", "mode": "remove"})
    assert Subscriber.objects.filter(email="fremmed@kommune.example").exists()


@pytest.mark.django_db
def test_a_changed_password_is_told_to_the_account(client, member):
    client.force_login(member)
    response = client.post(
        "/konto/password/change/",
        {
            "oldpassword": "kodeord-123",
            "password1": "en-ny-og-lang-kode-77",
            "password2": "en-ny-og-lang-kode-77",
        },
    )
    assert response.status_code == 302
    (notice,) = mail.outbox
    assert notice.to == [member.email] and "Din adgangskode er blevet ændret." in notice.body


@pytest.mark.django_db
def test_a_member_without_access_to_the_admin_is_told_not_looped(client, member):
    client.force_login(member)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200 and len(response.redirect_chain) <= 2
    text = response.content.decode()
    assert "har ikke adgang til den side" in text
    assert "Du har ikke adgang til redaktionens værktøjer." in text and "permission" not in text


@pytest.mark.django_db
def test_changing_the_address_mails_the_new_one_in_the_sites_name(client, member):
    client.force_login(member)
    response = client.post("/konto/email/", {"action_add": "", "email": "maja@ny.example"})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["maja@ny.example"]
    assert "Denne e-mailadresse er angivet som ny adresse for en konto på " in message.body
    # Not the account's name: the address may be someone else's (an outside check).
    assert "Maja" not in message.body and "Mortensen" not in message.body
    assert "Beskæftigelsesnetværket." in message.body and "testserver." not in message.body
    assert "/konto/confirm-email/" in message.body


@pytest.mark.django_db
def test_the_headers_log_in_link_returns_to_the_page_and_does_not_nest(client):
    """On the login page itself the header's "Log ind" kept adding the login page as the
    next page (/konto/login/?next=/konto/login/%3Fnext%3D…); an outside walk saw it."""

    def header_login(path):
        html = client.get(path).content.decode()
        return re.search(r'<li><a href="([^"]*)">Log ind</a></li>', html).group(1)

    assert header_login("/erfaringer/?side=2") == "/konto/login/?next=/erfaringer/%3Fside%3D2"
    assert header_login("/konto/login/?next=/projekter/") == "/konto/login/?next=/projekter/"
    assert header_login("/konto/login/") == "/konto/login/"
    assert header_login("/konto/password/reset/") == "/konto/login/"


@pytest.mark.django_db
def test_account_forms_are_drawn_as_the_sites_own(client):
    """allauth drew its forms with Django's as_p: labels ending in colons and nothing to
    tell the required fields from the one that may be left empty (a re-check)."""
    from bs4 import BeautifulSoup

    signup = BeautifulSoup(client.get("/konto/signup/").content, "html.parser")
    labels = {
        label["for"]: label.get_text(" ", strip=True) for label in signup.select("main form label")
    }
    assert labels["id_first_name"] == "Fornavn *" and labels["id_municipality"] == "Kommune"
    assert not [text for text in labels.values() if text.rstrip(" *").endswith(":")]
    assert "Felter med * skal udfyldes." in signup.text
    # The login form has nothing to tell apart (a checkbox aside): no stars, no note.
    login = BeautifulSoup(client.get("/konto/login/").content, "html.parser")
    assert [label.get_text(strip=True) for label in login.select("main form label")] == [
        "E-mail",
        "Adgangskode",
        "Husk mig",
    ]
    assert "skal udfyldes" not in login.text
    assert "Er du ikke medlem endnu?" in login.text


@pytest.mark.django_db
def test_the_email_page_is_a_form_like_the_others(client, member):
    """An outside accessibility walk: the current address was a disabled field that
    looked editable, the new one had no autocomplete, and a bad address came back with
    no summary and the focus nowhere."""
    client.force_login(member)
    page = BeautifulSoup(client.get("/konto/email/").content, "html.parser")
    assert member.email in page.find("main").get_text()
    assert page.select("main input[disabled]") == []
    new = page.find("input", attrs={"name": "email"})
    assert new["autocomplete"] == "email" and new.has_attr("required")
    assert page.find("label", attrs={"for": new["id"]}).get_text(strip=True) == "Skift til*"

    response = client.post("/konto/email/", {"email": "abc", "action_add": ""})
    page = BeautifulSoup(response.content, "html.parser")
    assert page.title.get_text().startswith("Fejl:")
    summary = page.select_one(".error-summary[autofocus]")
    assert summary.find("a")["href"] == "#" + new["id"]
    assert page.find("input", attrs={"name": "email"})["aria-invalid"] == "true"


@pytest.mark.django_db
def test_account_pages_titles_say_the_step(client, member):
    def title(response):  # as a browser shows it: white space collapsed
        return " ".join(BeautifulSoup(response.content, "html.parser").title.get_text().split())

    assert title(client.get("/konto/signup/")).startswith("Opret konto ·")
    done = client.post("/konto/password/reset/", {"email": member.email}, follow=True)
    assert title(done).startswith("Tjek din indbakke ·")
    assert title(client.get("/konto/password/reset/")).startswith("Nulstil adgangskode")
    client.force_login(member)
    page = BeautifulSoup(client.get("/profil/slet-konto/").content, "html.parser")
    assert page.find("input", attrs={"name": "password"})["autocomplete"] == "current-password"


@pytest.mark.django_db
def test_an_address_pending_a_change_gives_no_reset_link_and_can_still_sign_up(client, member):
    """An outside attacker: member A typed a colleague's address as their new one and
    never confirmed it; the colleague asked for a new password for that address and
    got a link that set A's password. Now the pending address is nobody's: the reset
    mail carries no link, and the colleague can sign up with it."""
    from allauth.account.models import EmailAddress

    client.force_login(member)
    client.post("/konto/email/", {"email": "kollega@kommune.example", "action_add": ""})
    assert EmailAddress.objects.filter(user=member, email="kollega@kommune.example").exists()
    change_link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[-1].body)[0]
    client.logout()
    mail.outbox.clear()

    client.post("/konto/password/reset/", {"email": "kollega@kommune.example"})
    assert [m.to for m in mail.outbox] == [["kollega@kommune.example"]]
    assert "/konto/password/reset/key/" not in mail.outbox[0].body
    mail.outbox.clear()
    client.post("/konto/password/reset/", {"email": member.email})  # their own: a link
    assert "/konto/password/reset/key/" in mail.outbox[0].body
    mail.outbox.clear()

    from django.core.cache import cache

    cache.clear()  # allauth mails one confirmation per address per 3 minutes
    response = client.post("/konto/signup/", {**SIGNUP, "email": "kollega@kommune.example"})
    assert response.status_code == 302
    colleague = User.objects.get(email="kollega@kommune.example")
    assert colleague != member
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[-1].body)[0]
    client.post(urlsplit(link).path)
    assert EmailAddress.objects.get(user=colleague).verified
    # A's old link cannot take the address now, and says so without an error.
    client.force_login(member)
    response = client.post(urlsplit(change_link).path, follow=True)
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.email == "medlem@test.example"


@pytest.mark.django_db
def test_a_sign_up_sent_twice_at_once_answers_check_your_inbox(client, monkeypatch):
    """An outside attacker pressed Enter twice: the second request passed the check
    before the first had saved, and met the unique address with a 500. Here the race
    is set up by letting the check miss the account the first request made."""
    from network import account_forms
    from network.factories import UserFactory

    UserFactory(email=SIGNUP["email"])
    monkeypatch.setattr(account_forms, "owners_of", lambda email: set())
    response = client.post("/konto/signup/", SIGNUP)
    assert response.status_code == 302
    assert User.objects.filter(email=SIGNUP["email"]).count() == 1


@pytest.mark.django_db
def test_a_name_of_zero_width_spaces_is_no_name(client):
    response = client.post("/konto/signup/", {**SIGNUP, "first_name": "\u200b\u200b"})
    assert response.status_code == 200
    assert "kun usynlige tegn" in response.content.decode()
    assert not User.objects.filter(email=SIGNUP["email"]).exists()
