from django.urls import path

from .views import organisations, people

P = "programmes/<slug:slug>/"

# Each page's routes are added beside its view module (network/views/).
urlpatterns: list = []

# The person page and the organisation page (network/views/people.py, organisations.py).
urlpatterns += [
    path(
        P + "network/people/<int:participant_id>/",
        people.network_person,
        name="network_person",
    ),
    path(
        P + "network/organisations/<int:organisation_id>/",
        organisations.network_organisation,
        name="network_organisation",
    ),
]
