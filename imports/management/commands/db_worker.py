"""django-tasks-db's worker, which first recovers the imports a killed worker left running.

``imports.worker.recover_after_killed_worker`` fails them (Retry offered) and closes their
task rows, left RUNNING. The ``imports`` app comes before django_tasks_db in INSTALLED_APPS
so that ``manage.py db_worker`` (make run, make serve) is this command.
"""

from django_tasks_db.management.commands import db_worker

from imports.worker import recover_after_killed_worker


class Command(db_worker.Command):
    help = db_worker.Command.help + " (recovering the imports a killed worker left running)"

    def handle(self, *args, **options) -> None:
        recover_after_killed_worker()
        super().handle(*args, **options)
