"""The activity plan: activities grouped by area, its filters, the inline status change,
adding and editing an activity, linking actions from meetings, and the downloads."""

import csv
import datetime
import io
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import ActivityArea, PlannedActivity, Practice
from activities.views.plan import ACTIVITIES_PER_PAGE
from convening.models import Participant
from spaces.models import Action
from tests.factories import (
    ActionFactory,
    AdaptiveSpaceFactory,
    MeetingFactory,
    ParticipantFactory,
    PlannedActivityFactory,
    ProgrammeFactory,
)

P = "/programmes/virtual-wards/plan/"
HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver" + P}


def area(number: int) -> ActivityArea:
    return ActivityArea.objects.get(number=number)


def practice(code: str) -> Practice:
    area_number, number = code.split(".")
    return Practice.objects.get(area__number=area_number, number=number)


def text(response) -> str:
    return response.content.decode()


def rows(response) -> list[str]:
    """The titles of the activities listed, in order."""
    return re.findall(r'<tr id="activity-\d+">\s*<td><a href="[^"]+">([^<]+)</a>', text(response))


@pytest.fixture
def people(programme, space, facilitator, member):
    return {
        "facilitator": Participant.objects.get(programme=programme, user=facilitator),
        "member": Participant.objects.get(programme=programme, user=member),
        "other": ParticipantFactory(programme=programme, name="Ade Okafor"),
    }


@pytest.fixture
def plan_data(programme, space, people, lead):
    """Three activities in two areas, one overdue, with practices, owners and a space."""
    today = timezone.localdate()
    bridge = PlannedActivityFactory(
        programme=programme,
        area=area(3),
        title="Introduce care homes to the ward team",
        owner=people["facilitator"],
        space=space,
        due=today - timedelta(days=3),
        status="in_progress",
        created_by=lead,
    )
    bridge.practices.set([practice("3.1"), practice("3.3")])
    done = PlannedActivityFactory(
        programme=programme,
        area=area(3),
        title="Map who links primary and acute care",
        owner=people["other"],
        due=today - timedelta(days=10),
        status="done",
        created_by=lead,
    )
    purpose = PlannedActivityFactory(
        programme=programme,
        area=area(6),
        title="Agree the shared purpose",
        status="idea",
        created_by=lead,
    )
    return {"bridge": bridge, "done": done, "purpose": purpose}


# The plan ---------------------------------------------------------------------------------------


def test_plan_groups_activities_under_their_areas(as_user, lead, plan_data):
    response = as_user(lead).get(P)

    page = text(response)
    headings = re.findall(r'<h2 id="area-\d+" class="nhsuk-heading-m">([^<]+)</h2>', page)
    assert headings == ["3. Be a bridge", "6. Create a shared understanding"]
    assert rows(response) == [
        "Map who links primary and acute care",
        "Introduce care homes to the ward team",
        "Agree the shared purpose",
    ]
    assert "3 activities." in page
    assert "Showing" not in page
    assert 'aria-label="Pages of the plan"' not in page


def _nothing_planned(response) -> str:
    """The line that names the areas with nothing planned, tags removed."""
    match = re.search(r'<p class="nhsuk-body" id="nothing-planned">(.*?)</p>', text(response), re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def test_one_line_names_the_areas_with_nothing_planned_and_links_them_for_planners(
    client, lead, facilitator, plan_data
):
    for user in (lead, facilitator):
        client.force_login(user)
        response = client.get(P)

        line = _nothing_planned(response)
        assert line.startswith("Nothing planned in 1. Enable a spread receptive environment, ")
        assert ", 9. Provide local knowledge to predict and plan for likely disruption and " in line
        assert "and 10. Provide spread expertise and guidance." in line
        assert "3. Be a bridge" not in line
        assert "6. Create" not in line
        for number in (1, 2, 4, 5, 7, 8, 9, 10):
            assert f'href="{P}new/?area={number}">{number}. ' in text(response)
        assert text(response).count("Nothing planned") == 1


def test_members_see_the_areas_with_nothing_planned_without_links(as_user, member, plan_data):
    response = as_user(member).get(P)

    assert _nothing_planned(response).startswith("Nothing planned in 1. Enable a spread")
    assert f"{P}new/" not in text(response)


def test_the_areas_with_nothing_planned_follow_the_filters(as_user, lead, plan_data, people):
    response = as_user(lead).get(f"{P}?status=done")

    line = _nothing_planned(response)
    assert line.startswith("Nothing that matches the filters is planned in 1. Enable")
    assert "6. Create a shared understanding" in line  # its only activity is an idea
    assert "3. Be a bridge" not in line


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("area=4", "Nothing planned in this area. Add an activity in this area: Enable faster"),
        ("area=4&status=open", "Nothing planned in this area that matches the filters."),
        ("area=3&status=dropped", "Nothing planned in this area that matches the filters."),
    ],
)
def test_an_empty_chosen_area_is_said_once(as_user, lead, plan_data, query, expected):
    response = as_user(lead).get(f"{P}?{query}")

    assert _nothing_planned(response).startswith(expected)
    assert rows(response) == []
    assert '<h2 id="area-' not in text(response)
    chosen = query.split("&")[0].removeprefix("area=")
    assert f'href="{P}new/?area={chosen}"' in text(response)


def test_an_empty_plan_says_so_once(as_user, lead, programme):
    assert _nothing_planned(as_user(lead).get(P)) == "Nothing planned yet."
    assert _nothing_planned(as_user(lead).get(f"{P}?status=done")) == (
        "Nothing planned matches the filters."
    )


def test_plan_rows_show_practices_owner_space_due_and_status(as_user, lead, plan_data):
    page = text(as_user(lead).get(P))

    row = page[page.index('id="activity-{}"'.format(plan_data["bridge"].pk)) :]
    row = row[: row.index("</tr>")]
    assert "3.1, 3.3" in row
    assert "Facilitator Person" in row
    assert "Frailty huddle" in row
    assert "In progress</strong>" in row
    assert "Overdue" in row


def test_only_open_activities_are_flagged_overdue(as_user, lead, plan_data):
    page = text(as_user(lead).get(P))

    done_row = page[page.index('id="activity-{}"'.format(plan_data["done"].pk)) :]
    assert "Overdue" not in done_row[: done_row.index("</tr>")]
    assert page.count(">Overdue</strong>") == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "area=3",
            ["Map who links primary and acute care", "Introduce care homes to the ward team"],
        ),
        ("status=open", ["Introduce care homes to the ward team", "Agree the shared purpose"]),
        ("status=done", ["Map who links primary and acute care"]),
        ("status=idea", ["Agree the shared purpose"]),
        ("area=3&status=open", ["Introduce care homes to the ward team"]),
        ("area=3&status=done", ["Map who links primary and acute care"]),
        ("status=dropped", []),
    ],
)
def test_plan_filters_by_area_number_and_status(as_user, lead, plan_data, query, expected):
    response = as_user(lead).get(f"{P}?{query}")

    assert response.status_code == 200
    assert rows(response) == expected


def test_filtering_by_area_shows_only_that_area(as_user, lead, plan_data):
    page = text(as_user(lead).get(f"{P}?area=6"))

    assert "6. Create a shared understanding</h2>" in page
    assert "3. Be a bridge</h2>" not in page
    assert "Nothing planned" not in page


def test_plan_filters_by_owner_and_space(as_user, lead, plan_data, people, space):
    client = as_user(lead)

    by_owner = client.get(f"{P}?owner={people['other'].pk}")
    by_space = client.get(f"{P}?space={space.pk}")

    assert rows(by_owner) == ["Map who links primary and acute care"]
    assert rows(by_space) == ["Introduce care homes to the ward team"]
    assert _nothing_planned(by_space).startswith("Nothing that matches the filters is planned")
    assert "3. Be a bridge" not in _nothing_planned(by_space)


@pytest.mark.parametrize(
    "query",
    [
        "area=99",
        "area=three",
        "status=finished",
        "owner=abc",
        "owner=999999",
        "space=<script>",
        "area=&status=&owner=&space=",
    ],
)
def test_unknown_filter_values_are_ignored(as_user, lead, plan_data, query):
    response = as_user(lead).get(f"{P}?{query}")

    assert response.status_code == 200
    assert len(rows(response)) == 3
    assert "There is a problem" not in text(response)
    assert "match the filters" not in text(response)


def test_a_person_or_space_of_another_programme_is_not_a_filter(as_user, lead, plan_data):
    other = ProgrammeFactory()
    stranger = ParticipantFactory(programme=other)
    elsewhere = AdaptiveSpaceFactory(programme=other)
    PlannedActivityFactory(programme=other, area=area(3), owner=stranger, space=elsewhere)

    response = as_user(lead).get(f"{P}?owner={stranger.pk}&space={elsewhere.pk}")

    assert len(rows(response)) == 3
    assert stranger.name not in text(response)


def test_owner_filter_offers_only_people_who_own_an_activity(as_user, lead, plan_data, people):
    page = text(as_user(lead).get(P))

    owner_select = page[page.index('name="owner"') :]
    owner_select = owner_select[: owner_select.index("</select>")]
    assert "Ade Okafor" in owner_select
    assert "Facilitator Person" in owner_select
    assert "Member Person" not in owner_select


def test_filters_stay_chosen_and_travel_with_the_downloads(as_user, lead, plan_data):
    page = text(as_user(lead).get(f"{P}?area=3&status=open&owner=abc"))

    assert '<option value="3" selected>' in page
    assert '<option value="open" selected>' in page
    assert f'href="{P}export.csv?area=3&amp;status=open"' in page
    assert f'href="{P}export.xlsx?area=3&amp;status=open"' in page
    assert f'name="next" value="{P}?area=3&amp;status=open"' in page


def test_leads_and_facilitators_see_add_an_activity_and_members_do_not(
    client, lead, facilitator, member, plan_data
):
    for user, sees in ((lead, True), (facilitator, True), (member, False)):
        client.force_login(user)
        page = text(client.get(P))
        assert bool(re.search(r"Add an activity\s*</a>", page)) is sees
        assert (f'href="{P}new/?area=1"' in page) is sees


def test_status_controls_show_only_on_rows_the_user_may_change(
    client, lead, facilitator, member, plan_data
):
    bridge, done = plan_data["bridge"], plan_data["done"]
    expectations = (
        (lead, {bridge.pk: True, done.pk: True}),
        (facilitator, {bridge.pk: True, done.pk: False}),
        (member, {bridge.pk: False, done.pk: False}),
    )
    for user, can in expectations:
        client.force_login(user)
        page = text(client.get(P))
        for pk, shown in can.items():
            assert (f'id="status-{pk}"' in page) is shown, (user, pk)


# A long plan, a page at a time ----------------------------------------------------------------


@pytest.fixture
def long_plan(programme, lead):
    """230 open activities: 150 in area 1, then 80 in area 2, so area 1 runs onto page 2 and
    area 2 onto page 3. Due dates run backwards, so the plan's order is not the order added."""
    today = timezone.localdate()
    PlannedActivity.objects.bulk_create(
        PlannedActivity(
            programme=programme,
            area=area(1 if n < 150 else 2),
            title=f"Step {n:03}",
            due=today + timedelta(days=300 - n),
            status="planned",
            created_by=lead,
        )
        for n in range(230)
    )
    return list(
        PlannedActivity.objects.filter(programme=programme).order_by("area__number", "due", "pk")
    )


def _headings(response) -> list[str]:
    return re.findall(r'<h2 id="area-\d+" class="nhsuk-heading-m">([^<]+)</h2>', text(response))


def _pagination(response) -> dict[str, str]:
    """The pagination's links by rel (prev, next)."""
    page = text(response)
    if 'aria-label="Pages of the plan"' not in page:
        return {}
    nav = page[page.index('aria-label="Pages of the plan"') :]
    nav = nav[: nav.index("</nav>")]
    return {
        rel: href.replace("&amp;", "&")
        for href, rel in re.findall(r'href="([^"]+)" rel="(prev|next)"', nav)
    }


def test_a_long_plan_is_shown_a_hundred_activities_a_page(as_user, lead, long_plan):
    response = as_user(lead).get(P)

    assert len(rows(response)) == ACTIVITIES_PER_PAGE == 100
    assert rows(response) == [activity.title for activity in long_plan[:100]]
    assert "Showing 1 to 100 of 230 activities." in text(response)
    assert _headings(response) == ["1. Enable a spread receptive environment"]
    assert _pagination(response) == {"next": f"{P}?page=2"}
    assert "Next page" in text(response)
    assert "Page 2 of 3" in text(response)
    # The areas with nothing planned are all but 1 and 2, whichever page is shown.
    assert _nothing_planned(response).startswith("Nothing planned in 3. Be a bridge, ")
    assert "2. Provide" not in _nothing_planned(response)


def test_every_activity_is_on_exactly_one_page_in_the_plans_order(as_user, lead, long_plan):
    client = as_user(lead)

    pages = [rows(client.get(f"{P}?page={number}")) for number in (1, 2, 3)]

    assert [len(titles) for titles in pages] == [100, 100, 30]
    assert [title for titles in pages for title in titles] == [
        activity.title for activity in long_plan
    ]


def test_an_area_that_runs_on_from_the_page_before_says_so(as_user, lead, long_plan):
    client = as_user(lead)

    assert _headings(client.get(f"{P}?page=2")) == [
        "1. Enable a spread receptive environment (continued)",
        "2. Provide and encourage enabling leadership",
    ]
    assert _headings(client.get(f"{P}?page=3")) == [
        "2. Provide and encourage enabling leadership (continued)"
    ]


def test_a_later_page_keeps_the_filters_in_every_link(as_user, lead, long_plan):
    response = as_user(lead).get(f"{P}?area=1&status=open&page=2")

    page = text(response)
    assert rows(response) == [activity.title for activity in long_plan[100:150]]
    assert (
        "Showing 101 to 150 of 150 activities that match the filters "
        "(Area: 1. Enable a spread receptive environment; Status: Open" in page
    )
    assert _pagination(response) == {"prev": f"{P}?area=1&status=open"}
    assert "Previous page" in page
    assert "Page 1 of 2" in page
    assert '<option value="1" selected>' in page
    # The downloads are of every matching activity, not of the page.
    assert f'href="{P}export.csv?area=1&amp;status=open"' in page
    # A status change comes back to this page.
    assert f'name="next" value="{P}?area=1&amp;status=open&amp;page=2"' in page


def test_the_middle_page_links_both_ways(as_user, lead, long_plan):
    response = as_user(lead).get(f"{P}?status=planned&page=2")

    assert _pagination(response) == {
        "prev": f"{P}?status=planned",
        "next": f"{P}?status=planned&page=3",
    }


@pytest.mark.parametrize(
    ("number", "shown"),
    [("99", 3), ("4", 3), ("abc", 1), ("", 1), ("2.5", 1), ("<script>", 1), ("3", 3)],
)
def test_a_page_that_does_not_exist_shows_the_nearest_sensible_one(
    as_user, lead, long_plan, number, shown
):
    response = as_user(lead).get(P, {"page": number})

    assert response.status_code == 200
    first = (shown - 1) * 100
    assert rows(response)[0] == long_plan[first].title
    assert f"Showing {first + 1} to " in text(response)
    assert "<script>" not in text(response)


def test_a_short_plan_ignores_a_page_number(as_user, lead, plan_data):
    response = as_user(lead).get(f"{P}?page=5")

    assert len(rows(response)) == 3
    assert "Showing" not in text(response)
    assert f'name="next" value="{P}"' in text(response)


def test_htmx_status_change_on_a_later_page_keeps_the_page(as_user, lead, long_plan):
    activity = long_plan[120]
    back = f"{P}?area=1&status=open&page=2"

    response = as_user(lead).post(
        f"{P}{activity.pk}/status/", {"status": "in_progress", "next": back}, **HX
    )

    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith(f'<tr id="activity-{activity.pk}">')
    assert "In progress</strong>" in body
    assert f'name="next" value="{P}?area=1&amp;status=open&amp;page=2"' in body
    assert "<html" not in body


def test_plain_status_change_on_a_later_page_returns_to_it(as_user, lead, long_plan):
    activity = long_plan[120]
    back = f"{P}?area=1&status=open&page=2"

    response = as_user(lead).post(f"{P}{activity.pk}/status/", {"status": "done", "next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    activity.refresh_from_db()
    assert activity.status == "done"


# Changing the status ----------------------------------------------------------------------------


def test_plain_status_change_returns_to_the_filtered_plan(as_user, lead, plan_data):
    purpose = plan_data["purpose"]
    client = as_user(lead)

    response = client.post(
        f"{P}{purpose.pk}/status/", {"status": "planned", "next": f"{P}?status=open&area=6"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{P}?status=open&area=6"
    purpose.refresh_from_db()
    assert purpose.status == "planned"
    assert "“Agree the shared purpose” is now planned." in text(client.get(response["Location"]))


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/plan/",
        "//evil.example/programmes/virtual-wards/plan/",
        "/programmes/another/plan/",
        "/accounts/logout/",
        "",
    ],
)
def test_status_change_never_returns_to_another_site_or_programme(
    as_user, lead, plan_data, next_url
):
    response = as_user(lead).post(
        f"{P}{plan_data['purpose'].pk}/status/", {"status": "done", "next": next_url}
    )

    assert response["Location"] == P


def test_htmx_status_change_swaps_the_row_and_announces_it(as_user, lead, plan_data):
    bridge = plan_data["bridge"]

    response = as_user(lead).post(
        f"{P}{bridge.pk}/status/", {"status": "done", "next": f"{P}?area=3"}, **HX
    )

    assert response.status_code == 200
    body = text(response)
    assert body.lstrip().startswith(f'<tr id="activity-{bridge.pk}">')
    assert "Done</strong>" in body
    assert "Overdue" not in body  # done work is not overdue
    assert '<p id="plan-notice" hx-swap-oob="innerHTML">' in body
    assert "“Introduce care homes to the ward team” is now done." in body
    assert f'name="next" value="{P}?area=3"' in body
    assert "<html" not in body
    assert json.loads(response["HX-Trigger-After-Settle"]) == {
        "convening:focus": {"target": f"#status-button-{bridge.pk}"}
    }
    bridge.refresh_from_db()
    assert bridge.status == "done"


@pytest.mark.parametrize("status", ["finished", "", "DONE"])
def test_unknown_status_with_htmx_is_422_with_a_message(as_user, lead, plan_data, status):
    purpose = plan_data["purpose"]

    response = as_user(lead).post(f"{P}{purpose.pk}/status/", {"status": status}, **HX)

    assert response.status_code == 422
    assert "Choose a status" in text(response) or "Choose idea, planned" in text(response)
    assert f'id="activity-{purpose.pk}"' in text(response)
    purpose.refresh_from_db()
    assert purpose.status == "idea"


def test_unknown_status_without_javascript_redirects_with_a_message(as_user, lead, plan_data):
    purpose = plan_data["purpose"]
    client = as_user(lead)

    response = client.post(f"{P}{purpose.pk}/status/", {"status": "finished", "next": P})

    assert response.status_code == 302
    assert "Choose idea, planned, in progress, done or dropped" in text(
        client.get(response["Location"])
    )
    purpose.refresh_from_db()
    assert purpose.status == "idea"


def test_status_change_is_kept_in_the_history_with_who_did_it(as_user, lead, plan_data):
    purpose = plan_data["purpose"]
    client = as_user(lead)
    client.post(f"{P}{purpose.pk}/status/", {"status": "in_progress"})

    page = text(client.get(f"{P}{purpose.pk}/"))

    history = page[page.index("<h2>History</h2>") :]
    assert "Status: Idea to In progress" in history
    assert "Lead Person" in history


def test_an_activity_without_history_shows_its_page(as_user, lead, plan_data):
    # Bulk-loaded activities (the region-scale benchmark data) have no history records.
    purpose = plan_data["purpose"]
    purpose.history.all().delete()

    response = as_user(lead).get(f"{P}{purpose.pk}/")

    assert response.status_code == 200
    assert purpose.title in text(response)


# Adding an activity -----------------------------------------------------------------------------


def _post_data(**overrides) -> dict:
    data = {
        "area": "3",
        "practices": [str(practice("3.1").pk)],
        "title": "Introduce the care home leads",
        "description": "Over **coffee**.",
        "owner": "",
        "space": "",
        "due_day": "",
        "due_month": "",
        "due_year": "",
        "status": "planned",
    }
    data.update(overrides)
    return data


def test_lead_adds_an_activity(as_user, lead, programme, space, people):
    client = as_user(lead)

    response = client.post(
        f"{P}new/",
        _post_data(
            owner=str(people["other"].pk),
            space=str(space.pk),
            due_day="27",
            due_month="3",
            due_year="2030",
            status="idea",
        ),
    )

    activity = PlannedActivity.objects.get(title="Introduce the care home leads")
    assert response.status_code == 302
    assert response["Location"] == f"{P}{activity.pk}/"
    assert activity.programme == programme
    assert activity.area.number == 3
    assert [p.code for p in activity.practices.all()] == ["3.1"]
    assert activity.owner == people["other"]
    assert activity.space == space
    assert activity.due == datetime.date(2030, 3, 27)
    assert activity.status == "idea"
    assert activity.created_by == lead
    assert activity.from_domain == ""
    page = text(client.get(response["Location"]))
    assert "Activity “Introduce the care home leads” added to the plan." in page


def test_add_form_offers_the_ten_areas_and_the_practices(as_user, lead, programme):
    page = text(as_user(lead).get(f"{P}new/"))

    assert "<h1>Add an activity</h1>" in page
    assert page.count('<option value="', page.index('name="area"')) >= 10
    for number in range(1, 11):
        assert f'<option value="{number}">' in page
    assert page.count('name="practices" type="checkbox"') == Practice.objects.count()
    assert "1. Enable a spread receptive environment</legend>" in page
    assert "3.1 Connect people within and between systems" in page
    assert re.search(r"Add an activity\s*</button>", page)


def test_add_form_is_prefilled_from_an_area(as_user, lead, programme):
    page = text(as_user(lead).get(f"{P}new/?area=9"))

    assert '<option value="9" selected>' in page


@pytest.mark.parametrize("query", ["area=11", "area=abc", "from_domain=nonsense", "area="])
def test_add_form_ignores_an_unknown_prefill(as_user, lead, programme, query):
    response = as_user(lead).get(f"{P}new/?{query}")

    assert response.status_code == 200
    assert (
        " selected>"
        not in text(response)[text(response).index('name="area"') :].split("</select>")[0]
    )


def test_add_form_is_prefilled_from_a_complex_domain(as_user, lead, programme):
    client = as_user(lead)

    page = text(client.get(f"{P}new/?from_domain=organisations"))

    assert '<option value="1" selected>' in page
    assert re.search(r'value="{}"\s+checked'.format(practice("1.3").pk), page), (
        "practice 1.3 is checked"
    )
    assert 'value="Convene the organisations that depend on each other"' in page
    assert "Planned because “The organisations” was rated complex." in page


def test_an_activity_added_from_a_domain_remembers_it(as_user, lead, programme):
    client = as_user(lead)

    response = client.post(
        f"{P}new/?from_domain=organisations",
        _post_data(area="1", practices=[str(practice("1.3").pk)], title="Convene them"),
    )

    assert response.status_code == 302
    assert PlannedActivity.objects.get(title="Convene them").from_domain == "organisations"


def test_a_facilitators_new_activity_is_theirs_by_default(as_user, facilitator, people):
    page = text(as_user(facilitator).get(f"{P}new/"))

    assert f'<option value="{people["facilitator"].pk}" selected>' in page


def test_a_lead_without_a_participant_record_gets_no_default_owner(as_user, lead, people):
    page = text(as_user(lead).get(f"{P}new/"))

    owner_select = page[page.index('name="owner"') :].split("</select>")[0]
    assert " selected>" not in owner_select


def test_a_facilitator_adds_an_activity_and_may_change_it(as_user, facilitator, people):
    client = as_user(facilitator)

    client.post(f"{P}new/", _post_data(owner=str(people["other"].pk)))

    activity = PlannedActivity.objects.get()
    assert activity.created_by == facilitator
    assert client.get(f"{P}{activity.pk}/edit/").status_code == 200


def _error_page(client, data, query=""):
    response = client.post(f"{P}new/{query}", data)
    assert response.status_code == 400
    assert not PlannedActivity.objects.exists()
    page = text(response)
    assert "There is a problem" in page
    assert "<title>Error: " in page
    return page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title"),
        ({"title": "x" * 201}, "Title must be 200 characters or fewer"),
        ({"description": "x" * 10_001}, "Description must be 10,000 characters or fewer"),
        ({"area": ""}, "Choose the activity area"),
        ({"area": "11"}, "Choose one of the ten activity areas"),
        ({"practices": ["999999"]}, "Choose practices from the list"),
        ({"practices": ["abc"]}, "Choose practices from the list"),
        ({"status": "finished"}, "Choose idea, planned, in progress, done or dropped"),
        ({"due_day": "31", "due_month": "2", "due_year": "2030"}, "Enter a real date"),
        ({"due_day": "31", "due_month": "", "due_year": ""}, "Enter a day, a month and a year"),
        ({"owner": "abc"}, "That person was not found in this programme"),
    ],
)
def test_bad_input_gets_a_clear_message(as_user, lead, programme, overrides, message):
    page = _error_page(as_user(lead), _post_data(**overrides))

    assert message in page


def test_practices_must_belong_to_the_activitys_area(as_user, lead, programme):
    page = _error_page(
        as_user(lead),
        _post_data(area="3", practices=[str(practice("3.1").pk), str(practice("6.1").pk)]),
    )

    assert "Choose practices of area 3 only: 6.1 is in another area" in page
    assert 'href="#id_practices"' in page  # the error summary links to the first box
    assert 'id="id_practices" name="practices" type="checkbox"' in page


def test_an_owner_from_another_programme_is_not_found(as_user, lead, programme):
    stranger = ParticipantFactory(programme=ProgrammeFactory(), name="Stranger Danger")

    page = _error_page(as_user(lead), _post_data(owner=str(stranger.pk)))

    assert "That person was not found in this programme" in page
    assert "Stranger Danger" not in page


def test_a_space_from_another_programme_is_not_found(as_user, lead, programme):
    elsewhere = AdaptiveSpaceFactory(programme=ProgrammeFactory(), name="Elsewhere space")

    page = _error_page(as_user(lead), _post_data(space=str(elsewhere.pk)))

    assert "That space was not found in this programme" in page
    assert "Elsewhere space" not in page


def test_nothing_typed_is_lost_on_error(as_user, lead, programme):
    page = _error_page(
        as_user(lead),
        _post_data(
            title="x" * 201,
            description="Keep **this**",
            due_day="31",
            due_month="2",
            due_year="2030",
        ),
    )

    assert 'value="' + "x" * 201 + '"' in page
    assert "Keep **this**</textarea>" in page
    assert 'name="due_day" type="text" value="31"' in page or 'value="31"' in page
    assert re.search(r'value="{}"\s+checked'.format(practice("3.1").pk), page)


# The detail page --------------------------------------------------------------------------------


def test_detail_shows_the_facts_and_the_description_as_markdown(as_user, member, plan_data):
    bridge = plan_data["bridge"]
    bridge.description = "Start with **two** homes.\n\n<script>alert(1)</script>\n\n- one\n- two"
    bridge.save()

    page = text(as_user(member).get(f"{P}{bridge.pk}/"))

    assert "<h1>Introduce care homes to the ward team</h1>" in page
    assert "3. Be a bridge" in page
    assert "3.1 Connect people within and between systems" in page
    assert "Frailty huddle" in page
    assert "<strong>two</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "alert(1)" not in page
    assert '<ul class="nhsuk-list nhsuk-list--bullet">' in page
    assert "Edit this activity" not in page  # a member only reads
    assert 'name="status"' not in page


def test_detail_lists_linked_actions_with_meeting_and_owner(
    as_user, lead, plan_data, space, people
):
    bridge = plan_data["bridge"]
    meeting = MeetingFactory(space=space, status="held", title="March huddle")
    ActionFactory(
        programme=bridge.programme,
        meeting=meeting,
        title="Book the room",
        owner=people["other"],
        planned_activity=bridge,
    )
    ActionFactory(
        programme=bridge.programme,
        meeting=meeting,
        title="Send the notes",
        status="done",
        planned_activity=bridge,
    )

    page = text(as_user(lead).get(f"{P}{bridge.pk}/"))

    actions = page[page.index('id="actions"') : page.index("<h2>History</h2>")]
    assert "Book the room" in actions
    assert "Send the notes" in actions
    assert "Ade Okafor" in actions
    assert "March huddle" in actions
    assert actions.count(">Unlink<span") == 2


def test_link_an_open_action_from_a_meeting(as_user, lead, plan_data, space):
    bridge = plan_data["bridge"]
    meeting = MeetingFactory(space=space, status="held", title="March huddle")
    free = ActionFactory(programme=bridge.programme, meeting=meeting, title="Free action")
    taken = ActionFactory(
        programme=bridge.programme,
        meeting=meeting,
        title="Serves another",
        planned_activity=plan_data["purpose"],
    )
    ActionFactory(programme=bridge.programme, meeting=meeting, title="Done one", status="done")
    ActionFactory(programme=bridge.programme, title="From no meeting")
    client = as_user(lead)

    page = text(client.get(f"{P}{bridge.pk}/"))
    link_form = page[page.index("Link an open action") :]
    link_form = link_form[: link_form.index("</select>")]
    assert f'<option value="{free.pk}">Free action (from March huddle)</option>' in link_form
    for absent in ("Serves another", "Done one", "From no meeting"):
        assert absent not in link_form

    response = client.post(f"{P}{bridge.pk}/actions/", {"action": str(free.pk)})

    assert response.status_code == 302
    assert response["Location"] == f"{P}{bridge.pk}/#actions"
    free.refresh_from_db()
    assert free.planned_activity == bridge
    taken.refresh_from_db()
    assert taken.planned_activity == plan_data["purpose"]


@pytest.mark.parametrize("which", ["other programme", "already linked", "nonsense", "empty"])
def test_linking_an_action_that_is_not_offered_is_a_clear_error(
    as_user, lead, plan_data, space, which
):
    bridge = plan_data["bridge"]
    other = ProgrammeFactory()
    stranger = ActionFactory(
        programme=other,
        meeting=MeetingFactory(space=AdaptiveSpaceFactory(programme=other)),
        title="Another programme's action",
    )
    taken = ActionFactory(
        programme=bridge.programme,
        meeting=MeetingFactory(space=space),
        planned_activity=plan_data["purpose"],
    )
    value = {
        "other programme": str(stranger.pk),
        "already linked": str(taken.pk),
        "nonsense": "abc",
        "empty": "",
    }[which]

    response = as_user(lead).post(f"{P}{bridge.pk}/actions/", {"action": value})

    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert ("Choose an action to link" if which == "empty" else "That action was not found") in page
    assert "Another programme's action" not in page
    stranger.refresh_from_db()
    taken.refresh_from_db()
    assert stranger.planned_activity is None
    assert taken.planned_activity == plan_data["purpose"]


def test_unlink_an_action(as_user, lead, plan_data, space):
    bridge = plan_data["bridge"]
    linked = ActionFactory(
        programme=bridge.programme, meeting=MeetingFactory(space=space), planned_activity=bridge
    )
    client = as_user(lead)

    response = client.post(f"{P}{bridge.pk}/actions/{linked.pk}/unlink/")

    assert response.status_code == 302
    linked.refresh_from_db()
    assert linked.planned_activity is None
    assert "no longer serves this activity" in text(client.get(response["Location"]))


def test_unlinking_an_action_of_another_activity_is_not_found(as_user, lead, plan_data, space):
    linked = ActionFactory(
        programme=plan_data["bridge"].programme,
        meeting=MeetingFactory(space=space),
        planned_activity=plan_data["purpose"],
    )

    response = as_user(lead).post(f"{P}{plan_data['bridge'].pk}/actions/{linked.pk}/unlink/")

    assert response.status_code == 404
    linked.refresh_from_db()
    assert linked.planned_activity == plan_data["purpose"]


def test_open_actions_page_says_which_activity_each_action_serves(
    as_user, member, plan_data, space
):
    ActionFactory(
        programme=plan_data["bridge"].programme,
        meeting=MeetingFactory(space=space),
        title="Book the room",
        planned_activity=plan_data["bridge"],
    )

    page = text(as_user(member).get("/programmes/virtual-wards/actions/"))

    assert (
        f'<a href="{P}{plan_data["bridge"].pk}/">Introduce care homes to the ward team</a>' in page
    )


# Editing ----------------------------------------------------------------------------------------


def test_lead_edits_an_activity_and_the_history_says_what_changed(as_user, lead, plan_data):
    bridge = plan_data["bridge"]
    client = as_user(lead)
    form = text(client.get(f"{P}{bridge.pk}/edit/"))
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    assert version == str(bridge.version)

    response = client.post(
        f"{P}{bridge.pk}/edit/",
        _post_data(
            title="Introduce care homes to the virtual ward",
            practices=[str(practice("3.2").pk)],
            status="in_progress",
            version=version,
        ),
    )

    assert response.status_code == 302
    bridge.refresh_from_db()
    assert bridge.title == "Introduce care homes to the virtual ward"
    assert [p.code for p in bridge.practices.all()] == ["3.2"]
    assert bridge.created_by == lead
    history = text(client.get(f"{P}{bridge.pk}/"))
    history = history[history.index("<h2>History</h2>") :]
    assert "Title" in history
    assert "Practices" in history
    assert "Lead Person" in history


def test_edit_form_shows_the_current_values(as_user, lead, plan_data):
    bridge = plan_data["bridge"]

    page = text(as_user(lead).get(f"{P}{bridge.pk}/edit/"))

    assert "<h1>Edit Introduce care homes to the ward team</h1>" in page
    assert '<option value="3" selected>' in page
    assert re.search(r'value="{}"\s+checked'.format(practice("3.3").pk), page)
    assert '<option value="in_progress" selected>' in page
    assert re.search(r"Save activity\s*</button>", page)


def test_an_edit_over_someone_elses_change_is_not_saved(as_user, lead, plan_data):
    bridge = plan_data["bridge"]
    client = as_user(lead)
    form = text(client.get(f"{P}{bridge.pk}/edit/"))
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    bridge.change_status("done")  # someone else, meanwhile, with the quick status button

    response = client.post(
        f"{P}{bridge.pk}/edit/",
        _post_data(title="My new title", status="in_progress", version=version),
    )

    assert response.status_code == 409
    page = re.sub(r"\s+", " ", text(response))
    assert "Someone else saved this activity while you were editing it" in page
    assert (
        '<h3 class="nhsuk-heading-s">Status</h3> <div class="convening-conflict">Done</div>' in page
    )
    assert 'value="My new title"' in page
    bridge.refresh_from_db()
    assert bridge.status == "done"
    assert bridge.title == "Introduce care homes to the ward team"
    # Saving again, having seen the conflict, is a deliberate overwrite.
    version = re.search(r'name="version" value="(\d+)"', text(response)).group(1)
    assert version == str(bridge.version)
    again = client.post(
        f"{P}{bridge.pk}/edit/",
        _post_data(title="My new title", status="in_progress", version=version),
    )
    assert again.status_code == 302
    bridge.refresh_from_db()
    assert bridge.title == "My new title"


def test_two_edits_from_the_same_version_keep_the_first_and_show_it_to_the_second(
    as_user, lead, facilitator, plan_data
):
    bridge = plan_data["bridge"]  # owned by the facilitator, so both may change it
    opened_at = str(bridge.version)
    kept = {"title": bridge.title, "owner": str(bridge.owner_id), "version": opened_at}
    first = as_user(lead).post(
        f"{P}{bridge.pk}/edit/",
        _post_data(**kept, description="The lead's plan"),
    )
    assert first.status_code == 302

    second = as_user(facilitator).post(
        f"{P}{bridge.pk}/edit/",
        _post_data(**kept, description="The facilitator's plan"),
    )

    assert second.status_code == 409
    page = text(second)
    assert "Lead Person saved it" in page
    assert '<div class="convening-conflict">The lead&#39;s plan</div>' in page
    assert ">The facilitator&#39;s plan</textarea>" in page
    bridge.refresh_from_db()
    assert bridge.description == "The lead's plan"


def test_an_edit_without_its_version_is_treated_as_out_of_date(as_user, lead, plan_data):
    bridge = plan_data["bridge"]

    response = as_user(lead).post(f"{P}{bridge.pk}/edit/", _post_data(title="Unseen"))

    assert response.status_code == 409
    bridge.refresh_from_db()
    assert bridge.title == "Introduce care homes to the ward team"


def test_linking_an_action_meanwhile_is_not_a_conflict(as_user, lead, plan_data, space):
    bridge = plan_data["bridge"]
    client = as_user(lead)
    opened_at = str(bridge.version)
    action = ActionFactory(
        programme=bridge.programme, meeting=MeetingFactory(space=space), title="Book the room"
    )
    client.post(f"{P}{bridge.pk}/actions/", {"action": str(action.pk)})

    response = client.post(
        f"{P}{bridge.pk}/edit/",
        _post_data(title="Renamed", status="in_progress", version=opened_at),
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.planned_activity == bridge


def test_edit_with_bad_input_is_400_and_changes_nothing(as_user, lead, plan_data):
    bridge = plan_data["bridge"]

    response = as_user(lead).post(
        f"{P}{bridge.pk}/edit/", _post_data(title="", practices=[str(practice("1.1").pk)])
    )

    assert response.status_code == 400
    assert "Enter a title" in text(response)
    assert "Choose practices of area 3 only: 1.1 is in another area" in text(response)
    bridge.refresh_from_db()
    assert bridge.title == "Introduce care homes to the ward team"


# Downloads --------------------------------------------------------------------------------------

HEADERS = [
    "Area",
    "Practices",
    "Title",
    "Description",
    "Owner",
    "Space",
    "Due",
    "Status",
    "Linked actions",
    "Last updated",
]


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_csv_download_has_the_plan_with_its_columns(as_user, member, plan_data, space):
    bridge = plan_data["bridge"]
    ActionFactory(
        programme=bridge.programme,
        meeting=MeetingFactory(space=space),
        title="Book the room",
        planned_activity=bridge,
    )

    response = as_user(member).get(f"{P}export.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="virtual-wards-activity-plan.csv"' in response["Content-Disposition"]
    table = _csv(response)
    assert table[0] == HEADERS
    assert len(table) == 4
    row = next(r for r in table if r[2] == bridge.title)
    assert row[0] == "3. Be a bridge"
    assert row[1] == "3.1, 3.3"
    assert row[4] == "Facilitator Person"
    assert row[5] == "Frailty huddle"
    assert row[6] == bridge.due.isoformat()
    assert row[7] == "In progress"
    assert row[8] == "Book the room (open)"


def test_downloads_honour_the_filters(as_user, member, plan_data):
    client = as_user(member)

    table = _csv(client.get(f"{P}export.csv?area=3&status=done&owner=nonsense"))
    workbook = load_workbook(io.BytesIO(client.get(f"{P}export.xlsx?status=open").content))

    assert [row[2] for row in table[1:]] == ["Map who links primary and acute care"]
    titles = [row[2] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Introduce care homes to the ward team", "Agree the shared purpose"]


def test_xlsx_download_has_the_same_columns(as_user, lead, plan_data):
    response = as_user(lead).get(f"{P}export.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.max_row == 4


def test_a_formula_in_a_title_is_neutralised_in_both_formats(as_user, lead, programme):
    PlannedActivityFactory(
        programme=programme,
        area=area(1),
        title='=HYPERLINK("https://evil.example","Click")',
        description="+1+1",
    )
    client = as_user(lead)

    row = _csv(client.get(f"{P}export.csv"))[1]
    sheet = load_workbook(io.BytesIO(client.get(f"{P}export.xlsx").content)).active

    assert row[2] == '\'=HYPERLINK("https://evil.example","Click")'
    assert row[3] == "'+1+1"
    title_cell = sheet.cell(row=2, column=3)
    assert title_cell.data_type == "s"
    assert title_cell.value == '=HYPERLINK("https://evil.example","Click")'
    assert sheet.cell(row=2, column=4).data_type == "s"


@pytest.mark.parametrize("fmt", ["pdf", "csvx", "json"])
def test_other_download_formats_are_not_found(as_user, lead, plan_data, fmt):
    assert as_user(lead).get(f"{P}export.{fmt}").status_code == 404


def test_outsiders_cannot_download_the_plan(as_user, outsider, plan_data):
    client = as_user(outsider)

    assert client.get(f"{P}export.csv").status_code == 404
    assert client.get(f"{P}export.xlsx").status_code == 404


def test_actions_are_from_the_same_programme_only(plan_data):
    """A guard on the fixture: every action the tests link is the programme's own."""
    assert not Action.objects.exclude(programme=plan_data["bridge"].programme).exists()


def test_history_shows_each_save_once_with_what_it_changed(as_user, lead, programme):
    client = as_user(lead)
    client.post(f"{P}new/", _post_data())
    activity = PlannedActivity.objects.get()
    edit = f"{P}{activity.pk}/edit/"
    both = [str(practice("3.1").pk), str(practice("3.2").pk)]

    def save(**changes):
        activity.refresh_from_db()
        response = client.post(edit, _post_data(version=str(activity.version), **changes))
        assert response.status_code == 302

    save(practices=[str(practice("3.2").pk)], title="Renamed")
    save(practices=both, title="Renamed")
    save(practices=both, title="Renamed")  # nothing changed: not a change to list
    client.post(f"{P}{activity.pk}/status/", {"status": "done"})

    page = text(client.get(f"{P}{activity.pk}/"))

    history = page[
        page.index("<h2>History</h2>") : page.index("</table>", page.index("<h2>History"))
    ]
    what = [
        re.sub(r"\s+", " ", cell).strip()
        for cell in re.findall(r"<td>([^<]*)</td>\s*</tr>", history)
    ]
    # The row of the add itself is tested on its own below.
    assert what[:3] == ["Status: Planned to Done", "Practices", "Title, Practices"]
    assert len(what) <= 4
    assert history.count("Lead Person") == len(what)


def test_the_history_begins_with_the_add(as_user, lead, programme):
    client = as_user(lead)
    client.post(f"{P}new/", _post_data())  # with a practice
    activity = PlannedActivity.objects.get()

    page = text(client.get(f"{P}{activity.pk}/"))

    assert "<td>Added</td>" in page[page.index("<h2>History</h2>") :]


def test_detail_says_an_activity_was_planned_from_a_complex_domain(as_user, lead, programme):
    planned = PlannedActivityFactory(programme=programme, area=area(1), from_domain="organisations")

    page = text(as_user(lead).get(f"{P}{planned.pk}/"))

    assert "where “The organisations” was rated complex" in page
