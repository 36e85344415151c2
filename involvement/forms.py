import secrets
import time
import unicodedata
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core import signing

from collaboration.models import Theme
from reports.models import KnowledgeGap

from .models import Discipline, Offer
from .orcid import orcid_normalise

# How many open gaps the form lists to choose from (those asked for in the address first);
# the register lists them all, and each gap's page opens this form with it chosen.
GAP_CHOICES_LIMIT = 30

FORM_TOKEN_SALT = "involvement.registration-form"
# Line breaks and tabs belong in a message; no other control character belongs anywhere.
MULTILINE_ALLOWED = {"\n", "\r", "\t"}
REGISTRATION_FIELDS = (
    "name",
    "email",
    "institution",
    "role",
    "discipline",
    "disciplines",
    "discipline_other",
    "orcid",
    "themes",
    "gaps",
    "expertise",
    "offers",
    "message",
    "consent",
)


@dataclass(frozen=True)
class FormToken:
    issued_at: int
    nonce: str


def form_token_issue(*, issued_at: float | None = None) -> str:
    """A signed token holding when the form was shown and a random submission id."""
    issued = int(time.time() if issued_at is None else issued_at)
    return signing.dumps({"t": issued, "n": secrets.token_urlsafe(24)}, salt=FORM_TOKEN_SALT)


def form_token_read(value: str) -> FormToken | None:
    try:
        data = signing.loads(value, salt=FORM_TOKEN_SALT)
        return FormToken(issued_at=int(data["t"]), nonce=str(data["n"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def form_token_current(value: str) -> FormToken | None:
    """The token if the form was shown within EMPAC_FORM_TOKEN_MAX_AGE seconds."""
    token = form_token_read(value)
    if token is None or time.time() - token.issued_at > settings.EMPAC_FORM_TOKEN_MAX_AGE:
        return None
    return token


# Characters that show as nothing: zero-width spaces and joiners, the word joiner, the
# byte order mark, soft hyphen, and line and paragraph separators. A name made only of
# them would be stored and show curators a blank.
INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u2060\u2061"
        "\u2062\u2063\u2064\ufeff"),
    None,
)  # fmt: skip


def is_blank(value: str) -> bool:
    """Empty once invisible characters and spaces are removed."""
    return not value.translate(INVISIBLE).strip()


def has_control_characters(value: str, *, allowed: frozenset | set = frozenset()) -> bool:
    # Cc: C0/C1 controls; Cs: lone surrogates, which no database can store;
    # bidi overrides can disguise text shown to curators.
    return any(
        (unicodedata.category(char) in {"Cc", "Cs"} and char not in allowed)
        or "\u202a" <= char <= "\u202e"
        or "\u2066" <= char <= "\u2069"
        for char in value
    )


class PlainTextField(forms.CharField):
    """Text that may hold anything printable; control characters get a clear error."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        # Text that shows as nothing counts as nothing: "required" then says so.
        if not self.multiline and is_blank(value):
            return self.empty_value
        return value

    def validate(self, value):
        super().validate(value)
        allowed = MULTILINE_ALLOWED if self.multiline else set()
        if value and has_control_characters(value, allowed=allowed):
            raise forms.ValidationError(self.error_messages["control"], code="control")


class ChoicesField(forms.MultipleChoiceField):
    """Several choices; an empty value sent (``field=``) counts as none chosen."""

    def to_python(self, value):
        return [v for v in super().to_python(value) if v]


def gap_label(gap) -> str:
    theme = f" ({gap.theme.short_name})" if gap.theme_id and gap.theme.is_published() else ""
    return f"{gap.question}{theme}"


def _messages(label: str, *, max_length: int, required: str | None = None) -> dict:
    messages = {
        "max_length": f"{label} must be {max_length} characters or fewer",
        "control": (
            f"{label} contains hidden control characters (such as tabs or line breaks); "
            "remove them or type it again"
        ),
    }
    if required:
        messages["required"] = required
    return messages


class InterestRegistrationForm(forms.Form):
    name = PlainTextField(
        label="Full name",
        max_length=200,
        error_messages=_messages("Your name", max_length=200, required="Enter your name"),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will only use this to contact you about working with EMPAC.",
        error_messages={
            **_messages("Email address", max_length=254, required="Enter your email address"),
            "invalid": "Enter an email address in the correct format, like name@example.ac.uk",
        },
    )
    institution = PlainTextField(
        label="Institution or organisation",
        max_length=200,
        help_text="For example, a university, police force or charity.",
        error_messages=_messages(
            "Institution or organisation",
            max_length=200,
            required="Enter your institution or organisation",
        ),
    )
    role = PlainTextField(
        label="Role (optional)",
        max_length=200,
        required=False,
        help_text="For example, senior lecturer, PhD researcher or intelligence analyst.",
        error_messages=_messages("Role", max_length=200),
    )
    discipline = ChoicesField(
        label="Discipline",
        choices=Discipline.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={
            "required": "Select your discipline, or ‘Other’",
            "invalid_choice": "Select your discipline from the list, or ‘Other’",
            "invalid_list": "Select your discipline from the list, or ‘Other’",
        },
    )
    discipline_other = PlainTextField(
        label="If other, which discipline?",
        max_length=200,
        required=False,
        error_messages=_messages("Other discipline", max_length=200),
    )
    themes = forms.ModelMultipleChoiceField(
        label="Which themes could you contribute to?",
        queryset=Theme.objects.published(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={
            "required": "Select at least one theme you could contribute to",
            "invalid_choice": "Select themes from the list",
            "invalid_pk_value": "Select themes from the list",
        },
    )
    orcid = PlainTextField(
        label="ORCID iD (optional)",
        max_length=40,
        required=False,
        help_text="For example, 0000-0002-1825-0097. Curators use it to find your published work.",
        error_messages=_messages("ORCID iD", max_length=40),
    )
    gaps = forms.ModelMultipleChoiceField(
        label="Which open knowledge gaps could you help with? (optional)",
        queryset=KnowledgeGap.objects.published().open(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=(
            "Questions policing does not yet know the answer to. Choose any you could help answer."
        ),
        error_messages={
            "invalid_choice": "Select knowledge gaps from the list; that one is no longer open",
            "invalid_pk_value": "Select knowledge gaps from the list",
        },
    )
    offers = ChoicesField(
        label="What could you offer? (optional)",
        choices=Offer.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply.",
        error_messages={
            "invalid_choice": "Select what you could offer from the list",
            "invalid_list": "Select what you could offer from the list",
        },
    )
    expertise = PlainTextField(
        label="Expertise keywords (optional)",
        max_length=500,
        required=False,
        help_text="Separate keywords with commas, for example: money laundering, network analysis.",
        error_messages=_messages("Expertise keywords", max_length=500),
    )
    message = PlainTextField(
        label="Message (optional)",
        max_length=5000,
        required=False,
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Tell us about your research or practice and how you would like to help.",
        error_messages={
            **_messages("Message", max_length=5000),
            "control": "Message contains hidden control characters; remove them or type it again",
        },
    )
    consent = forms.BooleanField(
        label="I agree to EMPAC storing these details and contacting me about this registration",
        error_messages={
            "required": "Confirm that we may store your details and contact you",
        },
    )
    # Hidden from people (visually and from assistive technology); bots fill it in.
    website = forms.CharField(required=False, label="Leave this field empty")
    token = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "This form was incomplete. Check your answers and send it"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.token_value = self._token_for_display()
        self._limit_gap_choices()

    def _limit_gap_choices(self) -> None:
        """List the gaps asked for or chosen first, then the newest others, to a limit."""
        field = self.fields["gaps"]
        wanted = self["gaps"].value() or []
        if not isinstance(wanted, list | tuple):
            wanted = [wanted]
        wanted_ids = {int(v) for v in (getattr(w, "pk", w) for w in wanted) if str(v).isdigit()}
        gaps = field.queryset.select_related("theme").order_by("-id")
        chosen = list(gaps.filter(pk__in=wanted_ids)) if wanted_ids else []
        others = list(gaps.exclude(pk__in=wanted_ids)[: max(GAP_CHOICES_LIMIT - len(chosen), 0)])
        field.widget.choices = [(gap.pk, gap_label(gap)) for gap in chosen + others]

    def _token_for_display(self) -> str:
        # Keep the token across redisplays so a corrected form is still one submission.
        # An expired one is replaced, so the form shown again can be sent.
        submitted = self.data.get("token", "") if self.is_bound else ""
        if isinstance(submitted, str) and form_token_current(submitted):
            return submitted
        return form_token_issue()

    def clean_orcid(self):
        value = self.cleaned_data["orcid"]
        return orcid_normalise(value) if value else ""

    def clean_email(self):
        # Lower-case the domain only: the part before @ may be case-sensitive.
        return BaseUserManager.normalize_email(self.cleaned_data["email"])

    def clean_token(self):
        token = form_token_current(self.cleaned_data["token"])
        if token is None:
            raise forms.ValidationError(
                "This form expired, your answers are kept. Check your answers and send it again",
                code="expired",
            )
        return token

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("discipline")
        if chosen is not None:
            # The first chosen, in the list's order, is kept as the main discipline.
            chosen = [value for value in Discipline.values if value in chosen]
            cleaned["disciplines"], cleaned["discipline"] = chosen, chosen[0]
        if chosen and Discipline.OTHER in chosen and not cleaned.get("discipline_other"):
            self.add_error("discipline_other", "Enter your discipline, as you chose ‘Other’")
        if chosen and Discipline.OTHER not in chosen:
            cleaned["discipline_other"] = ""
        return cleaned

    def is_spam(self) -> bool:
        """A filled honeypot, or a form sent faster than a person could: a bot."""
        honeypot = self.data.get("website", "")
        if honeypot:
            return True
        token = form_token_read(self.data.get("token", "") or "")
        if token is None:
            return False  # shown as an error instead, so a person can resend
        return time.time() - token.issued_at < settings.EMPAC_REGISTRATION_MIN_SECONDS

    def registration_fields(self) -> dict:
        """Keyword arguments for services.registration_create."""
        data = self.cleaned_data
        return {name: data[name] for name in REGISTRATION_FIELDS} | {
            "submission_token": data["token"].nonce
        }
