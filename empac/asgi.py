import os
from pathlib import Path

from django.core.asgi import get_asgi_application
from dotenv import load_dotenv

# Variables already in the environment win over the file's (python-dotenv).
load_dotenv(Path(__file__).resolve().parent.parent / ".env")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "empac.settings.dev")

application = get_asgi_application()
