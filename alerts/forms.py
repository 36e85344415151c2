from django import forms

from collaboration.models import Theme

from .models import Subscription


class ChoicesForm(forms.Form):
    """What a subscriber hears about and how often: on signing up, and when managing alerts."""

    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.published(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="New reports and knowledge gaps in each theme you choose.",
        error_messages={
            "invalid_choice": "Select themes from the list",
            "invalid_pk_value": "Select themes from the list",
        },
    )
    gap_register = forms.BooleanField(
        label="Every new knowledge gap, in any theme (the knowledge-gap register)",
        required=False,
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how often you want an email",
            "invalid_choice": "Select daily or weekly",
        },
    )

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("themes")
            and not cleaned.get("gap_register")
            and "themes" not in self.errors
        ):
            self.add_error("themes", "Select at least one theme, or the knowledge-gap register")
        return cleaned


class SubscriptionForm(ChoicesForm):
    field_order = ["email", "themes", "gap_register", "frequency", "consent", "website"]

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send a link to this address; nothing else is sent until you follow it.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.ac.uk",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    consent = forms.BooleanField(
        label="I agree to EMPAC storing my email address to send me these alerts",
        error_messages={"required": "Confirm that we may store your email address"},
    )
    # Hidden from people (visually and from assistive technology); bots fill it in.
    website = forms.CharField(required=False, label="Leave this field empty")

    def is_spam(self) -> bool:
        return bool(self.data.get("website"))
