"""Local development: DEBUG on unless told otherwise, a throwaway secret."""

import os

from .base import *  # noqa: F403
from .environment import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-insecure-key-never-used-in-production"

# WhiteNoise serves static/ as edited, collected or not (test.py says why).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
