"""URL map of CRM Bridge."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import include, path

from tracking.api.v1 import api

admin.site.site_header = "CRM Bridge"
admin.site.site_title = "CRM Bridge"
admin.site.index_title = "Settings console"


@login_required
def home(request):
    """Staff land in the settings console; sales users on their unresolved activities."""
    return redirect("admin:index" if request.user.is_staff else "activities:unresolved")


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
]
