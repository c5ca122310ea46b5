"""Mark 待核 the unions of an existing archive that only one article names (articles.union_review)."""

from django.core.management.base import BaseCommand

from articles.union_review import mark_single_article_unions


class Command(BaseCommand):
    help = (
        "Mark as 待核 (to check) every union only one article names that is in neither the "
        "authority file nor the union dictionary and that no editor accepted: readers see it "
        "again once an editor accepts it in the admin (组织 › 待核工会)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list the unions, change nothing"
        )

    def handle(self, *args, dry_run, **options):
        names = mark_single_article_unions(dry_run=dry_run)
        for name in names:
            self.stdout.write(name)
        verb = "would be marked" if dry_run else "marked"
        self.stderr.write(f"{len(names)} unions {verb} 待核")
