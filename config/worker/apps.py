from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "config.worker"
    label = "worker"
    verbose_name = "Baggrundsarbejde"
    default_auto_field = "django.db.models.BigAutoField"
