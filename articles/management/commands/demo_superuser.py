"""Create the demo's admin/admin superuser; refuses to run outside DEBUG."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (or reset) the demo superuser admin/admin. Only with DEBUG on."

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("demo_superuser only runs with DEBUG on: it sets a known password")
        user, created = get_user_model().objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        user.is_staff = user.is_superuser = True
        user.set_password("admin")
        user.save()
        self.stdout.write(
            f"demo superuser admin {'created' if created else 'reset'} (password: admin)"
        )
