"""URLs of the sales users' pages."""

from django.urls import path

from integrations import views

app_name = "records"

urlpatterns = [
    path("<str:kind>/<int:pk>/history/", views.record_history, name="history"),
]
