"""Sending: segments, headers, who never receives, and exactly-once across crashes."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsletters import sending, subscriptions, tasks
from newsletters.factories import EditionItemFactory, SubscriberFactory, edition_with_items
from newsletters.models import (
    Delivery,
    DeliveryStatus,
    EditionStatus,
    Subscriber,
    SubscriberStatus,
)
from newsletters.rendering import EditionMailer

from .backends import CrashingBackend, RefusingBackend
from .utils import by_recipient, html_of

pytestmark = pytest.mark.django_db
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def send(edition, **kwargs):
    sending.start(edition)
    return sending.run(edition, **kwargs)


def titles(edition, slug):
    return list(edition.items.filter(work_area__slug=slug).values_list("title", flat=True))


def test_each_subscriber_gets_exactly_their_sections():
    edition = edition_with_items({"unge": 2, "integration": 1, "sygedagpenge": 1})
    SubscriberFactory(email="unge@kommune.example", work_areas=["unge"])
    SubscriberFactory(email="to@kommune.example", work_areas=["integration", "sygedagpenge"])
    SubscriberFactory(email="intet@kommune.example", work_areas=["ydelser"])

    progress = send(edition)

    mails = by_recipient(mail.outbox)
    assert set(mails) == {"unge@kommune.example", "to@kommune.example"}  # "intet" gets nothing
    assert progress.total == progress.sent == 2
    young = mails["unge@kommune.example"]
    assert all(title in young.body for title in titles(edition, "unge"))
    assert not any(
        t in young.body for t in titles(edition, "integration") + titles(edition, "sygedagpenge")
    )
    assert "Unge" in html_of(young) and "Integration" not in html_of(young)
    two = mails["to@kommune.example"]
    assert all(
        t in two.body for t in titles(edition, "integration") + titles(edition, "sygedagpenge")
    )
    assert not any(title in two.body for title in titles(edition, "unge"))
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT and edition.sent_at


def test_an_item_in_two_of_my_areas_is_shown_once():
    edition = edition_with_items({"unge": 1})
    item = edition.items.get()
    EditionItemFactory(
        edition=edition, work_area=_area("integration"), title=item.title, url=item.url
    )
    SubscriberFactory(email="begge@kommune.example", work_areas=["unge", "integration"])
    send(edition)
    assert mail.outbox[0].body.count(item.title) == 1


def test_places_limit_local_items_but_never_national_ones():
    edition = edition_with_items({"unge": 1})
    national = edition.items.get()
    EditionItemFactory(
        edition=edition, work_area=_area("unge"), title="Nyt fra Aarhus", municipality_codes="0751"
    )
    SubscriberFactory(email="kbh@kommune.example", work_areas=["unge"], municipalities=["0101"])
    midt = SubscriberFactory(email="midt@kommune.example", work_areas=["unge"])
    from network.models import Region

    midt.regions.set([Region.objects.get(code="1082")])  # Region Midtjylland holds Aarhus
    everywhere = SubscriberFactory(email="alle@kommune.example", work_areas=["unge"])

    send(edition)

    mails = by_recipient(mail.outbox)
    assert national.title in mails["kbh@kommune.example"].body
    assert "Nyt fra Aarhus" not in mails["kbh@kommune.example"].body
    assert "Nyt fra Aarhus" in mails["midt@kommune.example"].body
    assert "Nyt fra Aarhus" in mails[everywhere.email].body


def test_every_mail_has_unsubscribe_headers_a_text_part_and_a_self_contained_html_part():
    edition = edition_with_items({"unge": 2})
    SubscriberFactory(email="laeser@kommune.example", work_areas=["unge"])
    send(edition)
    (message,) = mail.outbox
    assert re.fullmatch(
        r"<https?://\S+/nyhedsbrev/afmeld/\S+/>", message.extra_headers["List-Unsubscribe"]
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = message.message()
    assert raw.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in raw.get_payload()] == ["text/plain", "text/html"]
    assert "<" not in message.body.replace("<http", "")  # plain text, not markup
    assert "/nyhedsbrev/arkiv/" in message.body  # link to the web version
    html = html_of(message)
    assert "Læs nyhedsbrevet i din browser" in html and "/nyhedsbrev/indstillinger/" in html
    assert 'style="' in html
    assert not re.search(r"<(img|link|script)\b", html)
    assert "__NEWSLETTER" not in html + message.body


def test_unconfirmed_paused_and_unsubscribed_addresses_get_nothing():
    edition = edition_with_items({"unge": 1})
    SubscriberFactory(email="aktiv@kommune.example", work_areas=["unge"])
    for status in (
        SubscriberStatus.PENDING,
        SubscriberStatus.PAUSED,
        SubscriberStatus.UNSUBSCRIBED,
    ):
        SubscriberFactory(email=f"{status}@kommune.example", work_areas=["unge"], status=status)
    send(edition)
    assert [m.to for m in mail.outbox] == [["aktiv@kommune.example"]]
    assert Delivery.objects.count() == 1


def test_who_unsubscribes_or_pauses_during_sending_gets_nothing():
    edition = edition_with_items({"unge": 1})
    leaving = SubscriberFactory(email="gaar@kommune.example", work_areas=["unge"])
    pausing = SubscriberFactory(email="pause@kommune.example", work_areas=["unge"])
    SubscriberFactory(email="bliver@kommune.example", work_areas=["unge"])
    sending.start(edition)  # rows exist for all three
    subscriptions.unsubscribe(leaving, "preferences")
    pausing.status = SubscriberStatus.PAUSED
    pausing.save()
    progress = sending.run(edition)
    assert [m.to for m in mail.outbox] == [["bliver@kommune.example"]]
    assert progress.skipped == 2 and progress.total == progress.sent == 1


def test_a_crash_halfway_resumes_and_everyone_gets_exactly_one_mail(settings):
    edition = edition_with_items({"unge": 1, "integration": 1})
    emails = {f"person{n}@kommune.example" for n in range(47)}
    for n, email in enumerate(sorted(emails)):
        SubscriberFactory(email=email, work_areas=["unge"] if n % 2 else ["integration"])
    settings.EMAIL_BACKEND = "tests.newsletters.backends.CrashingBackend"
    CrashingBackend.accepted, CrashingBackend.crash_after = 0, 23

    sending.start(edition)
    with pytest.raises(Exception, match="Simuleret nedbrud"):
        sending.run(edition, batch_size=10)

    assert len(mail.outbox) == 23
    progress = sending.progress(edition)
    assert progress.sent == 23 and progress.sending == 0  # what left is recorded as sent
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENDING

    settings.EMAIL_BACKEND = LOCMEM
    call_command("send_newsletter", str(edition.pk), "--no-progress", stdout=io.StringIO())

    received = Counter(message.to[0] for message in mail.outbox)
    assert set(received) == emails
    assert set(received.values()) == {1}
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_crash_in_the_background_task_is_resumed_by_the_command(settings):
    edition = edition_with_items({"unge": 1})
    emails = {f"p{n}@kommune.example" for n in range(12)}
    for email in emails:
        SubscriberFactory(email=email, work_areas=["unge"])
    settings.EMAIL_BACKEND = "tests.newsletters.backends.CrashingBackend"
    CrashingBackend.accepted, CrashingBackend.crash_after = 0, 5
    sending.start(edition)
    result = tasks.send_edition.enqueue(edition.pk)
    assert result.status == "FAILED"
    settings.EMAIL_BACKEND = LOCMEM
    out = io.StringIO()
    call_command("send_newsletter", str(edition.pk), "--no-progress", stdout=out)
    assert "Sendt: 12 af 12" in out.getvalue()
    assert Counter(m.to[0] for m in mail.outbox) == Counter({email: 1 for email in emails})


def test_sending_again_sends_nothing_twice():
    edition = edition_with_items({"unge": 1})
    SubscriberFactory.create_batch(3, work_areas=["unge"])
    send(edition)
    sending.run(edition)
    call_command("send_newsletter", str(edition.pk), "--no-progress", stdout=io.StringIO())
    # A subscriber confirmed after the edition was sent does not get it either.
    SubscriberFactory(work_areas=["unge"])
    call_command("send_newsletter", str(edition.pk), "--no-progress", stdout=io.StringIO())
    assert len(mail.outbox) == 3


def test_a_refused_address_is_retried_a_bounded_number_of_times(settings):
    edition = edition_with_items({"unge": 1})
    SubscriberFactory(email="ok@kommune.example", work_areas=["unge"])
    SubscriberFactory(email="findes.ikke@kommune.example", work_areas=["unge"])
    SubscriberFactory(email="kort.fejl@kommune.example", work_areas=["unge"])
    settings.EMAIL_BACKEND = "tests.newsletters.backends.RefusingBackend"
    RefusingBackend.always = {"findes.ikke@kommune.example"}
    RefusingBackend.once = {"kort.fejl@kommune.example"}

    progress = send(edition, batch_size=1)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "kort.fejl@kommune.example",
        "ok@kommune.example",
    ]
    failed = Delivery.objects.get(subscriber__email="findes.ikke@kommune.example")
    assert failed.status == DeliveryStatus.FAILED
    assert failed.attempts == sending.MAX_ATTEMPTS
    assert "SMTPRecipientsRefused" in failed.last_error
    assert (progress.sent, progress.failed, progress.total) == (2, 1, 3)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT  # finished, with one failure on record


def test_mails_in_doubt_after_a_hard_kill_wait_for_a_decision():
    edition = edition_with_items({"unge": 1})
    SubscriberFactory.create_batch(4, work_areas=["unge"])
    sending.start(edition)
    # A run that died (kill -9) after claiming two rows, 20 minutes ago.
    stale = timezone.now() - datetime.timedelta(minutes=20)
    doubt = list(Delivery.objects.order_by("pk").values_list("pk", flat=True)[:2])
    Delivery.objects.filter(pk__in=doubt).update(status=DeliveryStatus.SENDING, claimed_at=stale)

    progress = sending.run(edition)
    assert len(mail.outbox) == 2 and progress.in_doubt == 2
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENDING

    out = io.StringIO()
    call_command("send_newsletter", str(edition.pk), "--no-progress", stdout=out)
    assert "Usikre: 2" in out.getvalue() and len(mail.outbox) == 2

    call_command(
        "send_newsletter",
        str(edition.pk),
        "--no-progress",
        "--in-doubt=resend",
        stdout=io.StringIO(),
    )
    assert len(mail.outbox) == 4
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT


def test_in_doubt_mails_can_be_assumed_sent():
    edition = edition_with_items({"unge": 1})
    SubscriberFactory.create_batch(2, work_areas=["unge"])
    sending.start(edition)
    stale = timezone.now() - datetime.timedelta(hours=1)
    Delivery.objects.update(status=DeliveryStatus.SENDING, claimed_at=stale)
    progress = sending.run(edition, in_doubt="assume-sent")
    assert not mail.outbox and progress.sent == 2


def _queries_per_batch(subscribers: int, batch_size: int) -> int:
    edition = edition_with_items({"unge": 2, "integration": 2, "ydelser": 1})
    areas = [["unge"], ["integration"], ["unge", "ydelser"], ["integration", "unge", "ydelser"]]
    for n in range(subscribers):
        SubscriberFactory(work_areas=areas[n % len(areas)])
    sending.start(edition)
    mailer = EditionMailer(edition)
    mailer.render(None)  # warm the template loader; not part of a batch
    from django.core.mail import get_connection

    with get_connection() as mail_connection, CaptureQueriesContext(connection) as queries:
        rows = sending.claim(edition, batch_size)
        sending.send_batch(mail_connection, mailer, rows)
    assert len(rows) == min(subscribers, batch_size)
    return len(queries)


def test_a_batch_costs_the_same_few_queries_whatever_its_size():
    small = _queries_per_batch(subscribers=8, batch_size=4)
    Subscriber.objects.all().delete()
    large = _queries_per_batch(subscribers=120, batch_size=100)
    assert small == large <= 4


def test_a_whole_run_grows_by_a_constant_per_batch():
    def run_queries(subscribers):
        edition = edition_with_items({"unge": 1})
        SubscriberFactory.create_batch(subscribers, work_areas=["unge"])
        sending.start(edition)
        with CaptureQueriesContext(connection) as queries:
            sending.run(edition, batch_size=10)
        return len(queries)

    forty = run_queries(40)  # 4 batches
    Subscriber.objects.all().delete()
    eighty = run_queries(80)  # 8 batches, twice the subscribers
    per_batch = (eighty - forty) / 4
    assert per_batch <= 4
    assert eighty < 80  # far below one query per mail


def _area(slug):
    from network.models import WorkArea

    return WorkArea.objects.get(slug=slug)


def test_two_runs_never_claim_the_same_deliveries():
    """Run A reads the claimable rows; before its UPDATE, run B claims them. A's UPDATE
    re-checks that the rows are still claimable and so claims none: nobody is mailed
    twice by two `send_newsletter` processes started together."""
    edition = edition_with_items({"unge": 1})
    for n in range(4):
        SubscriberFactory(email=f"abonnent{n}@kommune.example", work_areas=["unge"])
    sending.start(edition)
    sending.prepare(edition)
    taken_by_b: list[tuple] = []
    state = {"b_ran": False}

    def b_claims_first(execute, sql, params, many, context):
        if not state["b_ran"] and sql.lstrip().upper().startswith("UPDATE"):
            state["b_ran"] = True  # B's own UPDATE passes straight through
            taken_by_b.extend(sending.claim(edition, 10))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(b_claims_first):
        taken_by_a = sending.claim(edition, 10)
    assert len(taken_by_b) == 4
    assert taken_by_a == []
    claims = Delivery.objects.filter(edition=edition).values_list("claim", flat=True)
    assert len(set(claims)) == 1
