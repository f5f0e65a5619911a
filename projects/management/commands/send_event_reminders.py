"""Remind registered attendees the day before an event. For cron, e.g. daily at 8:

    0 8 * * *  cd /srv/app && .venv/bin/python manage.py send_event_reminders

Safe to run as often as you like: each attendee gets one reminder per event.
"""

from django.core.management.base import BaseCommand

from projects.services import send_event_reminders


class Command(BaseCommand):
    help = "Send the day-before reminder to registered attendees (idempotent)."

    def handle(self, *args, **options):
        sent = send_event_reminders()
        self.stdout.write(f"{sent} reminder(s) queued.")
