from django.db import models


class SentMail(models.Model):
    """A mail a background task has handed to the mail server (network/mail.py
    `send_once`): if the task runs again, after its worker was killed, the mail is
    not sent a second time."""

    task_id = models.CharField(max_length=64)
    key = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task_id", "key"], name="sentmail_once_per_task")
        ]
        verbose_name = "sendt mail"
        verbose_name_plural = "sendte mails"

    def __str__(self) -> str:
        return f"{self.task_id} {self.key}".strip()
