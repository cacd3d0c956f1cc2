"""Coverage of the ten activity areas: the counts, the gaps in words, the chart and the pages."""

import re
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.utils import timezone

from activities.charts import bar_chart
from activities.coverage import AreaCoverage, coverage_for, gaps
from activities.models import ActivityArea, Practice
from tests.factories import (
    AdaptiveSpaceFactory,
    LearningEntryFactory,
    MeetingFactory,
    ParticipantFactory,
    PlannedActivityFactory,
    ProgrammeFactory,
)

P = "/programmes/virtual-wards"
SVG = "{http://www.w3.org/2000/svg}"


def area(number: int) -> ActivityArea:
    return ActivityArea.objects.get(number=number)


def practice(code: str) -> Practice:
    area_number, number = code.split(".")
    return Practice.objects.get(area__number=area_number, number=number)


def meeting(space, *codes, status="held", days_ago=2, **kwargs):
    starts = timezone.now() - timedelta(days=days_ago)
    held = MeetingFactory(
        space=space, status=status, starts_at=starts, ends_at=starts + timedelta(hours=1), **kwargs
    )
    held.practices.set([practice(code) for code in codes])
    return held


def by_number(rows) -> dict[int, AreaCoverage]:
    return {row.number: row for row in rows}


# coverage_for -----------------------------------------------------------------------------------


def test_every_area_has_a_row_in_order_even_with_no_data(programme):
    rows = coverage_for(programme)

    assert [row.number for row in rows] == list(range(1, 11))
    assert rows[2].title == "Be a bridge"
    assert all(
        (r.open_activities, r.done_activities, r.recent_meetings, r.all_meetings) == (0, 0, 0, 0)
        for r in rows
    )
    assert all(row.learning_entries == 0 for row in rows)


def test_only_held_meetings_count(programme, space):
    meeting(space, "3.1")
    meeting(space, "3.1", status="planned")
    meeting(space, "3.1", status="cancelled")

    row = by_number(coverage_for(programme))[3]

    assert (row.recent_meetings, row.all_meetings) == (1, 1)


def test_meetings_older_than_90_days_count_only_all_time(programme, space):
    meeting(space, "3.1", days_ago=10)
    meeting(space, "3.2", days_ago=89)
    meeting(space, "3.3", days_ago=91)
    meeting(space, "3.3", days_ago=400)

    row = by_number(coverage_for(programme))[3]

    assert (row.recent_meetings, row.all_meetings) == (2, 4)


def test_the_90_days_are_counted_back_from_now(programme, space):
    meeting(space, "3.1", days_ago=80)

    later = timezone.now() + timedelta(days=20)
    row = by_number(coverage_for(programme, now=later))[3]

    assert (row.recent_meetings, row.all_meetings) == (0, 1)


def test_a_meeting_serving_two_practices_of_one_area_counts_once(programme, space):
    meeting(space, "1.1", "1.2", "1.3")

    row = by_number(coverage_for(programme))[1]

    assert (row.recent_meetings, row.all_meetings) == (1, 1)


def test_a_meeting_serving_two_areas_counts_in_both(programme, space):
    meeting(space, "1.4", "3.1")

    rows = by_number(coverage_for(programme))

    assert rows[1].recent_meetings == rows[3].recent_meetings == 1
    assert rows[2].recent_meetings == 0


def test_a_meeting_serving_no_practice_counts_nowhere(programme, space):
    meeting(space)

    assert sum(row.all_meetings for row in coverage_for(programme)) == 0


def test_activities_are_counted_open_or_done_and_dropped_nowhere(programme):
    bridge = area(3)
    for status in ("idea", "planned", "in_progress", "done", "done", "dropped"):
        PlannedActivityFactory(programme=programme, area=bridge, status=status)
    PlannedActivityFactory(programme=programme, area=area(6), status="dropped")

    rows = by_number(coverage_for(programme))

    assert (rows[3].open_activities, rows[3].done_activities) == (3, 2)
    assert (rows[6].open_activities, rows[6].done_activities) == (0, 0)


def test_learning_counts_entries_the_whole_programme_may_read(programme):
    learning_area = area(4)
    for visibility in ("public", "programme", "space"):
        entry = LearningEntryFactory(programme=programme, visibility=visibility)
        entry.areas.add(learning_area)
    published = LearningEntryFactory(programme=programme, status="published")
    published.areas.add(learning_area, area(8))
    LearningEntryFactory(programme=programme)  # tagged with no area

    rows = by_number(coverage_for(programme))

    assert rows[4].learning_entries == 3
    assert rows[8].learning_entries == 1


def test_another_programmes_work_is_left_out(programme, space):
    other = ProgrammeFactory()
    other_space = AdaptiveSpaceFactory(programme=other)
    meeting(other_space, "3.1")
    PlannedActivityFactory(programme=other, area=area(3), status="planned")
    PlannedActivityFactory(programme=other, area=area(3), status="done")
    LearningEntryFactory(programme=other).areas.add(area(3))
    meeting(space, "3.2")

    row = by_number(coverage_for(programme))[3]

    assert (row.open_activities, row.done_activities) == (0, 0)
    assert (row.recent_meetings, row.all_meetings) == (1, 1)
    assert row.learning_entries == 0


def test_coverage_takes_four_queries_whatever_the_data(programme, space, django_assert_num_queries):
    for days in range(0, 200, 10):
        meeting(space, "1.1", "3.1", days_ago=days + 1)
    PlannedActivityFactory(programme=programme, area=area(2))
    LearningEntryFactory(programme=programme).areas.add(area(2), area(5))

    with django_assert_num_queries(4):
        coverage_for(programme)


# gaps -------------------------------------------------------------------------------------------


def row(number, title, *, open_activities=0, done_activities=0, recent_meetings=0):
    return AreaCoverage(
        area=ActivityArea(number=number, title=title),
        open_activities=open_activities,
        done_activities=done_activities,
        recent_meetings=recent_meetings,
    )


def test_gaps_name_each_area_with_no_recent_meeting_or_nothing_open():
    rows = [
        row(1, "Enable a spread receptive environment", open_activities=2, recent_meetings=3),
        row(3, "Be a bridge", open_activities=1),
        row(6, "Create a shared understanding", recent_meetings=1),
    ]

    assert gaps(rows) == [
        "No meeting has served Be a bridge in the last 90 days",
        "Nothing is planned for Create a shared understanding",
    ]


def test_no_gaps_when_every_area_is_planned_and_served():
    rows = [row(n, f"Area {n}", open_activities=1, recent_meetings=1) for n in (1, 2)]

    assert gaps(rows) == []


def test_one_sentence_each_when_every_area_has_the_same_gap():
    rows = [row(n, f"Area {n}") for n in range(1, 11)]

    assert gaps(rows) == [
        "No meeting has served any activity area in the last 90 days",
        "Nothing is planned for any activity area",
    ]


def test_gaps_of_real_coverage(programme, space):
    meeting(space, "3.1")
    PlannedActivityFactory(programme=programme, area=area(3), status="done")
    PlannedActivityFactory(programme=programme, area=area(6), status="in_progress")

    sentences = gaps(coverage_for(programme))

    assert "No meeting has served Be a bridge in the last 90 days" not in sentences
    assert "Nothing is planned for Be a bridge" not in sentences
    assert "Nothing is still open for Be a bridge: its one planned activity is done" in sentences
    assert "No meeting has served Create a shared understanding in the last 90 days" in sentences
    assert "Nothing is planned for Create a shared understanding" not in sentences
    assert len(sentences) == 9 + 9


def test_an_area_whose_planned_work_is_all_done_is_not_called_unplanned():
    rows = [
        row(1, "Area 1", done_activities=2),
        row(2, "Area 2", done_activities=1, recent_meetings=1),
        row(3, "Area 3", open_activities=1, done_activities=1, recent_meetings=1),
        row(4, "Area 4", recent_meetings=1),
    ]

    assert gaps(rows) == [
        "No meeting has served Area 1 in the last 90 days",
        "Nothing is still open for Area 1: its 2 planned activities are done",
        "Nothing is still open for Area 2: its one planned activity is done",
        "Nothing is planned for Area 4",
    ]


def test_area_page_of_an_area_whose_work_is_done(as_user, member, programme):
    PlannedActivityFactory(programme=programme, area=area(4), status="done")

    body = as_user(member).get(P + "/coverage/4/").content.decode()

    assert "Nothing is planned for this area." not in body
    assert "No planned activity in this area is still open." in body


# The chart --------------------------------------------------------------------------------------


def parse(markup) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))  # noqa: S314 - our own markup, in a test


def test_the_chart_draws_one_bar_per_value_with_labels_and_numbers_as_text():
    svg = parse(bar_chart([("Exploring", 4), ("Testing", 2), ("Adopted", 0)], title="Stages"))

    bars = svg.findall(f"{SVG}rect")
    texts = [text.text for text in svg.findall(f"{SVG}text")]
    assert len(bars) == 3
    assert texts == ["Exploring", "4", "Testing", "2", "Adopted", "0"]
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Stages"


def test_bars_are_in_proportion_and_a_zero_has_no_width():
    svg = parse(bar_chart([("Most", 10), ("Half", 5), ("None", 0)], title="Counts"))

    widths = [float(bar.get("width")) for bar in svg.findall(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1] > 0
    assert widths[2] == 0


def test_a_chart_of_zeros_draws_empty_bars_and_the_numbers():
    svg = parse(bar_chart([("One", 0), ("Two", 0)], title="Nothing yet"))

    assert [float(bar.get("width")) for bar in svg.findall(f"{SVG}rect")] == [0, 0]
    assert [text.text for text in svg.findall(f"{SVG}text")] == ["One", "0", "Two", "0"]


def test_the_chart_escapes_labels_and_its_title():
    label = '<script>alert("x")</script> & "friends"'
    markup = str(bar_chart([(label, 1)], title='Chart "<b>"'))

    assert "<script>" not in markup
    assert "<b>" not in markup
    assert "&lt;script&gt;" in markup
    svg = parse(markup)
    assert svg.find(f"{SVG}text").text == label
    assert svg.get("aria-label") == 'Chart "<b>"'


def test_the_chart_has_no_style_or_script():
    markup = str(bar_chart([("A", 1), ("B", 3)], title="Counts"))

    assert "style" not in markup
    assert "<script" not in markup
    assert not re.search(r"\son\w+=", markup)


def test_long_labels_wrap_onto_two_lines_and_are_then_cut_short():
    svg = parse(bar_chart([("word " * 40, 1)], title="Long"))

    lines = [line.text for line in svg.find(f"{SVG}text").findall(f"{SVG}tspan")]
    assert len(lines) == 2
    assert all(len(line) <= 42 for line in lines)
    assert lines[1].endswith("…")


def test_a_two_line_label_pushes_its_bar_and_the_next_row_down():
    svg = parse(bar_chart([("A label " * 7, 1), ("Short", 1)], title="Rows"))

    first, second = (float(bar.get("y")) for bar in svg.findall(f"{SVG}rect"))
    assert [line.text for line in svg.find(f"{SVG}text")] == [
        "A label A label A label A label A label A",
        "label A label",
    ]
    assert second - first == 52


def test_chart_text_is_never_drawn_below_12_px_at_the_narrowest_width_the_page_allows():
    """The stylesheet keeps a chart at least 288 px wide (a 320 px phone's column)."""
    svg = parse(bar_chart([("Exploring", 4)], title="Stages"))
    css = (Path(settings.BASE_DIR) / "static/css/convening.css").read_text()

    minimum = re.search(r"\.convening-chart \{[^}]*min-width: (\d+)px", css)
    drawn_width = float(svg.get("viewBox").split()[2])
    sizes = {float(text.get("font-size")) for text in svg.iter(f"{SVG}text")}
    assert minimum
    assert min(sizes) * int(minimum.group(1)) / drawn_width >= 12


# The coverage page ------------------------------------------------------------------------------


@pytest.fixture
def bridge_work(programme, space):
    """Work in area 3 (Be a bridge): two open activities, one done, one dropped, a meeting in
    the last 90 days, one long ago, and two learning entries (and one for a space only)."""
    bridge = area(3)
    owner = ParticipantFactory(programme=programme, name="Ama Mensah")
    open_one = PlannedActivityFactory(
        programme=programme, area=bridge, title="Map who knows whom", owner=owner
    )
    PlannedActivityFactory(programme=programme, area=bridge, title="Visit Kirklees", status="idea")
    PlannedActivityFactory(programme=programme, area=bridge, title="Joint forum", status="done")
    PlannedActivityFactory(programme=programme, area=bridge, title="Dropped one", status="dropped")
    recent = meeting(space, "3.1", "3.2", "1.1", title="Bridging round table", notes="Secret")
    old = meeting(space, "3.3", days_ago=200, title="Old bridging meeting")
    for title, visibility in (("Bridges help", "programme"), ("Shared on the hub", "public")):
        LearningEntryFactory(programme=programme, title=title, visibility=visibility).areas.add(
            bridge
        )
    LearningEntryFactory(programme=programme, title="Only the space", visibility="space").areas.add(
        bridge
    )
    return {"open": open_one, "recent": recent, "old": old}


def test_coverage_page_shows_the_table_gaps_and_charts(as_user, member, bridge_work):
    response = as_user(member).get(P + "/coverage/")
    body = response.content.decode()

    assert response.status_code == 200
    assert "<title>Coverage – Virtual wards across West Yorkshire – Convening</title>" in body
    assert body.count("<h1") == 1
    assert "Coverage of the ten activity areas</caption>" in body
    assert body.count('scope="row"') == 10
    assert "No meeting has served Create a shared understanding in the last 90 days" in body
    assert "No meeting has served Be a bridge in the last 90 days" not in body
    assert body.count('<svg class="convening-chart"') == 2
    assert 'aria-label="Bar chart: meetings held in the last 90 days, by activity area"' in body


def _row_links(body: str, title: str) -> list[tuple[str, str]]:
    row_html = re.search(
        rf'<tr[^>]*>\s*<th [^>]*scope="row"[^>]*>.*?{title}</a></th>(.*?)</tr>', body, re.S
    )
    assert row_html, title
    return re.findall(r'<a href="([^"]+)">(\d+)<span', row_html.group(1))


def test_every_number_links_to_the_items_behind_it(as_user, member, bridge_work):
    body = as_user(member).get(P + "/coverage/").content.decode()

    assert _row_links(body, "Be a bridge") == [
        (P + "/plan/?area=3&amp;status=open", "2"),
        (P + "/plan/?area=3&amp;status=done", "1"),
        (P + "/coverage/3/?period=90#meetings", "1"),
        (P + "/coverage/3/?period=all#meetings", "2"),
        (P + "/coverage/3/#learning", "2"),
    ]
    assert _row_links(body, "Enable a spread receptive environment")[2:4] == [
        (P + "/coverage/1/?period=90#meetings", "1"),
        (P + "/coverage/1/?period=all#meetings", "1"),
    ]


def test_coverage_page_of_an_empty_programme(as_user, lead):
    body = as_user(lead).get(P + "/coverage/").content.decode()

    assert "No meeting has served any activity area in the last 90 days" in body
    assert "Nothing is planned for any activity area" in body
    assert body.count('scope="row"') == 10


def test_coverage_page_escapes_what_people_typed(as_user, member, space):
    """Nothing typed is shown on the coverage page itself: only the areas' own titles."""
    PlannedActivityFactory(programme=space.programme, area=area(3), title="<script>x</script>")

    body = as_user(member).get(P + "/coverage/").content.decode()

    assert "<script>x</script>" not in body


# The area page ----------------------------------------------------------------------------------


def test_area_page_lists_the_items_behind_each_number(as_user, member, bridge_work):
    response = as_user(member).get(P + "/coverage/3/")
    body = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Be a bridge</h1>" in body
    assert "<strong>3.2</strong> Look for chances to adapt innovations locally" in body
    assert f'href="{P}/plan/{bridge_work["open"].pk}/">Map who knows whom</a>' in body
    assert "Ama Mensah" in body
    assert "Visit Kirklees" in body
    assert "Joint forum" in body
    assert "Dropped one" not in body
    assert "Open (2)" in body
    assert "Done (1)" in body
    # The last 90 days by default: the recent meeting and the area's practices it served.
    assert f'href="{bridge_work["recent"].get_absolute_url()}">Bridging round table</a>' in body
    assert "<span>3.1, 3.2</span></td>" in body
    assert "Old bridging meeting" not in body
    assert "Secret" not in body
    assert "Bridges help" in body
    assert "Shared on the hub" in body
    assert "Only the space" not in body


def test_area_page_shows_meetings_of_all_time_when_asked(as_user, member, bridge_work):
    body = as_user(member).get(P + "/coverage/3/?period=all").content.decode()

    assert "Bridging round table" in body
    assert "Old bridging meeting" in body
    assert "<span>3.3</span></td>" in body
    assert 'href="?period=90#meetings">Show only the last 90 days</a>' in body


@pytest.mark.parametrize("period", ["", "365", "<b>", "ALL"])
def test_an_unknown_period_means_the_last_90_days(as_user, member, bridge_work, period):
    response = as_user(member).get(P + "/coverage/3/", {"period": period})
    body = response.content.decode()

    assert response.status_code == 200
    assert "Bridging round table" in body
    assert "Old bridging meeting" not in body


@pytest.mark.parametrize("number", [0, 11, 99])
def test_an_unknown_area_is_not_found(as_user, member, number):
    assert as_user(member).get(f"{P}/coverage/{number}/").status_code == 404


def test_a_non_number_area_is_not_found(as_user, member):
    assert as_user(member).get(P + "/coverage/three/").status_code == 404


def test_area_page_pages_the_meetings_50_at_a_time(as_user, member, space):
    for number in range(55):
        meeting(space, "5.1", days_ago=number + 1, title=f"Systems meeting {number:02d}")

    first = as_user(member).get(P + "/coverage/5/").content.decode()
    second = as_user(member).get(P + "/coverage/5/?period=90&page=2").content.decode()
    bad_page = as_user(member).get(P + "/coverage/5/?page=nonsense")

    assert "Meetings that served this area (55)" in first
    assert first.count("Systems meeting") == 50
    assert "Systems meeting 00" in first
    assert "Systems meeting 50" not in first
    assert 'href="?period=90&amp;page=2#meetings"' in first
    assert second.count("Systems meeting") == 5
    assert "Systems meeting 54" in second
    assert bad_page.status_code == 200


def test_area_page_of_an_area_with_nothing(as_user, member):
    body = as_user(member).get(P + "/coverage/10/").content.decode()

    assert "Nothing is planned for this area." in body
    assert "No meeting has served this area in the last 90 days." in body
    assert "No learning entry is tagged with this area yet." in body


def test_area_page_leaves_out_another_programmes_items(as_user, member, space):
    other = ProgrammeFactory()
    meeting(AdaptiveSpaceFactory(programme=other), "3.1", title="Their meeting")
    PlannedActivityFactory(programme=other, area=area(3), title="Their activity")
    LearningEntryFactory(programme=other, title="Their learning").areas.add(area(3))

    body = as_user(member).get(P + "/coverage/3/?period=all").content.decode()

    assert "Their meeting" not in body
    assert "Their activity" not in body
    assert "Their learning" not in body


def test_each_number_says_what_it_counts_to_screen_readers(as_user, member, bridge_work):
    body = as_user(member).get(P + "/coverage/").content.decode()

    hidden = '<span class="nhsuk-u-visually-hidden"> {}</span>'
    assert "2" + hidden.format("open activities in Be a bridge") in body
    assert "1" + hidden.format("done activity in Be a bridge") in body
    assert "1" + hidden.format("meeting in the last 90 days that served Be a bridge") in body
    assert "0" + hidden.format("learning entries about Ensure system perspective") in body


# The overview's glance --------------------------------------------------------------------------


def test_coverage_glance_shows_the_gaps_and_a_compact_table(programme, bridge_work):
    from django.template import engines

    rows = coverage_for(programme)
    template = engines["jinja2"].from_string(
        '{% from "activities/coverage_macros.jinja" import coverage_glance %}'
        "{{ coverage_glance(programme, rows, gaps) }}"
    )

    html = template.render({"programme": programme, "rows": rows, "gaps": gaps(rows)})

    assert "Coverage at a glance</caption>" in html
    assert html.count('scope="row"') == 10
    assert "Meetings, all time" not in html
    assert "No meeting has served Create a shared understanding in the last 90 days" in html
    assert _row_links(html, "Be a bridge") == [
        (P + "/plan/?area=3&amp;status=open", "2"),
        (P + "/plan/?area=3&amp;status=done", "1"),
        (P + "/coverage/3/?period=90#meetings", "1"),
        (P + "/coverage/3/#learning", "2"),
    ]
    assert f'href="{P}/coverage/">' in html
