"""The board report (DESIGN section 14): each section with data in the range and outside it,
and the form that chooses the range."""

import datetime
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import ActivityArea, Practice
from convening.models import AdoptionEvent, Sector
from tests.factories import (
    ActionFactory,
    AdaptiveSpaceFactory,
    AdoptionFactory,
    AttendanceFactory,
    ComplexityAssessmentFactory,
    InnovationFactory,
    LearningEntryFactory,
    LocalKnowledgeFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    PlannedActivityFactory,
)

REPORT = "/programmes/virtual-wards/report/"


def _days_ago(days: int) -> datetime.datetime:
    return timezone.now() - timedelta(days=days)


def _range(start: datetime.date, end: datetime.date) -> str:
    return (
        f"{REPORT}?start_day={start.day}&start_month={start.month}&start_year={start.year}"
        f"&end_day={end.day}&end_month={end.month}&end_year={end.year}"
    )


# An older range: from 400 to 200 days ago. "Recent" data (10 days ago) falls outside it.
OLD_START, OLD_END = 400, 200


def _old_range() -> str:
    today = timezone.localdate()
    return _range(today - timedelta(days=OLD_START), today - timedelta(days=OLD_END))


def _section(html: str, section_id: str) -> str:
    found = re.search(
        rf'<section [^>]*aria-labelledby="{section_id}">(.*?)</section>', html, re.DOTALL
    )
    assert found, f"no section {section_id}"
    return found.group(1)


def _report(client, url: str = REPORT) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _logged_meeting(space, days_ago: int, *, sectors=(Sector.ACUTE,), title="Meeting"):
    starts = _days_ago(days_ago)
    meeting = MeetingFactory(
        space=space, title=title, status="held", starts_at=starts, logged_at=starts
    )
    for sector in sectors:
        participant = ParticipantFactory(
            programme=space.programme, organisation=OrganisationFactory(sector=sector)
        )
        AttendanceFactory(meeting=meeting, participant=participant)
    return meeting


def test_by_default_the_report_covers_the_last_twelve_months(as_user, lead):
    html = _report(as_user(lead))

    today = timezone.localdate()
    start = today - timedelta(days=364)
    assert f"From {start.day} {start:%B %Y} to {today.day} {today:%B %Y}" in html
    # The adoption curve and the meetings have a row for each month the range touches.
    months = _section(html, "meetings").count('<th scope="row">')
    assert months == 13 if start.month == today.month else 12


def test_the_shared_understanding_and_who_agreed_it(as_user, programme, lead):
    programme.shared_purpose = "Care at home when home is the right place."
    programme.understanding_agreed_on = datetime.date(2026, 11, 3)
    programme.understanding_agreed_by = "The programme board"
    programme.save()

    section = _section(_report(as_user(lead)), "shared-understanding")

    assert "Care at home when home is the right place." in section
    assert "Last agreed on 3 November 2026 by The programme board." in section
    assert "Not written down yet." in section  # the problem, still empty


def test_an_unagreed_understanding_says_so(as_user, lead):
    section = _section(_report(as_user(lead)), "shared-understanding")
    assert "Not yet marked as agreed." in section


def test_complexity_and_the_match_are_measured_up_to_the_end_of_the_range(
    as_user, programme, lead, space
):
    ComplexityAssessmentFactory(
        programme=programme, interdependence="interdependent", ratings={"condition": "complex"}
    )
    for days in (5, 10, 15):
        _logged_meeting(space, days)
    client = as_user(lead)

    recent = _section(_report(client), "complexity")
    older = _section(_report(client, _old_range()), "complexity")

    assert "Meetings held and logged in the last 90 days" in recent
    assert re.search(r"Meetings held and logged in the last 90 days</[^>]+>\s*<[^>]+>3<", recent)
    assert re.search(r"Meetings held and logged in the last 90 days</[^>]+>\s*<[^>]+>0<", older)


def test_without_an_assessment_the_report_says_nobody_has_assessed(as_user, lead):
    section = _section(_report(as_user(lead)), "complexity")
    assert "Nobody has assessed how complex this change is yet." in section


def test_coverage_counts_meetings_in_the_ninety_days_to_the_end_of_the_range(as_user, lead, space):
    bridge = Practice.objects.get(area__number=3, number=1)
    _logged_meeting(space, 10).practices.set([bridge])
    _logged_meeting(space, OLD_END + 10).practices.set([bridge])
    _logged_meeting(space, OLD_END + 20).practices.set([bridge])
    client = as_user(lead)

    def bridge_row(html):
        section = _section(html, "coverage")
        assert 'role="img"' in section  # the chart, then its table
        title = ActivityArea.objects.get(number=3).title
        return re.search(rf"3\. {title}</th>(.*?)</tr>", section, re.DOTALL).group(1)

    recent = re.findall(r">(\d+)<", bridge_row(_report(client)))
    older = re.findall(r">(\d+)<", bridge_row(_report(client, _old_range())))
    assert recent[2] == "1"
    assert older[2] == "2"


def test_the_adoption_curve_counts_sites_at_each_month_end(as_user, programme, lead):
    innovation = InnovationFactory(programme=programme)
    adoption = AdoptionFactory(innovation=innovation, stage="testing")
    today = timezone.localdate()
    AdoptionEvent.objects.create(
        adoption=adoption, stage="exploring", date=today - timedelta(days=300)
    )
    AdoptionEvent.objects.create(adoption=adoption, stage="testing", date=today)

    section = _section(_report(as_user(lead)), "adoption")

    assert 'role="img"' in section
    this_month = re.search(rf"{today:%B %Y}</th>(.*?)</tr>", section, re.DOTALL).group(1)
    assert re.findall(r">(\d+)<", this_month)[-1] == "1"  # the total
    first_month = (today - timedelta(days=364)).strftime("%B %Y")
    before = re.search(rf"{first_month}</th>(.*?)</tr>", section, re.DOTALL).group(1)
    assert re.findall(r">(\d+)<", before)[-1] == "0"


def test_meetings_in_the_range_and_those_across_boundaries(as_user, lead, space):
    _logged_meeting(space, 10, sectors=(Sector.ACUTE, Sector.LOCAL_AUTHORITY))
    _logged_meeting(space, 20, sectors=(Sector.ACUTE,))
    _logged_meeting(space, OLD_END + 180, sectors=(Sector.ACUTE, Sector.VCSE, Sector.ACADEMIC))
    MeetingFactory(space=space, status="held", starts_at=_days_ago(30))  # held, never logged
    client = as_user(lead)

    recent = _section(_report(client), "meetings")
    older = _section(_report(client, _old_range()), "meetings")

    assert "2 logged meetings in the range, 1 (50%) with people from more than one" in recent
    assert "3 attendances by 3 people from 3 organisations in 2 sectors" in recent
    assert "1 logged meeting in the range, 1 (100%)" in older
    assert "3 attendances by 3 people from 3 organisations in 3 sectors" in older
    assert 'role="img"' in recent


def test_no_meeting_in_the_range_says_so(as_user, lead, space):
    _logged_meeting(space, 10)
    section = _section(_report(as_user(lead), _old_range()), "meetings")
    assert "No meeting was logged in the range." in section


def test_top_learning_is_published_in_the_range_newest_first(as_user, programme, lead):
    for title, days, status in (
        ("Older in range", 30, "published"),
        ("Newest in range", 3, "published"),
        ("Published long ago", OLD_START + 30, "published"),
        ("Still a draft", 3, "draft"),
    ):
        LearningEntryFactory(
            programme=programme, title=title, status=status, published_at=_days_ago(days)
        )
    LearningEntryFactory(title="Another programme's", status="published", published_at=_days_ago(3))

    section = _section(_report(as_user(lead)), "learning")

    assert section.index("Newest in range") < section.index("Older in range")
    assert "Published long ago" not in section
    assert "Still a draft" not in section
    assert "Another programme&#39;s" not in section


def test_top_learning_never_names_the_author_of_chatham_house_learning(
    as_user, programme, lead, facilitator
):
    ParticipantFactory(programme=programme, user=facilitator, consent_named=True)
    closed = AdaptiveSpaceFactory(programme=programme, confidentiality="chatham_house")
    open_space = AdaptiveSpaceFactory(programme=programme)
    for title, space in (("Said in confidence", closed), ("Said openly", open_space)):
        LearningEntryFactory(
            programme=programme,
            title=title,
            author=facilitator,
            status="published",
            published_at=_days_ago(3),
            visibility="space" if space == closed else "programme",
            source_meeting=MeetingFactory(space=space, status="held"),
        )

    section = _section(_report(as_user(lead)), "learning")

    items = dict(re.findall(r">(Said [a-z ]+)</a></h3>\s*<p[^>]*>(.*?)</p>", section))
    assert facilitator.name in items["Said openly"]
    assert facilitator.name not in items["Said in confidence"]
    assert "A member of the programme" in items["Said in confidence"]


def test_open_risks_as_they_stand_today(as_user, programme, lead, space):
    today = timezone.localdate()
    LocalKnowledgeFactory(programme=programme, title="No weekend cover", impact="high")
    LocalKnowledgeFactory(programme=programme, title="A minor worry", impact="low")
    LocalKnowledgeFactory(
        programme=programme, title="Solved already", impact="high", status="closed"
    )
    owner = ParticipantFactory(programme=programme, name="Ama Mensah")
    ActionFactory(programme=programme, title="Send the rota", due=today - timedelta(days=3))
    ActionFactory(programme=programme, title="Not due yet", due=today + timedelta(days=3))
    ActionFactory(
        programme=programme, title="Done late", due=today - timedelta(days=3), status="done"
    )
    closed = AdaptiveSpaceFactory(programme=programme, confidentiality="chatham_house")
    ActionFactory(
        programme=programme,
        title="Agreed in confidence",
        due=today - timedelta(days=1),
        owner=owner,
        meeting=MeetingFactory(space=closed, status="held"),
    )
    PlannedActivityFactory(
        programme=programme,
        area=ActivityArea.objects.get(number=1),
        title="Ground rules",
        due=today - timedelta(days=10),
        owner=owner,
    )
    PlannedActivityFactory(
        programme=programme,
        area=ActivityArea.objects.get(number=1),
        title="Finished work",
        due=today - timedelta(days=10),
        status="done",
    )

    section = _section(_report(as_user(lead)), "risks")

    assert "1 open high-impact entry" in section
    assert "No weekend cover" in section
    assert "A minor worry" not in section
    assert "Solved already" not in section
    assert "2 open actions are past their due date." in section
    assert "Send the rota" in section
    assert "Agreed in confidence" in section
    assert "Not due yet" not in section
    assert "Done late" not in section
    confidential = re.search(r"Agreed in confidence<br>(.*?)</li>", section).group(1)
    assert "Ama Mensah" not in confidential
    assert "1 planned activity is past its due date." in section
    assert re.search(r"Ground rules<br>.*Ama Mensah", section)
    assert "Finished work" not in section


def test_an_empty_programme_gets_every_section(as_user, lead):
    html = _report(as_user(lead))
    assert "No meeting was logged in the range." in html
    assert "No learning was published in the range." in html
    assert "No open high-impact entry in the local knowledge register." in html
    assert "No action is overdue." in html
    assert "No planned activity is overdue." in html
    assert "data-print-report" in html
    assert "js/print" in html


def test_the_overview_links_leads_to_the_report(as_user, lead, member):
    assert REPORT in as_user(lead).get("/programmes/virtual-wards/").content.decode()
    assert REPORT not in as_user(member).get("/programmes/virtual-wards/").content.decode()


# The range form ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "start_day=1&start_month=6&start_year=2026&end_day=1&end_month=3&end_year=2026",
            "The start date must be on or before the end date",
        ),
        ("start_day=31&start_month=2&start_year=2026", "Enter a real date, for example 27 3 2026."),
        ("end_day=3&end_month=&end_year=2026", "Enter a day, a month and a year."),
        ("start_day=1&start_month=1&start_year=99999999999", "Enter a real date"),
        (
            "start_day=1&start_month=1&start_year=2020&end_day=1&end_month=1&end_year=2026",
            "Choose a range of at most 3 years",
        ),
    ],
)
def test_bad_dates_get_a_clear_message_and_keep_what_was_typed(as_user, lead, query, message):
    response = as_user(lead).get(f"{REPORT}?{query}")

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error:" in html
    assert 'aria-labelledby="meetings"' not in html  # no report from a range it cannot read
    for name, value in re.findall(r"(\w+_(?:day|month|year))=(\w+)", query):
        assert re.search(rf'name="{name}"[^>]*value="{value}"', html), name


def test_a_chosen_range_is_kept_in_the_form(as_user, lead):
    html = _report(as_user(lead), _range(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)))
    assert "From 1 January 2026 to 30 June 2026" in html
    assert re.search(r'name="end_month"[^>]*value="6"', html)
    assert _section(html, "meetings").count('<th scope="row">') == 6
