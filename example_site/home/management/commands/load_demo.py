from django.core.management import call_command
from django.core.management.base import BaseCommand

from home.demo.loader import DemoLoader


class Command(BaseCommand):
    help = (
        "Build the demo newsroom: categories, the AI-content disclaimer, an author and five "
        "stories in Japanese with English translations, then the search index. Safe to run "
        "again: it only adds what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-password",
            default="prism-news-demo",
            help="Password for the 'admin' superuser, used only when that user is created.",
        )

    def handle(self, *args, admin_password, **options):
        loader = DemoLoader(log=self.stdout.write)
        loader.run(admin_password=admin_password)
        # The search index, whole, before the site is served: the worker would build it
        # one task per save, and search would find nothing until it had run.
        call_command("update_index", stdout=self.stdout, verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS(loader.summary()))
