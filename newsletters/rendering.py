"""Turning an edition into mails: HTML with a plain-text alternative, per segment.

Each segment is rendered once; the personal links (preferences, unsubscribe) are
placeholders replaced per mail, so a mail costs a string replace and a signature,
not a template render.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, parseaddr
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from . import tokens
from .models import Edition
from .segments import EditionContent, Segment

MANAGE_PLACEHOLDER = "__NEWSLETTER_MANAGE_URL__"
UNSUBSCRIBE_PLACEHOLDER = "__NEWSLETTER_UNSUBSCRIBE_URL__"
_TOKEN = "__TOKEN__"


def absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def message_id(edition_id: int, delivery_id: int, host: str | None = None) -> str:
    """One delivery's Message-ID, the same however often it is sent."""
    return f"<nyhedsbrev.{edition_id}.{delivery_id}@{host or site_host()}>"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


LIST_NAME = "Beskæftigelsesnetværkets nyhedsbrev"


@lru_cache(maxsize=256)
def encoded_words(text: str) -> str:
    """`text` as an RFC 2047 encoded-word when it is not ASCII, computed once: Python's
    header encoder costs about a millisecond per header, and an edition's subject,
    sender and list name are the same in every one of its mails.

    A text longer than one encoded-word (about 40 letters with æ, ø or å) becomes
    several, which the encoder puts on lines of their own. Django refuses a header with
    a newline (BadHeaderError: every mail of an edition with a subject of 51 letters
    failed), so they are joined by spaces, which RFC 2047 ignores between encoded-words;
    the mail is folded again when it is written out."""
    return text if text.isascii() else Header(text, "utf-8").encode(linesep=" ")


def encoded_address(address: str) -> str:
    name, mailbox = parseaddr(address)
    return formataddr((encoded_words(name), mailbox)) if name else address


class NewsletterMessage(EmailMultiAlternatives):
    """An edition's mail: `subject` stays readable on the object, and is written into
    the MIME message already encoded (see `encoded_words`)."""

    def message(self, *args, **kwargs):
        readable = self.subject
        self.subject = encoded_words(readable)
        try:
            return super().message(*args, **kwargs)
        finally:
            self.subject = readable


@dataclass(frozen=True)
class Recipient:
    email: str
    subscriber_id: int | None = None
    manage_key: str = ""
    delivery_id: int | None = None


class EditionMailer:
    def __init__(self, edition: Edition, content: EditionContent | None = None):
        self.edition = edition
        self.content = content or EditionContent(edition)
        self.web_url = absolute(edition.get_absolute_url())
        self.host = site_host()
        # RFC 2919: the phrase may be an encoded-word; the <list id> stays literal.
        self.list_id = f"{encoded_words(LIST_NAME)} <nyhedsbrev.{self.host}>"
        self.from_email = encoded_address(settings.DEFAULT_FROM_EMAIL)
        self._manage_url = absolute(reverse("newsletters:preferences", args=[_TOKEN]))
        self._unsubscribe_url = absolute(reverse("newsletters:unsubscribe", args=[_TOKEN]))
        self._rendered: dict[str, Rendered | None] = {}

    def render(self, segment: Segment | None) -> Rendered | None:
        """The mail for a segment, with placeholders for the personal links; None if
        the segment has nothing in this edition."""
        key = "*" if segment is None else segment.key
        if key not in self._rendered:
            sections = self.content.sections(segment)
            self._rendered[key] = self._render(sections) if sections else None
        return self._rendered[key]

    def _render(self, sections) -> Rendered:
        context = {
            "edition": self.edition,
            "intro": self.edition.intro_paragraphs(),
            "sections": [
                {
                    "work_area": s.work_area,
                    "items": [self._item(i) for i in s.items],
                    "also": [(self._item(i), under) for i, under in s.also],
                }
                for s in sections
            ],
            "web_url": self.web_url,
            "manage_url": MANAGE_PLACEHOLDER,
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": settings.SITE_URL,
        }
        return Rendered(
            subject=self.edition.subject,
            html=render_to_string("newsletters/mail/edition.html", context),
            text=render_to_string("newsletters/mail/edition.txt", context),
        )

    @staticmethod
    def _item(item) -> dict:
        return {
            "title": item.title,
            "summary": item.summary,
            "url": absolute(item.url),
            "kind": item.kind,
            "when": item.when,
        }

    def preview_html(self, segment: Segment | None) -> str | None:
        """The HTML mail as a segment sees it, personal links pointing at the subscribe page."""
        rendered = self.render(segment)
        return None if rendered is None else self._preview_links(rendered.html)

    def preview_text(self, segment: Segment | None) -> str | None:
        """The plain-text mail as a segment sees it, links as in `preview_html`."""
        rendered = self.render(segment)
        return None if rendered is None else self._preview_links(rendered.text)

    def _preview_links(self, body: str) -> str:
        url, _ = self.personal_urls(Recipient(email=""))
        return body.replace(MANAGE_PLACEHOLDER, url).replace(UNSUBSCRIBE_PLACEHOLDER, url)

    def personal_urls(self, recipient: Recipient) -> tuple[str, str]:
        if recipient.subscriber_id is None:  # a test mail to an editor
            fallback = absolute(reverse("newsletters:subscribe"))
            return fallback, fallback
        token = tokens.manage_token(recipient.subscriber_id, recipient.manage_key)
        return (
            self._manage_url.replace(_TOKEN, token),
            self._unsubscribe_url.replace(_TOKEN, token),
        )

    def message(
        self, recipient: Recipient, segment: Segment | None, connection=None, subject_prefix=""
    ) -> EmailMultiAlternatives | None:
        rendered = self.render(segment)
        if rendered is None:
            return None
        manage_url, unsubscribe_url = self.personal_urls(recipient)
        headers = {
            "List-Id": self.list_id,
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        if recipient.subscriber_id is None:
            # A test mail to an editor: there is no subscription to end, so no one-click
            # header (a mail program's POST to the fallback page was answered 403).
            del headers["List-Unsubscribe-Post"]
        if recipient.delivery_id is not None:
            # Stable per delivery: if an in-doubt mail is ever resent, mail systems
            # that de-duplicate on Message-ID show it once.
            headers["Message-ID"] = message_id(self.edition.pk, recipient.delivery_id, self.host)

        def personal(body: str) -> str:
            return body.replace(MANAGE_PLACEHOLDER, manage_url).replace(
                UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url
            )

        message = NewsletterMessage(
            subject=subject_prefix + rendered.subject,
            body=personal(rendered.text),
            from_email=self.from_email,
            to=[recipient.email],
            headers=headers,
            connection=connection,
        )
        message.attach_alternative(personal(rendered.html), "text/html")
        return message
