from django.urls import path

from .views import network

P = "programmes/<slug:slug>/"

# Each page's routes are added beside its view module (network/views/).
urlpatterns: list = [
    # The programme's network page and the staff's installation view (views/network.py).
    path(P + "network/", network.network, name="network"),
    path("network/", network.installation_network, name="installation_network"),
]
