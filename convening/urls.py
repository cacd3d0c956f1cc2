from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from .api import api, mount
from .views import data_rights, downloads, members, people, programmes, public, session, tokens

# The admin signs in through our sign-in page, so its rate limits and second factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)

handler400 = "convening.views.errors.bad_request"

# The feature apps' API routes, named like their URL modules below, so core imports none of them.
mount(
    [
        "spaces.api.router",
        "activities.api.router",
        "learning.api.router",
        "network.api.router",
    ]
)

urlpatterns = [
    path("", programmes.home, name="home"),
    path("healthz", public.healthz, name="healthz"),
    path("accessibility/", public.accessibility, name="accessibility"),
    path("privacy/", public.privacy, name="privacy"),
    path("session/keep-signed-in/", session.keep_signed_in, name="keep_signed_in"),
    path("signed-out-changes/", session.unsent_changes, name="unsent_changes"),
    path("signed-out-changes/discard/", session.unsent_discard, name="unsent_discard"),
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/new/", programmes.programme_create, name="programme_create"),
    path("programmes/<slug:slug>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<slug:slug>/history/", programmes.programme_history, name="programme_history"),
    path("programmes/<slug:slug>/members/", members.member_list, name="member_list"),
    path("programmes/<slug:slug>/members/invite/", members.member_invite, name="member_invite"),
    path(
        "programmes/<slug:slug>/members/<int:membership_id>/role/",
        members.member_role,
        name="member_role",
    ),
    path(
        "programmes/<slug:slug>/members/<int:membership_id>/remove/",
        members.member_remove,
        name="member_remove",
    ),
    path(
        "programmes/<slug:slug>/invitations/<int:invitation_id>/withdraw/",
        members.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", members.invitation_accept, name="invitation_accept"),
    path("programmes/<slug:slug>/people/", people.people, name="people"),
    path(
        "programmes/<slug:slug>/people/export.<str:fmt>",
        people.people_export,
        name="people_export",
    ),
    path(
        "programmes/<slug:slug>/people/new/", people.participant_create, name="participant_create"
    ),
    path(
        "programmes/<slug:slug>/people/<int:participant_id>/edit/",
        people.participant_edit,
        name="participant_edit",
    ),
    path(
        "programmes/<slug:slug>/people/<int:participant_id>/history/",
        people.participant_history,
        name="participant_history",
    ),
    path(
        "programmes/<slug:slug>/people/<int:participant_id>/account/",
        people.participant_account,
        name="participant_account",
    ),
    path(
        "programmes/<slug:slug>/organisations/new/",
        people.organisation_create,
        name="organisation_create",
    ),
    path("programmes/<slug:slug>/downloads/", downloads.downloads, name="downloads"),
    path("programmes/<slug:slug>/downloads/new/", downloads.export_start, name="export_start"),
    path(
        "programmes/<slug:slug>/downloads/archive/",
        downloads.archive_start,
        name="archive_start",
    ),
    path(
        "programmes/<slug:slug>/downloads/<int:job_id>/",
        downloads.export_job,
        name="export_job",
    ),
    path(
        "programmes/<slug:slug>/downloads/<int:job_id>/file/",
        downloads.export_job_file,
        name="export_job_file",
    ),
    # Data rights: the data protection officer's pages, and each programme's "Data we hold".
    path("data-protection/", data_rights.data_protection, name="data_protection"),
    path(
        "data-protection/download/",
        data_rights.subject_access_export,
        name="subject_access_export",
    ),
    path("data-protection/erase/", data_rights.erasure, name="erasure"),
    path("programmes/<slug:slug>/data-we-hold/", data_rights.data_we_hold, name="data_we_hold"),
    path("", include("spaces.urls")),
    path("", include("activities.urls")),
    path("", include("learning.urls")),
    path("", include("network.urls")),
    path("accounts/api-tokens/", tokens.api_tokens, name="api_tokens"),
    path(
        "accounts/api-tokens/<int:token_id>/revoke/",
        tokens.api_token_revoke,
        name="api_token_revoke",
    ),
    path("api/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
