"""Test runs: fast hashing, in-memory mail, and the same database switch as base."""

import os

# The suite shares two cores with browser tests and other suites; the 2-second limits of
# web requests would fail busy but healthy queries here. Fault tests set their own.
os.environ.setdefault("DJANGO_DB_STATEMENT_TIMEOUT", "30")

from .base import *  # noqa: E402, F403

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "test-only-insecure-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405

# Static files straight from static/ and the apps, as edited: no collectstatic, and no
# "No directory at staticfiles/" warning from WhiteNoise. Production serves the collected,
# hashed files only (these stay off there, as DEBUG is off).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# What time the site thinks it is (publishing/clock.py): a browser test's live server
# runs in this process, so tests move the clock by changing this setting.
EMPAC_CLOCK = os.environ.get("EMPAC_CLOCK") or None
