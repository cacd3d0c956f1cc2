"""Planning meetings, and "Log a meeting": one page that records what happened.

Every control on the log page works two ways. With htmx, a control posts to its own small
endpoint and gets back the block of the page that changed. Without JavaScript, every button is a
submit button of the one log form: the log view saves everything typed so far, does what the
button asks, and comes back to the page, so nothing typed is ever lost.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Exists, OuterRef, Value
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from activities.models import ActivityArea
from convening import history
from convening.jinja2 import render_fragment
from convening.models import Participant
from convening.text import render_markdown

from .. import access, services
from ..forms import (
    ActionForm,
    AddAttendeeForm,
    AttendeeStatusForm,
    LearningPointForm,
    MeetingLogForm,
    MeetingPlanForm,
    NewPersonForm,
    meeting_area_ids,
)
from ..models import Attendance, Meeting
from .spaces import crumbs

LOG_TEMPLATE = "spaces/meeting_log.jinja"
SEARCH_LIMIT = 20
# Under the Chatham House rule, who saved a meeting is never shown: only that someone did.
CHATHAM_HOUSE_WHO = "A facilitator"


def _meeting_crumbs(space_access) -> list[dict[str, str]]:
    return crumbs(space_access.programme, space_access.space)


def _as_shown(conflict, space):
    """The conflict as the page may show it: under the Chatham House rule, naming no one."""
    if conflict and space.is_chatham_house:
        conflict.by = CHATHAM_HOUSE_WHO
    return conflict


# Planning -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_plan(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    space_access = access.get_space_for_change(request, slug, space_slug)
    meeting = Meeting(space=space_access.space, status=Meeting.Status.PLANNED)
    form = MeetingPlanForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        form.save_unless_changed()  # a new meeting: nobody else can have saved it
        messages.success(request, f"“{meeting.title}” planned.")
        return redirect(meeting.get_absolute_url())
    return _plan_form(request, space_access, form)


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, slug: str, space_slug: str, meeting_id: int) -> HttpResponse:
    space_access, meeting = access.get_meeting_for_change(request, slug, space_slug, meeting_id)
    form = MeetingPlanForm(request.POST or None, instance=meeting)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = _as_shown(form.save_unless_changed(), space_access.space)
        if conflict is None:
            cancelled = form.cleaned_data.get("cancel_meeting")
            messages.success(
                request, "Meeting cancelled." if cancelled else "Meeting details saved."
            )
            return redirect(meeting.get_absolute_url())
    return _plan_form(request, space_access, form, meeting=meeting, conflict=conflict)


def _plan_form(request, space_access, form, meeting=None, conflict=None) -> HttpResponse:
    return render(
        request,
        "spaces/meeting_plan.jinja",
        {
            "programme": space_access.programme,
            "space": space_access.space,
            "meeting": meeting,
            "form": form,
            "editing": meeting is not None,
            "conflict": conflict,
            "breadcrumbs": _meeting_crumbs(space_access),
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


# Reading --------------------------------------------------------------------------------------


# What a meeting's page shows of its log, to those who may read it.
RECORD_HEADINGS = [
    ("notes", "Notes"),
    ("tensions", "Tensions and disagreements"),
    ("decisions", "Decisions"),
]


@require_GET
def meeting_detail(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int
) -> HttpResponse:
    space_access, meeting = access.get_meeting_for_view(request, slug, space_slug, meeting_id)
    parts = _meeting_parts(meeting)
    if space_access.can_read_notes:
        record = [(label, getattr(meeting, name)) for name, label in RECORD_HEADINGS]
        learning_count = len(parts["learning"])
    else:
        # Chatham House, and not a member of the space: what was said is not sent at all.
        record, learning_count = None, len(parts.pop("learning"))
        for name, _ in RECORD_HEADINGS:
            setattr(meeting, name, "")
    return render(
        request,
        "spaces/meeting_detail.jinja",
        {
            **parts,
            "record": record,
            "learning_count": learning_count,
            "programme": space_access.programme,
            "space": space_access.space,
            "meeting": meeting,
            "access": space_access,
            "breadcrumbs": _meeting_crumbs(space_access),
        },
    )


def _attendances(meeting: Meeting) -> list[Attendance]:
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("participant__organisation")
        .order_by("participant__name")
    )


def _actions(meeting: Meeting) -> list:
    return list(meeting.actions.select_related("owner").order_by("pk"))


def _learning(meeting: Meeting) -> list:
    return list(meeting.learning_entries.order_by("pk"))


def _meeting_parts(meeting: Meeting) -> dict:
    """Attendance, practices by area, actions and learning of one meeting: a fixed set of
    queries whatever their number."""
    areas = list(ActivityArea.objects.with_practices())
    if meeting.pk is None:  # being logged for the first time: nothing recorded yet
        return {"areas": areas, "chosen_practices": set()} | {
            name: [] for name in ("attendances", "actions", "learning")
        }
    return {
        "attendances": _attendances(meeting),
        "areas": areas,
        "chosen_practices": set(meeting.practices.values_list("pk", flat=True)),
        "actions": _actions(meeting),
        "learning": _learning(meeting),
    }


# What each htmx block of the log page needs, so a click fetches only that.
_BLOCK_PARTS = {
    "attendees": ("attendances", _attendances),
    "actions": ("actions", _actions),
    "learning": ("learning", _learning),
}


# The log page ---------------------------------------------------------------------------------

# Buttons of the log form, for the plain (no JavaScript) path.
SUB_ACTIONS = (
    "search_attendees",
    "add_attendee",
    "add_new_person",
    "add_space_members",
    "remove_attendance",
    "add_action",
    "add_learning",
    "preview",
    "import_attendees",
)


@require_http_methods(["GET", "POST"])
def meeting_log_new(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    """ "Log a meeting" that is not in the product yet: its details head the same log page, and
    "Save meeting" (or, without JavaScript, any button that needs the meeting) creates it."""
    space_access = access.get_space_for_change(request, slug, space_slug)
    meeting = Meeting(space=space_access.space, status=Meeting.Status.HELD)
    if request.method == "GET":
        return _render_log(request, space_access, meeting, query=request.GET.get("q", ""))
    form = MeetingLogForm(request.POST, instance=meeting)
    sub_action = next((name for name in SUB_ACTIONS if name in request.POST), None)
    if sub_action in ("preview", "search_attendees"):
        # Neither needs the meeting, so neither creates it: the page comes back as typed.
        return _render_log(
            request,
            space_access,
            meeting,
            form=_as_typed(form),
            query=request.POST.get("q", "").strip()[:100],
            previews=sub_action == "preview",
        )
    extra = _sub_forms(request, meeting, sub_action)
    if not form.is_valid() or any(f.errors for f in extra.values()):
        return _render_log(request, space_access, meeting, form=form, status=400, **extra)
    services.log_new_meeting(meeting, form.cleaned_data, by=request.user)
    anchor = _do_sub_action(request, meeting, sub_action, extra)
    return _after_save(request, meeting, sub_action, anchor)


def _as_typed(form: MeetingLogForm) -> MeetingLogForm:
    """The bound form without its error messages, for a button that saves nothing."""
    form._errors = ErrorDict()  # errors are only worked out on first use; this skips that
    return form


@require_http_methods(["GET", "POST"])
def meeting_log(request: HttpRequest, slug: str, space_slug: str, meeting_id: int) -> HttpResponse:
    space_access, meeting = access.get_meeting_for_change(request, slug, space_slug, meeting_id)
    if request.method == "GET":
        return _render_log(request, space_access, meeting, query=request.GET.get("q", ""))
    form = MeetingLogForm(request.POST, instance=meeting)
    sub_action = next((name for name in SUB_ACTIONS if name in request.POST), None)
    extra = _sub_forms(request, meeting, sub_action)
    if sub_action == "preview" or not form.is_valid() or any(f.errors for f in extra.values()):
        return _render_log(
            request,
            space_access,
            meeting,
            form=form,
            previews=sub_action == "preview",
            status=200 if sub_action == "preview" else 400,
            **extra,
        )
    conflict = services.save_log(
        meeting, form.cleaned_data, by=request.user, expected_version=form.cleaned_data["version"]
    )
    _as_shown(conflict, space_access.space)
    if conflict:
        return _render_log(
            request, space_access, meeting, form=form, conflict=conflict, status=409, **extra
        )
    _save_status_changes(request, meeting)
    anchor = _do_sub_action(request, meeting, sub_action, extra)
    return _after_save(request, meeting, sub_action, anchor)


def _after_save(request, meeting, sub_action, anchor) -> HttpResponse:
    """Where a saved log goes next: the meeting, or back to the log where the button was."""
    if sub_action is None:
        messages.success(request, f"“{meeting.title}” saved.")
        return redirect(meeting.get_absolute_url())
    args = [meeting.space.programme.slug, meeting.space.slug, meeting.pk]
    if sub_action == "import_attendees":
        return redirect("attendance_import", *args)
    url = reverse("meeting_log", args=args)
    if sub_action == "search_attendees":
        url += "?" + urlencode({"q": request.POST.get("q", "")})
    return redirect(f"{url}#{anchor}")


def _sub_forms(request, meeting, sub_action) -> dict:
    """Bind the inline forms that the pressed button needs (plain path)."""
    programme = meeting.space.programme
    forms = {}
    if sub_action == "add_new_person":
        forms["new_person_form"] = NewPersonForm(request.POST, programme=programme)
    if sub_action == "add_action":
        forms["action_form"] = ActionForm(request.POST, meeting=meeting)
    if sub_action == "add_learning":
        forms["learning_form"] = LearningPointForm(request.POST, meeting=meeting)
    if sub_action == "add_attendee":
        forms["attendee_form"] = AddAttendeeForm(
            {"participant": request.POST.get("add_attendee")}, meeting=meeting
        )
    return forms


def _save_status_changes(request, meeting) -> None:
    """Attendance statuses edited in the plain form (each row's select)."""
    for attendance in Attendance.objects.filter(meeting=meeting):
        value = request.POST.get(f"status-{attendance.pk}")
        if value and value != attendance.status and value in Attendance.Status.values:
            attendance.status = value
            attendance.save(update_fields=["status"])


def _do_sub_action(request, meeting, sub_action, forms) -> str:
    if sub_action == "add_attendee":
        services.add_attendee(meeting, forms["attendee_form"].cleaned_data["participant"])
    elif sub_action == "add_new_person":
        person = _create_person(request, forms["new_person_form"])
        services.add_attendee(meeting, person)
    elif sub_action == "add_space_members":
        services.add_space_members(meeting)
    elif sub_action == "remove_attendance":
        Attendance.objects.filter(
            meeting=meeting, pk=request.POST.get("remove_attendance")
        ).delete()
    elif sub_action == "add_action":
        services.add_action(meeting, forms["action_form"].cleaned_data)
        return "actions"
    elif sub_action == "add_learning":
        services.capture_learning(
            meeting,
            forms["learning_form"].cleaned_data,
            by=request.user,
            meeting_areas=meeting_area_ids(meeting),
        )
        return "learning"
    return "attendees"


def _create_person(request, form: NewPersonForm) -> Participant:
    person = form.save(commit=False)
    person.programme = form.programme
    person.stamp_consent(request.user)
    person.save()
    return person


def _render_log(
    request,
    space_access,
    meeting,
    *,
    form=None,
    query="",
    previews=False,
    conflict=None,
    status=200,
    **forms,
) -> HttpResponse:
    programme = space_access.programme
    form = form or MeetingLogForm(instance=meeting)
    if conflict:
        # The next save, after reading what changed, goes on top of the other person's.
        form.data = form.data.copy()
        form.data["version"] = str(conflict.version)
    context = {
        **_meeting_parts(meeting),
        "programme": programme,
        "space": space_access.space,
        "meeting": meeting,
        "form": form,
        "conflict": conflict,
        "previews": previews,
        "query": query,
        **_search(meeting, query),
        "new_person_form": forms.get("new_person_form") or NewPersonForm(programme=programme),
        "action_form": forms.get("action_form") or ActionForm(meeting=meeting),
        "learning_form": forms.get("learning_form") or LearningPointForm(meeting=meeting),
        "attendee_form": forms.get("attendee_form"),
        "breadcrumbs": _meeting_crumbs(space_access),
    }
    return render(request, LOG_TEMPLATE, context, status=status)


def _search(meeting: Meeting, query: str) -> dict:
    """The people matching the search who are not on the list yet, and those who already are,
    so that someone already added is never offered as a "new person" (one query)."""
    if not query:
        return {"search_results": None, "already_listed": []}
    recorded = Attendance.objects.filter(meeting=meeting.pk, participant_id=OuterRef("pk"))
    found = list(
        Participant.objects.filter(programme_id=meeting.space.programme_id)
        .matching(query)
        .annotate(on_the_list=Exists(recorded) if meeting.pk else Value(False))
        .select_related("organisation")
        .order_by("on_the_list", "name")[:SEARCH_LIMIT]
    )
    return {
        "search_results": [person for person in found if not person.on_the_list],
        "already_listed": [person for person in found if person.on_the_list],
    }


# htmx endpoints: each returns the block of the log page that changed ----------------------------


def _fragment_base(space_access, meeting) -> dict:
    return {"programme": space_access.programme, "space": space_access.space, "meeting": meeting}


def _fragment(request, space_access, meeting, block: str, **extra) -> HttpResponse:
    context = {**_fragment_base(space_access, meeting), **extra}
    if block in _BLOCK_PARTS:
        name, fetch = _BLOCK_PARTS[block]
        context[name] = fetch(meeting)
    # 422 for a form with errors: htmx is configured (base.jinja) to swap it in all the same.
    response = render_fragment(
        request, LOG_TEMPLATE, block, context, status=422 if extra.get("invalid") else 200
    )
    if block == "attendees":
        # The action owner box offers the attendees, so it follows them, keeping the choice.
        chosen = request.POST.get("action-owner", "")
        _add_out_of_band(
            response,
            request,
            "action_owner",
            {
                **_fragment_base(space_access, meeting),
                "action_form": ActionForm(meeting=meeting, initial={"owner": chosen}),
                "owner_out_of_band": True,
            },
        )
    return response


def _add_out_of_band(response: HttpResponse, request, block: str, context: dict) -> None:
    """Append another block of the log page, which marks itself hx-swap-oob."""
    response.content += render_fragment(request, LOG_TEMPLATE, block, context).content


def _focus(response: HttpResponse, selector: str) -> HttpResponse:
    """Tell the page where keyboard focus belongs after the swap (static/js/app.mjs)."""
    return trigger_client_event(response, "convening:focus", {"target": selector})


def _back_to_log(meeting, anchor: str) -> HttpResponse:
    space = meeting.space
    return redirect(
        reverse("meeting_log", args=[space.programme.slug, space.slug, meeting.pk]) + f"#{anchor}"
    )


@require_GET
def attendee_search(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int
) -> HttpResponse:
    space_access, meeting = access.get_meeting_for_change(request, slug, space_slug, meeting_id)
    query = request.GET.get("q", "").strip()[:100]
    if not request.htmx:
        return redirect(reverse("meeting_log", args=[slug, space_slug, meeting_id]) + f"?q={query}")
    return render_fragment(
        request,
        LOG_TEMPLATE,
        "attendee_results",
        {
            "programme": space_access.programme,
            "space": space_access.space,
            "meeting": meeting,
            "query": query,
            **_search(meeting, query),
        },
    )


@require_GET
def attendee_search_new(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    """Search as you type on "Log a meeting" before the meeting is saved; "Add" then saves it."""
    space_access = access.get_space_for_change(request, slug, space_slug)
    query = request.GET.get("q", "").strip()[:100]
    if not request.htmx:
        url = reverse("meeting_log_new", args=[slug, space_slug])
        return redirect(f"{url}?{urlencode({'q': query})}#add-attendee")
    meeting = Meeting(space=space_access.space)
    return render_fragment(
        request,
        LOG_TEMPLATE,
        "attendee_results",
        {**_fragment_base(space_access, meeting), "query": query, **_search(meeting, query)},
    )


@require_POST
def attendee_add(request: HttpRequest, slug: str, space_slug: str, meeting_id: int) -> HttpResponse:
    space_access, meeting = access.get_meeting_for_change(request, slug, space_slug, meeting_id)
    form = AddAttendeeForm(request.POST, meeting=meeting)
    if not form.is_valid():
        raise Http404(form.errors["participant"][0])
    attendance, created = services.add_attendee(meeting, form.cleaned_data["participant"])
    name = attendance.participant.name
    notice = f"{name} added." if created else f"{name} was already on the list."
    if request.htmx:
        response = _fragment(request, space_access, meeting, "attendees", attendee_notice=notice)
        query = request.POST.get("q", "").strip()[:100]
        if query:
            # The search results, refreshed out of band, no longer offer the person just added.
            _add_out_of_band(
                response,
                request,
                "attendee_results",
                {
                    **_fragment_base(space_access, meeting),
                    "query": query,
                    **_search(meeting, query),
                    "results_out_of_band": True,
                },
            )
        return _focus(response, "#attendee-q")
    messages.success(request, notice)
    return _back_to_log(meeting, "attendees")


@require_POST
def attendee_new_person(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int
) -> HttpResponse:
    space_access, meeting = access.get_meeting_for_change(request, slug, space_slug, meeting_id)
    form = NewPersonForm(request.POST, programme=space_access.programme)
    if not form.is_valid():
        if request.htmx:
            response = _fragment(
                request, space_access, meeting, "new_person", new_person_form=form, invalid=True
            )
            return reswap(retarget(response, "#new-person-block"), "outerHTML")
        return _render_log(request, space_access, meeting, new_person_form=form, status=400)
    person = _create_person(request, form)
    services.add_attendee(meeting, person)
    notice = f"{person.name} added to the programme's people and to this meeting."
    if request.htmx:
        response = _fragment(request, space_access, meeting, "attendees", attendee_notice=notice)
        _add_out_of_band(
            response,
            request,
            "new_person",
            {
                **_fragment_base(space_access, meeting),
                "new_person_form": NewPersonForm(programme=space_access.programme),
                "new_person_out_of_band": True,
            },
        )
        return _focus(response, "#attendees-heading")
    messages.success(request, notice)
    return _back_to_log(meeting, "attendees")


@require_POST
def attendees_add_space_members(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int
) -> HttpResponse:
    space_access, meeting = access.get_meeting_for_change(request, slug, space_slug, meeting_id)
    added = services.add_space_members(meeting)
    notice = f"{added} space {'member' if added == 1 else 'members'} added."
    if request.htmx:
        return _fragment(request, space_access, meeting, "attendees", attendee_notice=notice)
    messages.success(request, notice)
    return _back_to_log(meeting, "attendees")


def _attendance_for_change(request, slug, space_slug, meeting_id, attendance_id):
    space_access, meeting = access.get_meeting_for_change(request, slug, space_slug, meeting_id)
    attendance = (
        Attendance.objects.filter(meeting=meeting, pk=attendance_id)
        .select_related("participant")
        .first()
    )
    if attendance is None:
        raise Http404("No such attendee of this meeting")
    return space_access, meeting, attendance


@require_POST
def attendance_update(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int, attendance_id: int
) -> HttpResponse:
    space_access, meeting, attendance = _attendance_for_change(
        request, slug, space_slug, meeting_id, attendance_id
    )
    form = AttendeeStatusForm(
        {"status": request.POST.get(f"status-{attendance.pk}", request.POST.get("status"))}
    )
    if form.is_valid():
        attendance.status = form.cleaned_data["status"]
        attendance.save(update_fields=["status"])
        notice = f"{attendance.participant.name}: {attendance.get_status_display().lower()}."
    else:
        notice = form.errors["status"][0]
    if request.htmx:
        return _fragment(request, space_access, meeting, "attendees", attendee_notice=notice)
    messages.success(request, notice) if form.is_valid() else messages.error(request, notice)
    return _back_to_log(meeting, "attendees")


@require_POST
def attendance_remove(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int, attendance_id: int
) -> HttpResponse:
    space_access, meeting, attendance = _attendance_for_change(
        request, slug, space_slug, meeting_id, attendance_id
    )
    attendance.delete()
    notice = f"{attendance.participant.name} removed from the list."
    if request.htmx:
        return _fragment(request, space_access, meeting, "attendees", attendee_notice=notice)
    messages.success(request, notice)
    return _back_to_log(meeting, "attendees")


@require_POST
def meeting_action_add(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int
) -> HttpResponse:
    space_access, meeting = access.get_meeting_for_change(request, slug, space_slug, meeting_id)
    form = ActionForm(request.POST, meeting=meeting)
    notice = None
    if form.is_valid():
        action = services.add_action(meeting, form.cleaned_data)
        notice, form = f"Action “{action.title}” added.", ActionForm(meeting=meeting)
    return _inline_added(request, space_access, meeting, "action", "actions", form, notice)


@require_POST
def meeting_learning_add(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int
) -> HttpResponse:
    space_access, meeting = access.get_meeting_for_change(request, slug, space_slug, meeting_id)
    form = LearningPointForm(request.POST, meeting=meeting)
    notice = None
    if form.is_valid():
        entry = services.capture_learning(
            meeting, form.cleaned_data, by=request.user, meeting_areas=meeting_area_ids(meeting)
        )
        notice = f"Learning point “{entry.title}” saved as a draft."
        form = LearningPointForm(meeting=meeting)
    return _inline_added(request, space_access, meeting, "learning", "learning", form, notice)


def _inline_added(request, space_access, meeting, prefix, block, form, notice) -> HttpResponse:
    """The answer to an inline "add" on the log page: the block (htmx) or the page (plain).

    `notice` is None when the form had errors; otherwise `form` is a fresh, empty one."""
    forms = {f"{prefix}_form": form}
    if request.htmx:
        response = _fragment(
            request,
            space_access,
            meeting,
            block,
            **forms,
            **{f"{prefix}_notice": notice},
            invalid=notice is None,
        )
        # Back to the first box: ready for the next one, or to mend the one with an error.
        return _focus(response, f"#id_{prefix}-title")
    if notice is None:
        return _render_log(request, space_access, meeting, status=400, **forms)
    messages.success(request, notice)
    return _back_to_log(meeting, block)


@require_POST
def markdown_preview(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int
) -> HttpResponse:
    access.get_meeting_for_change(request, slug, space_slug, meeting_id)
    field = request.POST.get("field", "notes")
    if field not in services.LOGGED_FIELDS:
        raise Http404("No such field")
    html = render_markdown(request.POST.get(field, "")[: Meeting._meta.get_field(field).max_length])
    body = html or "<p>Nothing to preview yet.</p>"
    return HttpResponse(f'<div class="convening-preview">{body}</div>')


# History --------------------------------------------------------------------------------------


@require_GET
def meeting_history(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int
) -> HttpResponse:
    space_access, meeting = access.get_meeting_for_view(request, slug, space_slug, meeting_id)
    return render(
        request,
        "spaces/meeting_history.jinja",
        {
            "programme": space_access.programme,
            "space": space_access.space,
            "meeting": meeting,
            "access": space_access,
            "changes": history.changes(meeting),
            "anonymous": CHATHAM_HOUSE_WHO if space_access.space.is_chatham_house else "",
            "breadcrumbs": _meeting_crumbs(space_access),
        },
    )


@require_POST
def meeting_restore(
    request: HttpRequest, slug: str, space_slug: str, meeting_id: int, history_id: int
) -> HttpResponse:
    _space_access, meeting = access.get_meeting_for_change(request, slug, space_slug, meeting_id)
    record = meeting.history.filter(history_id=history_id).first()
    if record is None:
        raise Http404("No such version of this meeting")
    if services.restore(meeting, record, expected_version=meeting.version):
        messages.success(request, "The meeting is back as it was in that version.")
    else:
        messages.error(request, "Someone changed the meeting at the same moment. Try again.")
    return redirect("meeting_history", slug, space_slug, meeting.pk)
