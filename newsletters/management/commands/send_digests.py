"""Send the e-mail digests of notifications that are due (cron-friendly).

Run it once an hour or once a day: each member gets at most one digest per period
(a day for "daily", an ISO week for "weekly"), however often it runs.
"""

from django.core.management.base import BaseCommand

from newsletters import digests
from newsletters.models import DigestFrequency


class Command(BaseCommand):
    help = "Send the due notification digests (one per member and period)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the task worker (manage.py db_worker) instead.",
        )
        parser.add_argument(
            "--frequency",
            choices=[DigestFrequency.DAILY, DigestFrequency.WEEKLY],
            action="append",
            help="Only this frequency (may be repeated); default both.",
        )

    def handle(self, *args, frequency=None, enqueue=False, **options):
        from network.mail import site_url_mismatch

        if warning := site_url_mismatch():
            self.stderr.write(warning)
        if enqueue:
            from newsletters.tasks import send_due_digests

            send_due_digests.enqueue()
            self.stdout.write("Sat i kø til opgavekøen.")
            return
        run = digests.run_due(frequencies=frequency)
        self.stdout.write(f"Sendt: {run.sent} sammendrag.")
        if run.deferred:
            # EX_TEMPFAIL, as send_newsletter: cron and monitoring see a failed run.
            self.stderr.write(
                f"Ikke sendt: {run.deferred} sammendrag, fordi mailserveren ikke kunne "
                "tage imod dem. De sendes ved næste kørsel."
            )
            raise SystemExit(75)
