"""URLs of the sales users' activity pages (app_name "activities"): the unresolved activities
report at /activities/unresolved/, its CSV, and the manual match of one item."""

from django.urls import path

from integrations.views import unresolved

app_name = "activities"

urlpatterns = [
    path("unresolved/", unresolved.unresolved_list, name="unresolved"),
    path("unresolved/csv/", unresolved.unresolved_csv, name="unresolved_csv"),
    path("unresolved/<str:source>/<int:pk>/match/", unresolved.unresolved_match, name="match"),
]
