from django.db import models


class WorkerLease(models.Model):
    """A running `manage.py db_worker`, as long as it keeps beating (config/worker/leases.py)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "arbejdsproces"
        verbose_name_plural = "arbejdsprocesser"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
