"""URLs of the sales users' pages: /records/<kind>/<id>/history/ for every synced model."""

from django.urls import path

from tracking.views import history

app_name = "records"

urlpatterns = [
    path("<str:kind>/<int:pk>/history/", history.record_history, name="history"),
]
