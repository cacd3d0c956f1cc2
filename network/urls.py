from django.urls import path

from .views import exports, introductions, network, organisations, people

P = "programmes/<slug:slug>/"

# Each page's routes are added beside its view module (network/views/).
urlpatterns: list = [
    # The programme's network page and the staff's installation view (views/network.py).
    path(P + "network/", network.network, name="network"),
    path("network/", network.installation_network, name="installation_network"),
]

# Introductions (network/views/introductions.py)
urlpatterns += [
    path(
        P + "network/introductions/",
        introductions.introductions_page,
        name="introductions",
    ),
    path(
        P + "network/introductions/new/",
        introductions.introduction_new,
        name="introduction_new",
    ),
    path(
        P + "network/introductions/<int:introduction_id>/decline/",
        introductions.introduction_decline,
        name="introduction_decline",
    ),
]

# Downloads of the network (network/views/exports.py): ?window= and, where it applies, ?boundary=.
urlpatterns += [
    path(
        P + "network/people/export.<str:fmt>", exports.people_export, name="network_people_export"
    ),
    path(
        P + "network/groups/export.<str:fmt>", exports.groups_export, name="network_groups_export"
    ),
    path(P + "network/ties/export.<str:fmt>", exports.ties_export, name="network_ties_export"),
    path(
        P + "network/weak-points/export.<str:fmt>",
        exports.weak_points_export,
        name="network_weak_points_export",
    ),
    path(
        P + "network/meetings/export.<str:fmt>",
        exports.meeting_mix_export,
        name="network_meeting_mix_export",
    ),
    path(
        P + "network/introductions/export.<str:fmt>",
        exports.introductions_export,
        name="network_introductions_export",
    ),
]

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
