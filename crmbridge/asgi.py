"""ASGI entry point for CRM Bridge."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crmbridge.settings")
application = get_asgi_application()
