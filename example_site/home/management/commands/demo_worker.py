import logging

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand


class Command(DBWorkerCommand):
    help = (
        "The demo's task worker: django_tasks_db's db_worker, logging only what goes wrong "
        "(a failed task and its traceback), not every task it runs. `manage.py db_worker` "
        "shows them all."
    )

    def configure_logging(self, verbosity):
        super().configure_logging(verbosity)
        if verbosity == 1:
            for name in ("django.tasks", "django_tasks", "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.WARNING)
