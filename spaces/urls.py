from django.urls import path

from .views import actions, calendar, exports, imports, meetings, pulse, spaces

P = "programmes/<slug:slug>/"
S = P + "spaces/<slug:space_slug>/"
M = S + "meetings/<int:meeting_id>/"
LOG = M + "log/"

urlpatterns = [
    path("my-spaces/", spaces.my_spaces, name="my_spaces"),
    path(P + "spaces/", spaces.space_list, name="space_list"),
    path(P + "spaces/new/", spaces.space_create, name="space_create"),
    path(P + "meetings/export.<str:fmt>", exports.meeting_export, name="meeting_export"),
    path(P + "attendance/export.<str:fmt>", exports.attendance_export, name="attendance_export"),
    path(S, spaces.space_detail, name="space_detail"),
    path(S + "edit/", spaces.space_edit, name="space_edit"),
    path(S + "history/", spaces.space_history, name="space_history"),
    path(S + "members/add/", spaces.space_member_add, name="space_member_add"),
    path(
        S + "members/<int:member_id>/remove/",
        spaces.space_member_remove,
        name="space_member_remove",
    ),
    # Meetings
    path(S + "meetings/plan/", meetings.meeting_plan, name="meeting_plan"),
    path(S + "meetings/log/", meetings.meeting_log_new, name="meeting_log_new"),
    path(
        S + "meetings/log/attendees/search/",
        meetings.attendee_search_new,
        name="attendee_search_new",
    ),
    path(M, meetings.meeting_detail, name="meeting_detail"),
    path(M + "edit/", meetings.meeting_edit, name="meeting_edit"),
    path(LOG, meetings.meeting_log, name="meeting_log"),
    path(LOG + "attendees/search/", meetings.attendee_search, name="attendee_search"),
    path(LOG + "attendees/add/", meetings.attendee_add, name="attendee_add"),
    path(LOG + "attendees/new-person/", meetings.attendee_new_person, name="attendee_new_person"),
    path(
        LOG + "attendees/add-space-members/",
        meetings.attendees_add_space_members,
        name="attendees_add_space_members",
    ),
    path(
        LOG + "attendees/<int:attendance_id>/",
        meetings.attendance_update,
        name="attendance_update",
    ),
    path(
        LOG + "attendees/<int:attendance_id>/remove/",
        meetings.attendance_remove,
        name="attendance_remove",
    ),
    path(LOG + "actions/add/", meetings.meeting_action_add, name="meeting_action_add"),
    path(LOG + "learning/add/", meetings.meeting_learning_add, name="meeting_learning_add"),
    path(LOG + "preview/", meetings.markdown_preview, name="markdown_preview"),
    path(M + "history/", meetings.meeting_history, name="meeting_history"),
    path(
        M + "history/<int:history_id>/restore/",
        meetings.meeting_restore,
        name="meeting_restore",
    ),
    # Attendance import (Teams / Zoom exports)
    path(LOG + "import/", imports.attendance_import, name="attendance_import"),
    path(
        LOG + "import/confirm/", imports.attendance_import_confirm, name="attendance_import_confirm"
    ),
    # Calendar
    path(S + "calendar/", calendar.space_calendar, name="space_calendar"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path(M + "meeting.ics", calendar.meeting_ics, name="meeting_ics"),
    # Pulse
    path(M + "pulse/", pulse.pulse_results, name="pulse_results"),
    path("pulse/<str:token>/", pulse.pulse_answer, name="pulse_answer"),
    # Actions
    path(P + "actions/", actions.action_list, name="action_list"),
    path(P + "actions/export.<str:fmt>", exports.action_export, name="action_export"),
    path(P + "actions/<int:action_id>/done/", actions.action_done, name="action_done"),
]
