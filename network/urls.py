from django.urls import path  # noqa: F401 - each page's routes are added below

P = "programmes/<slug:slug>/"

# Each page's routes are added beside its view module (network/views/).
urlpatterns: list = []
