"""Send, or resume sending, one newsletter edition, with a progress bar.

Safe to run again at any time: rows already sent are never sent again. This is
the way to finish a send whose background task stopped (server restart, crash).
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from newsletters import sending
from newsletters.models import Edition, EditionStatus


class Command(BaseCommand):
    help = "Sender (eller genoptager) udsendelsen af et nyhedsbrev. Sikker at køre igen."

    def add_arguments(self, parser):
        parser.add_argument("edition", type=int, help="Nyhedsbrevets id (se adressen i admin).")
        parser.add_argument("--batch-size", type=int, default=sending.BATCH_SIZE)
        parser.add_argument(
            "--in-doubt",
            choices=["wait", "resend", "assume-sent"],
            default="wait",
            help=(
                "Mails, som en afbrudt kørsel var ved at sende for over "
                f"{int(sending.CLAIM_TIMEOUT.total_seconds() // 60)} minutter siden: "
                "wait lader dem stå, resend sender dem igen (måske to gange), "
                "assume-sent regner dem for sendt (måske aldrig modtaget)."
            ),
        )
        parser.add_argument("--no-progress", action="store_true", help="Ingen statuslinje.")

    def handle(self, *args, edition, batch_size, in_doubt, no_progress, **options):
        try:
            obj = Edition.objects.get(pk=edition)
        except Edition.DoesNotExist as exc:
            raise CommandError(f"Der er intet nyhedsbrev med id {edition}.") from exc
        if batch_size < 1:
            raise CommandError("--batch-size skal være mindst 1.")
        if obj.status == EditionStatus.SENT:
            self._report(sending.progress(obj), "Nyhedsbrevet er allerede sendt.")
            return
        try:
            obj = sending.start(obj)  # a no-op unless it is still a draft
        except sending.SendingError as exc:
            raise CommandError(str(exc)) from exc
        before = sending.progress(obj)
        bar = tqdm(
            total=before.total,
            initial=before.sent,
            unit="mail",
            desc=obj.subject[:40],
            disable=no_progress,
            file=self.stderr._out,
        )
        with bar:
            final = sending.run(
                obj,
                batch_size=batch_size,
                in_doubt=in_doubt,
                on_batch=lambda outcome: bar.update(outcome.sent),
            )
        self._report(final, "Færdig." if final.remaining == 0 else "Ikke færdig.")

    def _report(self, progress, headline):
        self.stdout.write(
            f"{headline} Sendt: {progress.sent} af {progress.total}. "
            f"Fejlet: {progress.failed}. Venter: {progress.pending + progress.retrying}. "
            f"Usikre: {progress.in_doubt}."
        )
        if progress.in_doubt:
            self.stdout.write(
                "Nogle mails blev måske sendt af en kørsel, der stoppede. "
                "Brug --in-doubt=resend eller --in-doubt=assume-sent."
            )
