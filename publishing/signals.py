"""Signals of the publishing app, for apps above it."""

from django.dispatch import Signal

# Sent once (by the first worker to notice) when scheduled go-live or expiry times have
# passed: ``since`` and ``until`` bound the times that passed, ``using`` names the
# database. What keeps a copy of public content (the search index) brings it up to date.
schedule_passed = Signal()
