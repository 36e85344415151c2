import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from publishing.curators import CURATORS_GROUP


class Command(BaseCommand):
    help = (
        "Development only: make sure a 'curator' account exists in the Curators group. "
        "A new account gets a generated password, printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="curator")
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/admin/", help="Where the admin is served."
        )

    def handle(self, *args, username, url, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create a curator account with DEBUG off. In production, use "
                "'manage.py createsuperuser' or add a user to the Curators group in the admin."
            )
        User = get_user_model()
        group = Group.objects.get(name=CURATORS_GROUP)
        user = User.objects.filter(username=username).first()
        if user is not None:
            self.stdout.write(
                f"Curator sign-in: {url} as '{username}' (password was printed when the account "
                f"was made; reset it with: .venv/bin/python manage.py changepassword {username})"
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(group)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created curator account. Sign in at {url}\n"
                f"  username: {username}\n  password: {password}\n"
                "This password is shown only now."
            )
        )
