from django.forms.models import BaseInlineFormSet


class RecommendationFormSet(BaseInlineFormSet):
    """Recommendations of one report: say plainly when two share a number."""

    def get_unique_error_message(self, unique_check):
        if set(unique_check) == {"report", "number"}:
            return "Two recommendations have the same number; give each one its own number."
        return super().get_unique_error_message(unique_check)
