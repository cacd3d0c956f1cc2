from django.urls import path

from .views import (
    adoption,
    digests,
    entries,
    exports,
    feedback,
    hub,
    innovations,
    report,
    subscriptions,
)

P = "programmes/<slug:slug>/"
INNOVATION = P + "innovations/<slug:innovation_slug>/"
ENTRY = P + "learning/<int:entry_id>/"
FEEDBACK = P + "feedback/<int:feedback_id>/"
HUB = "learn/<slug:slug>/"
HUB_INNOVATION = HUB + "<slug:innovation_slug>/"

urlpatterns = [
    # Innovations and their narratives
    path(P + "innovations/", innovations.innovation_list, name="innovation_list"),
    path(P + "innovations/new/", innovations.innovation_create, name="innovation_create"),
    path(INNOVATION, innovations.innovation_detail, name="innovation_detail"),
    path(INNOVATION + "edit/", innovations.innovation_edit, name="innovation_edit"),
    path(INNOVATION + "history/", innovations.innovation_history, name="innovation_history"),
    path(
        INNOVATION + "narratives/<str:audience>/edit/",
        innovations.narrative_edit,
        name="narrative_edit",
    ),
    path(
        INNOVATION + "narratives/<str:audience>/history/",
        innovations.narrative_history,
        name="narrative_history",
    ),
    # The adoption tracker
    path(P + "report/", report.board_report, name="board_report"),
    path(P + "adoption/", adoption.adoption_tracker, name="adoption_tracker"),
    path(P + "adoption/record/", adoption.adoption_record, name="adoption_record"),
    path(P + "adoption/export.<str:fmt>", exports.adoption_export, name="adoption_export"),
    path(P + "adoption/<int:adoption_id>/", adoption.adoption_timeline, name="adoption_timeline"),
    # Learning entries inside the programme
    path(P + "learning/", entries.learning_log, name="learning_log"),
    path(P + "learning/new/", entries.learning_create, name="learning_create"),
    path(P + "learning/export.<str:fmt>", exports.learning_export, name="learning_export"),
    path(ENTRY, entries.learning_detail, name="learning_detail"),
    path(ENTRY + "edit/", entries.learning_edit, name="learning_edit"),
    path(ENTRY + "publish/", entries.learning_publish, name="learning_publish"),
    path(ENTRY + "unpublish/", entries.learning_unpublish, name="learning_unpublish"),
    # Feedback to innovators, for the programme's leads
    path(P + "feedback/", feedback.feedback_inbox, name="feedback_inbox"),
    path(P + "feedback/export.<str:fmt>", exports.feedback_export, name="feedback_export"),
    path(FEEDBACK, feedback.feedback_detail, name="feedback_detail"),
    path(FEEDBACK + "status/", feedback.feedback_status, name="feedback_status"),
    path(FEEDBACK + "publish/", feedback.feedback_publish, name="feedback_publish"),
    # Digest subscriptions: token pages need no sign-in; members manage theirs in their account
    path("digests/confirm/<str:token>/", subscriptions.digest_confirm, name="digest_confirm"),
    path("digests/manage/<str:token>/", subscriptions.digest_manage, name="digest_manage"),
    path(
        "digests/unsubscribe/<str:token>/",
        subscriptions.digest_unsubscribe,
        name="digest_unsubscribe",
    ),
    path("accounts/digests/", subscriptions.my_digests, name="my_digests"),
    # Digests for the programme's leads: what a subscriber would get now, and what was sent
    path(P + "digests/", digests.digest_log, name="digest_log"),
    path(P + "digests/preview/", digests.digest_preview, name="digest_preview"),
    # The learning hub
    path("learn/", hub.hub_index, name="hub_index"),
    path(HUB, hub.hub_programme, name="hub_programme"),
    path(HUB + "feed/", hub.hub_programme_feed, name="hub_programme_feed"),
    path(HUB_INNOVATION, hub.hub_innovation, name="hub_innovation"),
    path(HUB_INNOVATION + "feed/", hub.hub_innovation_feed, name="hub_innovation_feed"),
    path(HUB_INNOVATION + "learning/<int:entry_id>/", hub.hub_entry, name="hub_entry"),
    path(HUB_INNOVATION + "subscribe/", hub.hub_subscribe, name="hub_subscribe"),
    path(HUB_INNOVATION + "feedback/", hub.hub_feedback, name="hub_feedback"),
    path(HUB_INNOVATION + "contact/<slug:contact_id>/", hub.hub_contact, name="hub_contact"),
]
