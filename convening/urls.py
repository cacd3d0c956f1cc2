from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("activity-areas/", views.activity_areas, name="activity_areas"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<slug:slug>/", views.programme_overview, name="programme_overview"),
    path("programmes/<slug:slug>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<slug:slug>/members/", views.member_list, name="member_list"),
    path("programmes/<slug:slug>/members/invite/", views.member_invite, name="member_invite"),
    path(
        "programmes/<slug:slug>/members/<int:membership_id>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "programmes/<slug:slug>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "programmes/<slug:slug>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("programmes/<slug:slug>/people/", views.people, name="people"),
    path("programmes/<slug:slug>/people/new/", views.participant_create, name="participant_create"),
    path(
        "programmes/<slug:slug>/people/<int:participant_id>/edit/",
        views.participant_edit,
        name="participant_edit",
    ),
    path(
        "programmes/<slug:slug>/organisations/new/",
        views.organisation_create,
        name="organisation_create",
    ),
    path("", include("spaces.urls")),
    path("", include("activities.urls")),
    path("", include("learning.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
