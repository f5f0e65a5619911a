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


class FormOnce(models.Model):
    """A form's one-time key, claimed by the post that made something (network/once.py):
    a second post with the same key, even one that arrives before the first has
    answered, finds the row and goes to what the first made."""

    user = models.ForeignKey("network.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="formonce_per_user")]
        verbose_name = "formularnøgle"
        verbose_name_plural = "formularnøgler"

    def __str__(self) -> str:
        return self.key
