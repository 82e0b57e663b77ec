"""WSGI entry point for CRM Bridge."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crmbridge.settings")
application = get_wsgi_application()
