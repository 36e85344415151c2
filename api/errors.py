"""Every error the API gives has one shape: {"detail": "...", "errors": {parameter: [...]}}."""

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For a 400: each parameter at fault, with what is wrong with it.",
    )


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"": response.data}
        response.data = {
            "detail": "The request's parameters are not valid; see errors.",
            "errors": {name: _messages(found) for name, found in errors.items()},
        }
    return response


def _messages(found) -> list[str]:
    if isinstance(found, list | tuple):
        return [str(message) for message in found]
    return [str(found)]
