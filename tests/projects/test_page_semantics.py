"""What a screen reader user and a keyboard user get on the project pages: found by an
outside accessibility walk (December 2026) that the automated axe scan passed."""

import re

import pytest
from bs4 import BeautifulSoup

from projects.factories import create_event, create_log

pytestmark = pytest.mark.django_db


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_an_empty_comment_is_answered_by_a_summary_that_takes_the_focus(client, people, project):
    """The page came back at #kommentarer with the error below the screen, focus on the
    body, and a title that did not say "Fejl"."""
    log = create_log(project, people["participant"], visibility="network")
    client.force_login(people["other_participant"])
    response = client.post(log.get_absolute_url() + "kommentar/", {"text": "   "})
    soup = _soup(response)
    assert soup.title.get_text().startswith("Fejl:")
    summary = soup.select_one("#kommentarer .error-summary")
    assert summary is not None and summary.has_attr("autofocus")
    assert summary.select_one("a")["href"] == "#" + soup.select_one("#kommentarer textarea")["id"]
    assert soup.select_one("#tidslinje .error-summary") is None


def test_an_empty_update_is_answered_in_the_timeline(client, people, project):
    log = create_log(project, people["participant"], visibility="network")
    client.force_login(people["participant"])
    soup = _soup(client.post(log.get_absolute_url() + "opdatering/", {"text": ""}))
    assert soup.title.get_text().startswith("Fejl:")
    assert soup.select_one("#tidslinje .error-summary[autofocus]") is not None
    assert soup.select_one("#kommentarer .error-summary") is None


def test_a_saved_comment_is_confirmed_where_the_page_lands(client, people, project):
    """The page lands at #kommentarer; "Din kommentar er gemt." was at the top, out of
    sight. Other messages stay at the top."""
    log = create_log(project, people["participant"], visibility="network")
    client.force_login(people["other_participant"])
    response = client.post(
        log.get_absolute_url() + "kommentar/", {"text": "Godt gået"}, follow=True
    )
    soup = _soup(response)
    assert response.redirect_chain[-1][0].endswith("#kommentarer")
    (told,) = soup.find_all(string=re.compile("Din kommentar er gemt"))
    assert told.find_parent(id="kommentarer") is not None
    assert told.find_parent(attrs={"role": "status"}) is not None

    client.force_login(people["participant"])
    response = client.post(log.get_absolute_url() + "opdatering/", {"text": "Uge 2"}, follow=True)
    (told,) = _soup(response).find_all(string=re.compile("Opdateringen er tilføjet"))
    assert told.find_parent(id="tidslinje") is not None
    # Once, not also at the top of the page.
    assert _soup(response).select_one("main > .messages") is None


def test_a_message_about_something_else_stays_at_the_top(client, people, project):
    """Only the timeline's and the comments' messages move into their sections."""
    log = create_log(project, people["participant"], visibility="network")
    client.force_login(people["other_participant"])
    response = client.post(
        "/varsler/foelg/",
        {"kind": "trial_action", "key": str(log.pk), "next": log.get_absolute_url()},
        follow=True,
    )
    top = _soup(response).select_one(".messages")
    assert top is not None and top.get_text(strip=True)


def test_each_comments_links_say_whose_comment_they_act_on(client, people, project):
    from projects.models import TrialActionComment

    log = create_log(project, people["participant"], visibility="network")
    for author in (people["other_participant"], people["participant"]):
        TrialActionComment.objects.create(trial_action=log, author=author, text="Hej")
    client.force_login(people["coordinator"])
    soup = _soup(client.get(log.get_absolute_url()))
    comments = soup.select("#kommentarer ol.comment-list > li.comment")
    assert len(comments) == 2
    reports = [a.get_text(" ", strip=True) for a in soup.select("#kommentarer a[href$='/anmeld/']")]
    assert len(reports) == 2 and len(set(reports)) == 2
    assert all(text.startswith("Anmeld kommentaren fra ") for text in reports)
    assert any(people["other_participant"].first_name in text for text in reports)
    hides = [
        b.get_text(" ", strip=True) for b in soup.select("#kommentarer .comment__actions button")
    ]
    assert len(set(hides)) == 2 and all(text.startswith("Skjul kommentaren fra ") for text in hides)


def test_the_project_pages_events_stand_under_their_group_heading(client, people, project):
    create_event(project, "Temadag i foråret")
    create_event(project, "Temadag sidste år", days_ahead=-200)
    client.force_login(people["participant"])
    soup = _soup(client.get(project.url))
    for group in ("Kommende", "Afholdt"):
        heading = soup.find("h3", string=group)
        event = heading.find_next("li", class_="event-card")
        assert event.find("h4") is not None and event.find("h3") is None


def test_page_titles_say_which_log_or_comment(client, people, project):
    from projects.models import TrialActionComment

    log = create_log(
        project, people["other_participant"], title="Walk and talk", visibility="network"
    )
    comment = TrialActionComment.objects.create(
        trial_action=log, author=people["other_participant"], text="Hej"
    )
    client.force_login(people["participant"])

    def title(path):
        return _soup(client.get(path)).title.get_text()

    assert title(log.get_absolute_url() + "vi-proever-ogsaa/").startswith(
        "Vi prøver også: »Walk and talk«"
    )
    assert title(project.url + f"kommentarer/{comment.pk}/anmeld/").startswith(
        f"Anmeld kommentaren fra {people['other_participant'].name}"
    )
    log.status = "completed"
    log.save()
    client.force_login(people["other_participant"])
    assert title(log.get_absolute_url() + "foreslaa-artikel/").startswith(
        "Foreslå »Walk and talk« som erfaringsartikel"
    )


def test_a_text_of_only_invisible_characters_is_refused(client, people, project):
    """An outside attacker saved a log title, a comment and a name of zero-width
    spaces: an invisible link in the list, an empty comment, a nameless member."""
    from projects.models import TrialActionComment

    log = create_log(project, people["participant"], visibility="network")
    client.force_login(people["other_participant"])
    response = client.post(log.get_absolute_url() + "kommentar/", {"text": "\u200b\u200b\u200b"})
    assert response.status_code == 200
    assert "kun usynlige tegn" in response.content.decode()
    assert not TrialActionComment.objects.exists()
    client.post(log.get_absolute_url() + "kommentar/", {"text": "Godt\u200b gået"})
    assert TrialActionComment.objects.get().text == "Godt\u200b gået"  # text around it is kept

    response = client.post(
        "/profil/",
        {"first_name": "\u200b\u2060", "last_name": "Hansen", "email_visibility": "members"},
    )
    assert "kun usynlige tegn" in response.content.decode()
