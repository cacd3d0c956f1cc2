"""The adoption tracker: sites against innovations, recording a stage change (and its bad
input), the timeline, and the count of sites at each stage at each month end."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from convening.models import Adoption, AdoptionEvent
from learning.adoption import (
    month_ends,
    programme_stages_over_time,
    stages_chart,
    stages_over_time,
)
from tests.factories import (
    AdoptionFactory,
    InnovationFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
)

P = "/programmes/virtual-wards"
A = P + "/adoption/"
RECORD = A + "record/"


@pytest.fixture
def wards(programme):
    return InnovationFactory(programme=programme, name="Virtual wards", slug="virtual-wards")


@pytest.fixture
def app(programme):
    return InnovationFactory(programme=programme, name="Falls app", slug="falls-app")


@pytest.fixture
def leeds(programme):
    site = OrganisationFactory(name="Leeds Teaching Hospitals")
    ParticipantFactory(programme=programme, organisation=site)
    return site


def _post(client, **changes):
    today = timezone.localdate()
    data = {
        "innovation": "virtual-wards",
        "site": "",
        "stage": "testing",
        "date_day": str(today.day),
        "date_month": str(today.month),
        "date_year": str(today.year),
        "note": "",
    }
    data.update({key: str(value) for key, value in changes.items()})
    return client.post(RECORD, data)


# The tracker -----------------------------------------------------------------------------------


def test_the_tracker_shows_sites_against_innovations_with_a_tag_per_cell(
    as_user, member, wards, app, leeds
):
    adoption = AdoptionFactory(innovation=wards, organisation=leeds, stage="adopted")
    page = as_user(member).get(A).content.decode()
    assert "<h1>Adoption</h1>" in page
    assert "Stage of each site with each innovation" in page
    assert "nhsuk-tag--green" in page
    assert "Adopted" in page
    assert f'href="{A}{adoption.pk}/"' in page
    assert "Not tracked" in page  # Leeds has no adoption of the falls app
    # A member sees no way to change anything.
    assert "Record a stage change" not in page
    assert "Record a change" not in page


def test_a_facilitator_gets_prefilled_links_to_record_a_change(
    as_user, facilitator, wards, app, leeds
):
    AdoptionFactory(innovation=wards, organisation=leeds)
    page = as_user(facilitator).get(A).content.decode()
    assert "Record a stage change" in page
    assert f"{RECORD}?innovation=falls-app&amp;site={leeds.pk}" in page
    assert f"{RECORD}?innovation=virtual-wards&amp;site={leeds.pk}" in page


def test_the_tracker_filters_by_innovation_and_ignores_an_unknown_one(
    as_user, member, wards, app, leeds
):
    bradford = OrganisationFactory(name="Bradford District Care")
    AdoptionFactory(innovation=wards, organisation=leeds)
    AdoptionFactory(innovation=app, organisation=bradford)
    client = as_user(member)
    page = client.get(A, {"innovation": "falls-app"}).content.decode()
    assert "Bradford District Care" in page
    assert "Leeds Teaching Hospitals" not in page
    assert '<th scope="col">Virtual wards</th>' not in page
    page = client.get(A, {"innovation": "no-such-thing"}).content.decode()
    assert "Bradford District Care" in page
    assert "Leeds Teaching Hospitals" in page


def test_an_empty_tracker_says_so(as_user, lead, programme):
    page = as_user(lead).get(A).content.decode()
    assert "The programme has no innovations yet" in page
    assert "nothing to show over time" in page


def test_the_tracker_draws_the_chart_and_the_table_with_the_same_numbers(
    as_user, lead, wards, leeds
):
    adoption = AdoptionFactory(innovation=wards, organisation=leeds)
    adoption.move_to("testing", by=lead, on=timezone.localdate())
    page = as_user(lead).get(A).content.decode()
    assert '<svg class="convening-chart"' in page
    assert 'role="img"' in page
    assert "Sites at each stage at the end of each month" in page
    this_month = f"{timezone.localdate():%B %Y}"
    assert f'<th scope="row">{this_month}</th>' in page
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


# Recording a stage change ----------------------------------------------------------------------


def test_the_record_form_is_prefilled_from_the_address(as_user, lead, wards, leeds):
    page = as_user(lead).get(RECORD, {"innovation": "virtual-wards", "site": leeds.pk})
    html = page.content.decode()
    assert re.search(r'<option value="virtual-wards"[^>]*selected', html)
    assert re.search(rf'<option value="{leeds.pk}"[^>]*selected', html)
    assert html.count('type="radio"') == 8


def test_recording_a_stage_change_starts_the_adoption_and_shows_the_timeline(
    as_user, facilitator, wards, leeds
):
    client = as_user(facilitator)
    response = _post(client, site=leeds.pk, stage="exploring", note="First **meeting**")
    adoption = Adoption.objects.get(innovation=wards, organisation=leeds)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{A}{adoption.pk}/"
    assert adoption.stage == "exploring"
    event = adoption.events.get()
    assert (event.stage, event.note, event.recorded_by) == (
        "exploring",
        "First **meeting**",
        facilitator,
    )
    page = client.get(response.headers["Location"]).content.decode()
    assert "Stage change recorded" in page
    assert "First **meeting**" in page
    assert facilitator.name in page


def test_a_second_change_moves_the_same_adoption(as_user, lead, wards, leeds):
    adoption = AdoptionFactory(innovation=wards, organisation=leeds, stage="exploring")
    adoption.move_to("exploring", by=lead, on=datetime.date(2026, 1, 5))
    response = _post(as_user(lead), site=leeds.pk, stage="adopted")
    assert response.status_code == 302
    adoption.refresh_from_db()
    assert adoption.stage == "adopted"
    assert adoption.events.count() == 2
    assert Adoption.objects.count() == 1


def _error_page(response) -> str:
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert not AdoptionEvent.objects.exists()
    return html.unescape(page)


def test_a_date_in_the_future_is_refused(as_user, lead, wards, leeds):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _post(
        as_user(lead),
        site=leeds.pk,
        date_day=tomorrow.day,
        date_month=tomorrow.month,
        date_year=tomorrow.year,
        note="Keep this note",
    )
    page = _error_page(response)
    assert "The date cannot be in the future" in page
    assert "Keep this note" in page  # nothing typed is lost


def test_a_date_before_the_last_recorded_change_is_refused(as_user, lead, wards, leeds):
    adoption = AdoptionFactory(innovation=wards, organisation=leeds)
    adoption.move_to("exploring", by=lead, on=datetime.date(2026, 3, 10))
    AdoptionEvent.objects.all().delete()
    adoption.move_to("preparing", by=lead, on=datetime.date(2026, 3, 10))
    count = AdoptionEvent.objects.count()
    response = _post(as_user(lead), site=leeds.pk, date_day=9, date_month=3, date_year=2026)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The date must be on or after 10 March 2026, the last recorded change" in page
    assert AdoptionEvent.objects.count() == count
    # The same day as the last change is fine.
    response = _post(as_user(lead), site=leeds.pk, date_day=10, date_month=3, date_year=2026)
    assert response.status_code == 302


def test_a_stage_outside_the_eight_is_refused(as_user, lead, wards, leeds):
    page = _error_page(_post(as_user(lead), site=leeds.pk, stage="finished"))
    assert "Choose one of the eight stages" in page


def test_an_innovation_of_another_programme_is_refused(as_user, lead, wards, leeds):
    other = InnovationFactory(programme=ProgrammeFactory(), slug="elsewhere")
    page = _error_page(_post(as_user(lead), site=leeds.pk, innovation=other.slug))
    assert "Choose one of this programme's innovations" in page


def test_a_site_of_another_programme_is_refused(as_user, lead, wards):
    stranger = OrganisationFactory(name="Not in this programme")
    page = _error_page(_post(as_user(lead), site=stranger.pk))
    assert "Choose one of this programme's organisations" in page
    page = _error_page(_post(as_user(lead), site="not-a-number"))
    assert "Choose one of this programme's organisations" in page


def test_a_date_that_does_not_exist_is_refused(as_user, lead, wards, leeds):
    page = _error_page(_post(as_user(lead), site=leeds.pk, date_day=31, date_month=2))
    assert "Enter a real date" in page


def test_a_missing_date_and_an_over_long_note_are_refused(as_user, lead, wards, leeds):
    page = _error_page(
        _post(
            as_user(lead), site=leeds.pk, date_day="", date_month="", date_year="", note="x" * 2001
        )
    )
    assert "Enter the date of the change" in page
    assert "Note must be 2,000 characters or fewer" in page


def test_a_member_cannot_record_a_change(as_user, member, wards, leeds):
    assert _post(as_user(member), site=leeds.pk).status_code == 403
    assert not AdoptionEvent.objects.exists()


# The timeline ----------------------------------------------------------------------------------


def test_the_timeline_lists_changes_newest_first(as_user, lead, member, wards, leeds):
    adoption = AdoptionFactory(innovation=wards, organisation=leeds)
    adoption.move_to("exploring", by=lead, on=datetime.date(2026, 1, 5), note="Started")
    adoption.move_to("testing", by=lead, on=datetime.date(2026, 4, 1), note="<b>Pilot</b>")
    page = as_user(member).get(f"{A}{adoption.pk}/").content.decode()
    assert "<h1>Leeds Teaching Hospitals: Virtual wards</h1>" in page
    assert page.index("1 April 2026") < page.index("5 January 2026")
    assert "&lt;b&gt;Pilot&lt;/b&gt;" in page
    assert lead.name in page
    assert lead.email not in page
    assert 'href="/programmes/virtual-wards/innovations/virtual-wards/">Virtual wards</a>' in page
    assert "Record a stage change" not in page


def test_a_changer_sees_a_prefilled_link_on_the_timeline(as_user, lead, wards, leeds):
    adoption = AdoptionFactory(innovation=wards, organisation=leeds)
    page = as_user(lead).get(f"{A}{adoption.pk}/").content.decode()
    assert f"{RECORD}?innovation=virtual-wards&amp;site={leeds.pk}" in page
    assert "No stage change has been recorded" in page


# Stages over time ------------------------------------------------------------------------------

ENDS = month_ends(datetime.date(2026, 6, 15), months=4)  # March to June 2026


def test_month_ends_are_the_last_days_of_the_last_months():
    assert [end.isoformat() for end in ENDS] == [
        "2026-03-31",
        "2026-04-30",
        "2026-05-31",
        "2026-06-30",
    ]
    assert month_ends(datetime.date(2026, 1, 31), months=2) == [
        datetime.date(2025, 12, 31),
        datetime.date(2026, 1, 31),
    ]
    assert len(month_ends(datetime.date(2026, 11, 26))) == 12


def _stages(months):
    return [{stage: n for stage, n in month.counts.items() if n} for month in months]


def test_a_site_is_counted_once_a_month_at_the_stage_it_had_at_the_month_end():
    events = [
        (1, "exploring", datetime.date(2026, 2, 10)),
        (1, "testing", datetime.date(2026, 4, 2)),
        (1, "adopted", datetime.date(2026, 4, 30)),  # on the month end itself
        (2, "exploring", datetime.date(2026, 5, 31)),
        (2, "paused", datetime.date(2026, 6, 1)),
        (3, "testing", datetime.date(2026, 3, 1)),
        (3, "abandoned", datetime.date(2026, 3, 20)),
    ]
    assert _stages(stages_over_time(events, ENDS)) == [
        {"exploring": 1, "abandoned": 1},
        {"adopted": 1, "abandoned": 1},
        {"adopted": 1, "exploring": 1, "abandoned": 1},
        {"adopted": 1, "paused": 1, "abandoned": 1},
    ]


def test_sites_with_no_change_by_a_month_end_are_not_counted():
    events = [(7, "testing", datetime.date(2026, 6, 3))]
    months = stages_over_time(events, ENDS)
    assert [month.total for month in months] == [0, 0, 0, 1]


def test_two_changes_on_one_day_count_the_one_recorded_later():
    events = [
        (1, "testing", datetime.date(2026, 5, 4)),
        (1, "preparing", datetime.date(2026, 5, 4)),
    ]
    assert _stages(stages_over_time(events, ENDS))[-1] == {"preparing": 1}


def test_the_tracker_counts_from_the_programme_events_only(as_user, programme, lead, wards, leeds):
    today = timezone.localdate()
    adoption = AdoptionFactory(innovation=wards, organisation=leeds)
    adoption.move_to("exploring", by=lead, on=today - datetime.timedelta(days=400))
    adoption.move_to("adopted", by=lead, on=today)
    AdoptionFactory().move_to("sustained", by=lead, on=today)  # another programme
    months = programme_stages_over_time(Adoption.objects.for_programme(programme), today)
    assert len(months) == 12
    assert all(month.total == 1 for month in months)
    assert months[0].counts["exploring"] == 1
    assert months[-1].counts["adopted"] == 1
    assert not any(month.counts["sustained"] for month in months)


def test_the_chart_draws_a_bar_per_month_and_escapes_nothing_it_should_not():
    events = [(1, "testing", datetime.date(2026, 3, 4)), (2, "adopted", datetime.date(2026, 4, 4))]
    svg = str(stages_chart(stages_over_time(events, ENDS), title="A <chart>"))
    assert 'aria-label="A &lt;chart&gt;"' in svg
    assert svg.count("Mar 2026") == 1
    assert svg.count("Jun 2026") == 1
    assert svg.count('fill="#ffb81c"') == 5  # the legend's swatch and four testing segments
    assert "style" not in svg


def test_the_over_time_table_shows_each_month_with_its_counts(as_user, lead, wards, leeds):
    today = timezone.localdate()
    adoption = AdoptionFactory(innovation=wards, organisation=leeds)
    adoption.move_to("exploring", by=lead, on=today - datetime.timedelta(days=400))
    adoption.move_to("adopted", by=lead, on=today)
    page = as_user(lead).get(A).content.decode()
    table = page.split("Sites at each stage at the end of each month</caption>")[1]
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*((?:<td[^>]*>\d+</td>\s*)+)', table)
    assert len(rows) == 12
    assert rows[-1][0] == f"{today:%B %Y}"
    first = re.findall(r">(\d+)<", rows[0][1])
    last = re.findall(r">(\d+)<", rows[-1][1])
    # Not started, exploring, preparing, testing, adopted, sustained, paused, abandoned, total
    assert first == ["0", "1", "0", "0", "0", "0", "0", "0", "1"]
    assert last == ["0", "0", "0", "0", "1", "0", "0", "0", "1"]


def test_the_chart_text_is_12_px_or_more_when_the_chart_is_at_its_narrowest():
    """The stylesheet never lets a chart be narrower than 288 px (a 320 px phone's column)."""
    events = [(1, "testing", datetime.date(2026, 3, 4))]
    svg = str(stages_chart(stages_over_time(events, ENDS), title="Stages"))

    drawn_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
    assert sizes
    assert min(sizes) * 288 / drawn_width >= 12
