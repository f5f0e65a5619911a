"""Send, or resume sending, one newsletter edition, with a progress bar.

Safe to run again at any time: rows already sent are never sent again. This is
the way to finish a send whose background task stopped (server restart, crash).

Exit status: 0 when the edition is sent (or nothing is left to do), 75 (EX_TEMPFAIL)
when the mail server stayed away for NEWSLETTER_SMTP_RETRY_SECONDS and the send
stopped in a resumable state, 130 when stopped with Ctrl-C (resumable too), 1 for any
other error.
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
            choices=sending.IN_DOUBT_POLICIES,
            default=sending.DEFAULT_IN_DOUBT,
            help=(
                "Den ene mail pr. afbrudt kørsel, som var givet til mailserveren, da "
                "kørslen stoppede: resend (standard) sender den igen (modtageren får den "
                "måske to gange), assume-sent regner den for sendt (modtageren får den "
                "måske aldrig), wait lader den stå til en person har tjekket mailserverens log."
            ),
        )
        parser.add_argument("--no-progress", action="store_true", help="Ingen statuslinje.")

    def handle(self, *args, edition, **options):
        try:
            self._send(edition, **options)
        except KeyboardInterrupt:
            # Nothing is lost: a mail given to the server when it stopped is settled by
            # --in-doubt on the next run, the rest waits.
            raise CommandError(
                "Afbrudt. Udsendelsen er stoppet, og resten venter. Genoptag: "
                f"python manage.py send_newsletter {edition}",
                returncode=130,
            ) from None
        except (sending.DatabaseUnavailable, *sending.DATABASE_ERRORS) as exc:
            unrecorded = getattr(exc, "unrecorded", [])
            taken = (
                f" Mailserveren havde taget imod {len(unrecorded)} mail(s), som ikke kunne "
                f"registreres (levering {', '.join(map(str, unrecorded))}); de regnes for "
                "usikre ved genoptagelsen."
                if unrecorded
                else ""
            )
            raise CommandError(
                f"Databasen svarer ikke ({getattr(exc, 'error', exc)}). Udsendelsen er "
                f"stoppet, og resten venter.{taken} Genoptag, når databasen kører igen: "
                f"python manage.py send_newsletter {edition}",
                returncode=75,
            ) from exc

    def _send(self, edition, *, batch_size, in_doubt, no_progress, **options):
        from network.mail import site_url_mismatch

        if warning := site_url_mismatch():
            self.stderr.write(warning)
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
        try:
            with bar:
                final = sending.run(
                    obj,
                    batch_size=batch_size,
                    in_doubt=in_doubt,
                    on_batch=lambda outcome: bar.update(outcome.sent),
                )
        except sending.MailServerUnavailable as exc:
            self._report(sending.progress(obj), "Stoppet: mailserveren svarer ikke.", obj)
            raise CommandError(
                f"Mailserveren svarer ikke ({exc}). Udsendelsen er stoppet, og resten "
                "venter. Genoptag, når mailserveren kører igen: "
                f"python manage.py send_newsletter {obj.pk}",
                returncode=75,
            ) from exc
        done = final.remaining == 0 and final.in_doubt == 0
        self._report(final, "Færdig." if done else "Ikke færdig.", obj)
        if not done:
            # EX_TEMPFAIL, as send_digests: cron and monitoring see an unfinished send.
            raise SystemExit(75)

    def _report(self, progress, headline, edition=None):
        self.stdout.write(
            f"{headline} Sendt: {progress.sent} af {progress.total}. "
            f"Fejlet: {progress.failed}. Venter: {progress.pending + progress.retrying}. "
            f"Sendes nu: {progress.sending}. Usikre: {progress.in_doubt}."
        )
        if progress.in_doubt:
            self.stdout.write(
                f"{progress.in_doubt} mail(s) var givet til mailserveren af en kørsel, der "
                "stoppede, og er måske sendt. Se efter i mailserverens log, og brug så "
                "--in-doubt=resend (send igen) eller --in-doubt=assume-sent (regn for sendt):"
            )
            for mail in sending.in_doubt(edition) if edition is not None else []:
                self.stdout.write(
                    f"  {mail.email}  {mail.handed_at:%Y-%m-%d %H:%M:%S}  {mail.message_id}"
                )
