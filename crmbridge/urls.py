"""URL map of CRM Bridge."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path

from tracking.api.v1 import api
from tracking.views.home import home

admin.site.site_header = "CRM Bridge"
admin.site.site_title = "CRM Bridge"
admin.site.index_title = "Settings console"


def moved_sync_errors(request, rest: str = ""):
    """The sync errors' admin pages moved with SyncEvent from integrations to tracking."""
    query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
    return redirect(f"/admin/tracking/syncevent/{rest}{query}", permanent=True)


urlpatterns = [
    path("", home, name="home"),
    path("admin/integrations/syncevent/", moved_sync_errors),
    path("admin/integrations/syncevent/<path:rest>", moved_sync_errors),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("records/", include("tracking.urls")),
    path("activities/", include("integrations.urls")),
    path("s/", include("tracking.survey_urls")),
    path("hooks/", include("integrations.webhooks.urls")),
]
