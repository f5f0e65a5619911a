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
from newsletters.rendering import EditionMailer, site_host

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
    body = mail.outbox[0].body
    assert body.count(item.summary) == 1  # in full once
    # ... and named in the other area's section, which would otherwise be gone (an
    # outside walk looked for their area in the web version and found no section).
    assert "INTEGRATION" in body
    assert f"Også om integration:\n* {item.title} (under Unge)" in body
    html = mail.outbox[0].alternatives[0][0]
    assert f">{item.title}</a> (under Unge)" in html
    from django.test import Client

    web = Client().get(edition.get_absolute_url()).content.decode()
    assert 'id="omraade-' in web and "Også om integration:" in web


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


def test_list_id_encodes_the_name_and_keeps_the_list_id_literal():
    """RFC 2919: `List-Id: phrase <list-id>`; the phrase may be an encoded-word (the name
    has "æ"), the <list-id> must stay readable. Encoding the header as a whole hid it."""
    from email import message_from_bytes
    from email.header import decode_header, make_header

    edition = edition_with_items({"unge": 1})
    SubscriberFactory(email="laeser@kommune.example", work_areas=["unge"])
    send(edition)
    raw = mail.outbox[0].message().as_bytes()
    header = re.sub(r"\r?\n[ \t]+", " ", message_from_bytes(raw)["List-Id"])  # unfolded

    assert re.fullmatch(r"=\?utf-8\?\S+\?= <nyhedsbrev\.[\w.-]+>", header), header
    assert str(make_header(decode_header(header))).startswith(
        "Beskæftigelsesnetværkets nyhedsbrev <nyhedsbrev."
    )
    parsed = message_from_bytes(raw)
    assert str(make_header(decode_header(parsed["Subject"]))) == mail.outbox[0].subject
    assert "Beskæftigelsesnetværket" in str(make_header(decode_header(parsed["From"])))


def test_a_long_danish_subject_reaches_everyone():
    """Over one encoded-word (about 40 letters with æøå) the encoder wrote the subject on
    several lines; Django refused it, and every mail of the edition failed."""
    from email import message_from_bytes
    from email.header import decode_header, make_header

    subject = "Sygedagpenge, jobafklaring og ressourceforløb: nyt fra kommunerne – æøå"
    edition = edition_with_items({"unge": 1}, subject=subject)
    for n in range(3):
        SubscriberFactory(email=f"laeser{n}@kommune.example", work_areas=["unge"])
    send(edition)
    assert len(mail.outbox) == 3
    parsed = message_from_bytes(mail.outbox[0].message().as_bytes())
    assert str(make_header(decode_header(parsed["Subject"]))) == subject


def test_an_edition_whose_mail_cannot_be_built_is_not_frozen():
    edition = edition_with_items({"unge": 1}, subject="Linje et\nlinje to")
    SubscriberFactory(email="laeser@kommune.example", work_areas=["unge"])
    with pytest.raises(sending.SendingError, match="intet er sendt"):
        sending.start(edition)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT and not edition.deliveries.exists()


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


def _dead_run(edition, rows: int, handed: int, *, stale=False):
    """What a `kill -9` leaves: a SendRun whose process is gone (or, with stale, whose
    heartbeat stopped on another host) holding `rows` rows, `handed` of them handed to
    the mail server."""
    import uuid

    from newsletters.models import SendRun

    run = SendRun.objects.create(
        id=uuid.uuid4(),
        edition=edition,
        host="anden-server" if stale else __import__("socket").gethostname(),
        pid=2**22 + 12345,  # no such process
        started_at=timezone.now(),
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=5 if stale else 0),
    )
    ids = list(Delivery.objects.order_by("pk").values_list("pk", flat=True)[:rows])
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.SENDING, claim=run.id, claimed_at=timezone.now()
    )
    Delivery.objects.filter(pk__in=ids[:handed]).update(handed_at=timezone.now())
    return run


@pytest.mark.parametrize("stale", [False, True], ids=["process-gone", "heartbeat-stopped"])
def test_a_killed_run_is_known_dead_at_once_and_only_its_handed_mail_is_in_doubt(stale):
    edition = edition_with_items({"unge": 1})
    SubscriberFactory.create_batch(5, work_areas=["unge"])
    sending.start(edition)
    _dead_run(edition, rows=3, handed=1, stale=stale)

    before = sending.progress(edition)
    # Honest counters: every row is somewhere, the never-handed ones are waiting.
    assert (before.total, before.sent, before.pending, before.sending, before.in_doubt) == (
        5,
        0,
        4,
        0,
        1,
    )

    progress = sending.run(edition)  # the default: send the one in doubt again

    assert len(mail.outbox) == 5 and progress.sent == 5 and progress.in_doubt == 0
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT


def test_in_doubt_can_wait_for_a_person_or_be_assumed_sent():
    edition = edition_with_items({"unge": 1})
    SubscriberFactory.create_batch(4, work_areas=["unge"])
    sending.start(edition)
    _dead_run(edition, rows=2, handed=1)

    progress = sending.run(edition, in_doubt="wait")
    assert len(mail.outbox) == 3 and (progress.sent, progress.in_doubt) == (3, 1)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENDING

    out = io.StringIO()
    with pytest.raises(SystemExit) as unfinished:  # 75: cron sees an unfinished send
        call_command(
            "send_newsletter", str(edition.pk), "--no-progress", "--in-doubt=wait", stdout=out
        )
    assert unfinished.value.code == 75
    assert "Usikre: 1" in out.getvalue() and "--in-doubt=resend" in out.getvalue()
    # Which one, to look for in the mail server's log: the address and its Message-ID.
    (doubt,) = sending.in_doubt(edition)
    handed = Delivery.objects.get(pk=doubt.delivery_id)
    assert doubt.email == handed.subscriber.email
    assert f"  {doubt.email}  " in out.getvalue() and doubt.message_id in out.getvalue()
    assert doubt.message_id == f"<nyhedsbrev.{edition.pk}.{handed.pk}@{site_host()}>"
    # The admin's overview lists it too.
    from django.test import Client

    from network.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    overview = client.get(f"/admin/nyhedsbreve/udgaver/overview/{edition.pk}/").content.decode()
    assert doubt.email in overview
    assert doubt.message_id.replace("<", "&lt;").replace(">", "&gt;") in overview

    call_command(
        "send_newsletter",
        str(edition.pk),
        "--no-progress",
        "--in-doubt=assume-sent",
        stdout=io.StringIO(),
    )
    assert len(mail.outbox) == 3  # nobody got it twice; one may never have got it
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    assumed = Delivery.objects.get(last_error__startswith="Regnet for sendt")
    assert assumed.status == DeliveryStatus.SENT


def test_a_live_run_keeps_its_rows():
    import os
    import socket
    import uuid

    from newsletters.models import SendRun

    edition = edition_with_items({"unge": 1})
    SubscriberFactory.create_batch(3, work_areas=["unge"])
    sending.start(edition)
    live = SendRun.objects.create(
        id=uuid.uuid4(),
        edition=edition,
        host=socket.gethostname(),
        pid=os.getpid(),
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    held = Delivery.objects.order_by("pk").first()
    Delivery.objects.filter(pk=held.pk).update(
        status=DeliveryStatus.SENDING, claim=live.id, handed_at=timezone.now()
    )

    progress = sending.run(edition)

    assert len(mail.outbox) == 2
    assert (progress.sending, progress.in_doubt, progress.sent) == (1, 0, 2)
    held.refresh_from_db()
    assert held.status == DeliveryStatus.SENDING and held.claim == live.id


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


def test_a_batch_costs_one_write_per_mail_and_a_few_queries_more():
    # Each mail is marked handed before it goes, and sent once the server took it, in
    # the same statement as the next mail's handed mark (so a hard kill leaves at most
    # one mail in doubt): one UPDATE per mail, one more for the batch's last mail.
    small = _queries_per_batch(subscribers=8, batch_size=4)
    Subscriber.objects.all().delete()
    large = _queries_per_batch(subscribers=120, batch_size=100)
    assert large - small == 100 - 4
    assert small - 4 <= 6


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
    per_batch = (eighty - forty - 40) / 4  # one write per mail, see above
    assert per_batch <= 5


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


# -- the database goes away during a send ------------------------------------------


def _database_away(monkeypatch, failures: int, names=("_mark_sent_and_handed", "_mark_sent")):
    """The next `failures` writes of a sent mail's record (or the other writes named)
    fail as a lost PostgreSQL connection does (OperationalError); then the database is
    back."""
    from django.db import OperationalError

    left = {"n": failures}

    def flaky(real):
        def write(*args, **kwargs):
            if left["n"]:
                left["n"] -= 1
                raise OperationalError("server closed the connection unexpectedly")
            return real(*args, **kwargs)

        return write

    for name in names:
        monkeypatch.setattr(sending, name, flaky(getattr(sending, name)))
    monkeypatch.setattr(sending.time, "sleep", lambda seconds: None)


def _subscribers(n):
    emails = {f"db{n}@kommune.example" for n in range(n)}
    for email in emails:
        SubscriberFactory(email=email, work_areas=["unge"])
    return emails


@pytest.mark.django_db(transaction=True)  # a lost connection is closed and opened again
def test_a_database_blip_during_a_send_loses_and_doubles_nothing(monkeypatch, settings):
    """The database restarts mid-send: the record of the mail the server had just taken
    is written once it is back, and the send goes on. Before, a traceback, and that
    mail was sent again on resume."""
    settings.NEWSLETTER_DB_RETRY_SECONDS = 60
    edition = edition_with_items({"unge": 1})
    emails = _subscribers(8)
    _database_away(monkeypatch, failures=3)
    out = io.StringIO()
    call_command("send_newsletter", str(edition.pk), "--no-progress", stdout=out)
    assert "Færdig. Sendt: 8 af 8" in out.getvalue()
    assert Counter(m.to[0] for m in mail.outbox) == Counter({email: 1 for email in emails})


@pytest.mark.django_db(transaction=True)
def test_a_database_blip_between_two_batches_does_not_stop_the_send(monkeypatch, settings):
    """The database restarts while the next batch is claimed, while a mail is marked as
    being handed to the server, or as the run ends: each is tried again once it is back.
    Before, the whole send stopped (exit 75) and had to be resumed by hand."""
    from django.db import OperationalError

    settings.NEWSLETTER_DB_RETRY_SECONDS = 60
    edition = edition_with_items({"unge": 1})
    emails = _subscribers(7)
    real_claim, calls = sending.claim, {"n": 0}

    def flaky_claim(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] in (2, 3):  # the second batch's claim, twice
            raise OperationalError("server closed the connection unexpectedly")
        return real_claim(*args, **kwargs)

    monkeypatch.setattr(sending, "claim", flaky_claim)
    # And before a mail, and in the run's last steps on its own connection, which sat
    # idle while the senders worked (a restart had dropped it: exit 75 with every mail
    # sent, found by terminating the database's connections during a real send).
    for names in (("_mark_handed",), ("skip_unreachable",), ("finish_if_done",)):
        _database_away(monkeypatch, failures=1, names=names)
    out = io.StringIO()
    call_command("send_newsletter", str(edition.pk), "--no-progress", "--batch-size=3", stdout=out)
    assert "Færdig. Sendt: 7 af 7" in out.getvalue()
    assert calls["n"] >= 5  # three batches, two failed tries and the empty last claim
    assert Counter(m.to[0] for m in mail.outbox) == Counter({email: 1 for email in emails})


@pytest.mark.django_db(transaction=True)
def test_a_database_gone_for_good_stops_the_send_in_danish_and_resumes(monkeypatch, settings):
    """The database stays away: the send stops with a Danish message, exit 75 (as for
    the mail server) and no traceback, names the one mail the server took that could
    not be recorded, and resumes later; with --in-doubt=assume-sent nobody gets two."""
    from django.core.management.base import CommandError

    settings.NEWSLETTER_DB_RETRY_SECONDS = 0
    edition = edition_with_items({"unge": 1})
    emails = _subscribers(6)
    _database_away(monkeypatch, failures=10_000)
    with pytest.raises(CommandError) as stopped:
        call_command("send_newsletter", str(edition.pk), "--no-progress", stdout=io.StringIO())
    assert stopped.value.returncode == 75
    message = str(stopped.value)
    assert message.startswith("Databasen svarer ikke")
    assert "Mailserveren havde taget imod 1 mail(s), som ikke kunne registreres" in message
    assert f"send_newsletter {edition.pk}" in message
    assert len(mail.outbox) == 1

    monkeypatch.undo()
    out = io.StringIO()
    call_command(
        "send_newsletter",
        str(edition.pk),
        "--no-progress",
        "--in-doubt=assume-sent",
        stdout=out,
    )
    assert "Færdig. Sendt: 6 af 6" in out.getvalue()
    assert Counter(m.to[0] for m in mail.outbox) == Counter({email: 1 for email in emails})


def test_the_mails_taken_but_not_recorded_are_named_even_when_the_cleanup_fails(monkeypatch):
    """On PostgreSQL the sender resets synchronous_commit on the way out; with the
    database gone that failed too, and its error replaced the one naming the mails the
    server had taken, so the stop message named none (found by a kill-halfway check)."""
    from django.db import OperationalError

    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    real_cursor = connection.cursor
    calls = {"n": 0}

    def cursor(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 1:  # SET works; the RESET on the way out meets a dead database
            raise OperationalError("server closed the connection unexpectedly")
        return real_cursor(*args, **kwargs)

    monkeypatch.setattr(connection, "cursor", cursor)
    with pytest.raises(sending.DatabaseUnavailable) as stopped:
        with sending._asynchronous_commits():
            raise sending.DatabaseUnavailable(OperationalError("gone"), [41, 42])
    assert stopped.value.unrecorded == [41, 42]


@pytest.mark.django_db(transaction=True)
def test_ctrl_c_stops_the_send_in_danish_and_it_resumes(monkeypatch):
    """Ctrl-C in the middle of a send: a Danish message naming the command that resumes
    it, exit 130 and no traceback; the resume reaches everyone, each once (the mail
    the server had taken when it stopped is assumed sent)."""
    from django.core.mail.backends.locmem import EmailBackend
    from django.core.management.base import CommandError

    edition = edition_with_items({"unge": 1})
    emails = _subscribers(6)
    real_send = EmailBackend.send_messages

    def interrupted(self, messages):
        sent = real_send(self, messages)
        if len(mail.outbox) == 3:
            raise KeyboardInterrupt
        return sent

    monkeypatch.setattr(EmailBackend, "send_messages", interrupted)
    with pytest.raises((CommandError, KeyboardInterrupt)) as stopped:  # not the test run
        call_command("send_newsletter", str(edition.pk), "--no-progress", stdout=io.StringIO())
    assert isinstance(stopped.value, CommandError), "a traceback instead of a message"
    assert stopped.value.returncode == 130
    assert str(stopped.value).startswith("Afbrudt. Udsendelsen er stoppet")
    assert f"send_newsletter {edition.pk}" in str(stopped.value)

    monkeypatch.undo()
    out = io.StringIO()
    call_command(
        "send_newsletter", str(edition.pk), "--no-progress", "--in-doubt=assume-sent", stdout=out
    )
    assert "Færdig. Sendt: 6 af 6" in out.getvalue()
    assert Counter(m.to[0] for m in mail.outbox) == Counter({email: 1 for email in emails})
