#!/usr/bin/env python
import os
import sys
from pathlib import Path

from dotenv import load_dotenv


def main():
    # Variables already in the environment win over the file's (python-dotenv).
    load_dotenv(Path(__file__).resolve().parent / ".env")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "empac.settings.dev")
    if sys.argv[1:2] != ["runserver"]:
        # Commands (migrate, the task worker, scheduled jobs) may run statements longer
        # than a web request should wait for; web processes keep the short default.
        os.environ.setdefault("DJANGO_DB_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
