from django.urls import path

from .views import introductions

P = "programmes/<slug:slug>/"

# Each page's routes are added beside its view module (network/views/).
urlpatterns: list = []

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
