"""What a member sends after their session ended is kept, and waits in the form after
they log in again (network.drafts, config.middleware.DraftMiddleware, config.csrf)."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from projects.factories import create_log, create_project
from projects.models import TrialAction

pytestmark = pytest.mark.django_db
TEXT = "En lang kommentar, skrevet mens sessionen løb ud.\nAnden linje."


@pytest.fixture
def log(people):
    project = create_project(
        "Lukket projekt",
        visibility="participants",  # anonymous visitors get 404 here
        municipalities=("0751",),
        coordinators=[people["coordinator"]],
        participants=[people["participant"]],
    )
    return create_log(project, people["participant"], visibility="participants")


def _log_in_again(client, user):
    """allauth's own login form, as the member would use it, following `next`."""
    login = client.get(client.redirect_to)
    assert "Du var blevet logget ud" in login.content.decode()
    response = client.post(
        client.redirect_to, {"login": user.email, "password": "kodeord-123"}, follow=True
    )
    assert response.status_code == 200
    return response


def _log_out_elsewhere(client):
    """Log out as the member would, in another tab: the site's logout, which ends the
    session but leaves the browser's other cookies (Client.logout() clears them all)."""
    assert client.post("/konto/logout/").status_code == 302
    assert not client.session.get("_auth_user_id")


def _post_logged_out(client, user, page, action, data):
    client.force_login(user)
    client.get(page)
    _log_out_elsewhere(client)  # in another tab, or the session ran out
    response = client.post(action, data, HTTP_REFERER=f"http://testserver{page}")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=")
    client.redirect_to = response["Location"]
    return response


def _textarea(response, name, form_id=None) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find("textarea", attrs={"name": name, **({"id": form_id} if form_id else {})}).text


def test_a_comment_sent_after_logging_out_waits_in_the_form(client, people, log):
    page = log.get_absolute_url()
    _post_logged_out(client, people["participant"], page, page + "kommentar/", {"text": TEXT})
    assert client.redirect_to == "/konto/login/?next=" + page
    assert not log.comments.exists()

    back = _log_in_again(client, people["participant"])
    assert back.redirect_chain[-1][0] == page  # the page, not the POST-only address
    assert _textarea(back, "text", "id_comment_text").strip() == TEXT
    assert "Din tekst er sat ind igen, men den er ikke gemt endnu." in back.content.decode()
    assert not log.comments.exists()
    # Given back once: the next visit shows an empty form.
    assert _textarea(client.get(page), "text", "id_comment_text").strip() == ""


def test_a_timeline_update_goes_back_to_its_own_field(client, people, log):
    page = log.get_absolute_url()
    _post_logged_out(client, people["participant"], page, page + "opdatering/", {"text": TEXT})
    back = _log_in_again(client, people["participant"])
    assert _textarea(back, "text", "id_update_text").strip() == TEXT
    assert _textarea(back, "text", "id_comment_text").strip() == ""


def test_a_new_trial_action_sent_after_logging_out_waits_in_the_form(client, people, log):
    from network.models import Municipality, WorkArea

    page = log.project.url + "proevehandlinger/ny/"
    areas = [str(pk) for pk in WorkArea.objects.values_list("pk", flat=True)[:2]]
    form = {
        "title": "Gåture med unge",
        "municipality": str(Municipality.objects.get(code="0751").pk),
        "purpose": TEXT,
        "status": "in_progress",
        "started": "2026-11-01",
        "visibility": "participants",
        "work_areas": areas,
    }
    _post_logged_out(client, people["participant"], page, page, form)
    back = _log_in_again(client, people["participant"])
    soup = BeautifulSoup(back.content, "html.parser")
    assert soup.find("input", attrs={"name": "title"})["value"] == "Gåture med unge"
    assert _textarea(back, "purpose").strip() == TEXT
    boxes = soup.find_all("input", attrs={"name": "work_areas"})
    assert sorted(box["value"] for box in boxes if box.has_attr("checked")) == sorted(areas)
    assert soup.find("input", attrs={"name": "status", "value": "in_progress"}).has_attr("checked")
    assert not soup.find("input", attrs={"name": "notify_on_comments"}).has_attr("checked")
    assert not TrialAction.objects.exclude(pk=log.pk).exists()


def test_following_after_logging_out_returns_to_the_page(client, people, log):
    page = log.get_absolute_url()
    _post_logged_out(
        client,
        people["participant"],
        page,
        "/varsler/foelg/",
        {"kind": "trial_action", "key": str(log.pk), "next": page},
    )
    back = _log_in_again(client, people["participant"])
    assert back.redirect_chain[-1][0] == page  # not a 405 on /varsler/foelg/


def test_a_post_from_another_site_keeps_nothing(client, people, log):
    page = log.get_absolute_url()
    response = client.post(
        page + "kommentar/", {"text": TEXT}, HTTP_REFERER="https://evil.example/side"
    )
    assert response.status_code == 404  # as before: a closed project is not revealed
    client.force_login(people["participant"])
    assert _textarea(client.get(page), "text", "id_comment_text").strip() == ""


def test_a_stale_form_gets_a_danish_page_and_keeps_the_text(people, log):
    page = log.get_absolute_url()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["participant"])
    opened = browser.get(page)
    token = BeautifulSoup(opened.content, "html.parser").find(
        "input", attrs={"name": "csrfmiddlewaretoken"}
    )["value"]
    browser.logout()  # logging out and in again in another tab renews the token
    browser.force_login(people["participant"])
    browser.get("/overblik/")
    response = browser.post(
        page + "kommentar/",
        {"csrfmiddlewaretoken": token, "text": TEXT},
        HTTP_REFERER=f"http://testserver{page}",
    )
    assert response.status_code == 403
    text = response.content.decode()
    assert "Formularen var for gammel" in text and f'href="{page}"' in text
    assert "står teksten i formularen igen" in text
    assert "CSRF" not in text and "Reason given" not in text
    assert _textarea(browser.get(page), "text", "id_comment_text").strip() == TEXT


def test_an_edit_sent_after_logging_out_waits_in_the_form_and_then_saves(client, people, log):
    from tests.projects.test_concurrent_edits import _form_data

    page = log.get_absolute_url() + "rediger/"
    client.force_login(people["participant"])
    opened = _form_data(client.get(page).content)
    _log_out_elsewhere(client)
    response = client.post(
        page, {**opened, "learnings": TEXT}, HTTP_REFERER=f"http://testserver{page}"
    )
    assert response["Location"] == "/konto/login/?next=" + page
    client.redirect_to = response["Location"]
    back = _log_in_again(client, people["participant"])
    again = _form_data(back.content)
    assert again["learnings"].strip() == TEXT and again["opened"] == opened["opened"]
    assert client.post(page, again).status_code == 302
    log.refresh_from_db()
    assert log.learnings == TEXT


def test_whoever_logs_in_next_on_the_browser_does_not_get_the_draft(client, people, log):
    """A member wrote a comment, was logged out, and walked away; a colleague logs in on
    the same browser. The colleague must not find the text in their comment box, one
    click from posting it under their own name."""
    page = log.get_absolute_url()
    _post_logged_out(client, people["participant"], page, page + "kommentar/", {"text": TEXT})
    colleague = people["coordinator"]
    colleague.set_password("kodeord-123")
    colleague.save()
    back = _log_in_again(client, colleague)
    assert back.redirect_chain[-1][0] == page
    assert _textarea(back, "text", "id_comment_text").strip() == ""
    assert "Din tekst er sat ind igen" not in back.content.decode()
    assert TEXT not in str(client.session.get("drafts"))  # gone, not only hidden
    # Nor does the author get it later on this browser: it was dropped at the login.
    _log_out_elsewhere(client)
    client.force_login(people["participant"])
    assert _textarea(client.get(page), "text", "id_comment_text").strip() == ""


def test_the_author_cookie_does_not_say_who_used_the_browser(client, people, log):
    """An outside check read the member's id in the cookie left after logging out."""
    client.force_login(people["participant"])
    client.get(log.get_absolute_url())
    value = client.cookies["draft_author"].value.split(":")[0]  # value:time:signature
    assert value != str(people["participant"].pk) and len(value) == 24


def test_a_forged_author_cookie_keeps_nothing(client, people, log):
    page = log.get_absolute_url()
    client.cookies["draft_author"] = str(people["participant"].pk)  # not signed
    response = client.post(
        page + "kommentar/", {"text": TEXT}, HTTP_REFERER=f"http://testserver{page}"
    )
    assert response.status_code == 404  # as for any stranger: nothing revealed, no draft
    assert "drafts" not in client.session


def test_a_stranger_posting_with_a_same_site_referer_makes_no_session(client, log):
    """A browser no member used gets the answer it would have got (404 for a closed
    project), not a login redirect, and no session row is written for its fields."""
    from django.contrib.sessions.models import Session

    page = log.get_absolute_url()
    big = {f"field{i}": "x" for i in range(5000)}
    response = client.post(
        page + "kommentar/", {"text": TEXT, **big}, HTTP_REFERER=f"http://testserver{page}"
    )
    assert response.status_code == 404
    assert not Session.objects.exists()


def test_only_the_registered_form_fields_are_kept(client, people, log):
    """A draft never holds another form's secrets: a two-factor code, a token, a
    one-time password, or fields that no draft-taking form has."""
    page = log.get_absolute_url()
    _post_logged_out(
        client,
        people["participant"],
        page,
        page + "kommentar/",
        {"text": TEXT, "code": "123456", "token": "t0k3n", "otp": "999", "junk": "y" * 500},
    )
    kept = client.session["drafts"][page]["data"]
    assert kept == {"text": [TEXT]}


def test_nothing_posted_to_the_account_pages_is_kept(client, people, log):
    page = log.get_absolute_url()
    client.force_login(people["participant"])
    _log_out_elsewhere(client)
    client.post(
        "/konto/2fa/authenticate/",
        {"code": "123456", "text": TEXT},
        HTTP_REFERER=f"http://testserver{page}",
    )
    assert not client.session.get("drafts")


@pytest.mark.parametrize(
    "referer", ["http://testserver//evil.example/x", "http://testserver/\\evil.example"]
)
def test_a_referer_with_another_host_in_its_path_is_not_a_page(rf, referer):
    from network.drafts import form_page

    request = rf.post("/x/", HTTP_REFERER=referer)
    assert form_page(request) is None
