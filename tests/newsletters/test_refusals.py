"""A mail the server refused before its DATA began was certainly not taken: it goes
back to the queue, never "in doubt", whatever --in-doubt says (an outside review's
scenarios)."""

import smtplib
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from newsletters import sending
from newsletters.factories import SubscriberFactory, edition_with_items
from newsletters.models import Delivery
from tests.net import unused_port

pytestmark = pytest.mark.django_db

EMAILS = [f"p{n}@kommune.example" for n in range(5)]


def _edition():
    edition = edition_with_items({"unge": 1})
    for email in EMAILS:
        SubscriberFactory(email=email, work_areas=["unge"])
    sending.start(edition)
    return edition


class SenderRefusedOnce(EmailBackend):
    """The server answers MAIL FROM for one recipient's message with 451 once:
    smtplib raises SMTPSenderRefused before any of the message was sent."""

    refuse: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if message.to[0] in SenderRefusedOnce.refuse:
                SenderRefusedOnce.refuse.discard(message.to[0])
                raise smtplib.SMTPSenderRefused(451, b"4.7.1 Try again later", "nyhed@x")
        return super().send_messages(messages)


def test_a_refused_sender_is_waited_for_and_nobody_is_counted_in_doubt(settings):
    edition = _edition()
    settings.EMAIL_BACKEND = f"{__name__}.SenderRefusedOnce"
    settings.NEWSLETTER_SMTP_RETRY_SECONDS = 5
    SenderRefusedOnce.refuse = {"p2@kommune.example"}
    progress = sending.run(edition, batch_size=10, in_doubt="assume-sent", sleep=lambda s: None)
    assert (progress.sent, progress.in_doubt) == (5, 0)
    assert Counter(m.to[0] for m in mail.outbox) == Counter(dict.fromkeys(EMAILS, 1))
    assert not Delivery.objects.filter(last_error__startswith="Regnet for sendt").exists()


class Refuse421Once:
    """A real SMTP server that answers RCPT for one address once with 421 (closing):
    smtplib closes its socket, and the next message needs a new connection."""

    def __init__(self, address):
        self.address = address
        self.received = Counter()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.address:
            self.address = None
            return "421 4.7.0 Too many messages, closing"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            self.received[address] += 1
        return "250 2.0.0 Ok: queued"


def test_the_mail_after_a_421_goes_over_a_new_connection(settings):
    port = unused_port()
    edition = _edition()
    handler = Refuse421Once("p1@kommune.example")
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.NEWSLETTER_SMTP_RETRY_SECONDS = 5
        progress = sending.run(edition, in_doubt="assume-sent", sleep=lambda s: None)
    finally:
        controller.stop()
    # p1 was refused once and sent on its retry; p2, after the closed connection, went
    # over a new one. Everybody once, nobody "assumed sent".
    assert (progress.sent, progress.in_doubt) == (5, 0)
    assert handler.received == Counter(dict.fromkeys(EMAILS, 1))
    assert not Delivery.objects.filter(last_error__startswith="Regnet for sendt").exists()
