"""Sign-in locks in the admin: who is locked out, and clearing a lock (an editor's job)."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages


class LockAdmin(AccessAttemptAdmin):
    actions = ["unlock"]

    @admin.action(description="Unlock: clear these failed sign-ins", permissions=["delete"])
    def unlock(self, request, queryset):
        count = queryset.count()
        queryset.delete()
        self.message_user(
            request,
            f"Cleared {count} record(s) of failed sign-ins; those usernames and addresses "
            "may sign in again now.",
            messages.SUCCESS,
        )


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LockAdmin)
