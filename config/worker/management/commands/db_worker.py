"""django-tasks-db's `db_worker`, holding a lease (config/worker/leases.py).

Same options and behaviour; in addition the worker renews a lease while it runs and
puts the tasks of dead workers back in the queue, at its start and on each
heartbeat. INSTALLED_APPS lists config.worker before django_tasks_db, so this is the
command `manage.py db_worker` runs."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from config.worker import leases


class Command(DBWorkerCommand):
    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        leases.beat(worker_id)
        leases.requeue_orphans()
        heartbeat = leases.Heartbeat(worker_id)
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
            heartbeat.join(timeout=5)
            leases.release(worker_id)
