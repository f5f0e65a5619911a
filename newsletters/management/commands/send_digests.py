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
        parser.add_argument(
            "--in-doubt",
            choices=digests.IN_DOUBT_POLICIES,
            default=digests.DEFAULT_IN_DOUBT,
            help=(
                "Et sammendrag, som en afbrudt kørsel havde givet til mailserveren, da den "
                "stoppede: resend (standard) sender det igen (medlemmet får det måske to "
                "gange), assume-sent regner det for sendt, wait lader det stå, til en "
                "person har tjekket mailserverens log."
            ),
        )

    def handle(self, *args, frequency=None, enqueue=False, in_doubt="resend", **options):
        from network.mail import site_url_mismatch

        if warning := site_url_mismatch():
            self.stderr.write(warning)
        if enqueue:
            from newsletters.tasks import send_due_digests

            send_due_digests.enqueue()
            self.stdout.write("Sat i kø til opgavekøen.")
            return
        from django.core.management.base import CommandError
        from django.db import InterfaceError, OperationalError

        try:
            run = digests.run_due(frequencies=frequency, in_doubt=in_doubt)
        except KeyboardInterrupt:
            raise CommandError(
                "Afbrudt. Sammendragene er stoppet; resten sendes ved næste kørsel.",
                returncode=130,
            ) from None
        except (OperationalError, InterfaceError) as exc:
            # What was claimed and handed before is recorded or settled by the next run.
            raise CommandError(
                f"Databasen svarer ikke ({exc}). Sammendragene er stoppet; de sendes ved "
                "næste kørsel, når databasen kører igen.",
                returncode=75,
            ) from exc
        if run.resent:
            self.stdout.write(
                f"{run.resent} sammendrag var på vej, da en tidligere kørsel stoppede; "
                "de sendes igen nu."
            )
        self.stdout.write(f"Sendt: {run.sent} sammendrag.")
        if run.in_doubt:
            self.stderr.write(
                f"Usikre: {run.in_doubt} sammendrag var givet til mailserveren af en kørsel, "
                "der stoppede, og er måske sendt. Brug --in-doubt=resend (send igen) eller "
                "--in-doubt=assume-sent (regn for sendt)."
            )
        if run.deferred or run.in_doubt:
            # EX_TEMPFAIL, as send_newsletter: cron and monitoring see a failed run.
            if run.deferred:
                self.stderr.write(
                    f"Ikke sendt: {run.deferred} sammendrag, fordi mailserveren ikke kunne "
                    "tage imod dem. De sendes ved næste kørsel."
                )
            raise SystemExit(75)
