import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from prism_news.importer import ArticleImporter


class Command(BaseCommand):
    stealth_options = ("stdin",)  # a stream to read "-" from, for call_command()
    help = (
        "Import articles from a JSON Lines file (one article in one locale a line) as drafts. "
        "Never publishes; running it again updates the same drafts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .jsonl file, or - for standard input")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report every line; write nothing"
        )

    def handle(self, *args, **options):
        # Messages go to the pipeline's logs: in English, whatever the site's language.
        with translation.override("en"):
            self.run(**options)

    def run(self, *, file, dry_run, **options):
        if file == "-":
            stdin = options.get("stdin") or sys.stdin
            lines, base_dir = stdin.read().splitlines(), Path.cwd()
        else:
            path = Path(file)
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"{file}: cannot read it: {error}") from error
            base_dir = path.resolve().parent
        importer = ArticleImporter(base_dir=base_dir, dry_run=dry_run)
        result = importer.run(lines, progress=self.progress)
        self.stderr.write("")
        for number, field, message in result.errors:
            self.stderr.write(self.style.ERROR(f"line {number}: {field}: {message}"))
        verb = "would be" if dry_run else "were"
        summary = (
            f"{result.created} created, {result.updated} updated as drafts "
            f"({'dry run: nothing ' + verb + ' written' if dry_run else 'nothing published'}), "
            f"{result.failed} failed."
        )
        if result.failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def progress(self, done, total, result):
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        counts = f"{result.created} created, {result.updated} updated, {result.failed} failed"
        self.stderr.write(f"\r[{bar}] {done}/{total} {counts}", ending="")
        self.stderr.flush()
