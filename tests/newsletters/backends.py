"""Mail backends that fail on purpose, for the crash-and-resume tests."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class CrashingBackend(EmailBackend):
    """Accepts `crash_after` messages in total, then the 'server' goes away."""

    crash_after = 0
    accepted = 0

    def send_messages(self, messages):
        for message in messages:
            if CrashingBackend.accepted >= CrashingBackend.crash_after:
                raise smtplib.SMTPServerDisconnected("Simuleret nedbrud")
            super().send_messages([message])
            CrashingBackend.accepted += 1
        return len(messages)


class RefusingBackend(EmailBackend):
    """Refuses some addresses: always (`always`) or only the first time (`once`)."""

    always: set[str] = set()
    once: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            address = message.to[0]
            if address in RefusingBackend.always or address in RefusingBackend.once:
                RefusingBackend.once.discard(address)
                raise smtplib.SMTPRecipientsRefused({address: (550, b"Mailbox unavailable")})
        return super().send_messages(messages)
