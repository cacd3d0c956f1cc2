"""The complexity assessment: the rule, the measures, the match, and its two pages."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from activities.complexity import (
    CONVENING,
    FIND_OUT,
    HEAVY,
    MATCHED,
    PROGRAMME_MANAGEMENT,
    TOO_LIGHT,
    UNCLEAR,
    Measures,
    Profile,
    match,
    measure,
    measure_rows,
    movements,
    recommend,
    result_for,
)
from activities.models import ComplexityAssessment, Domain, DomainRating
from convening.models import Sector
from tests.factories import (
    AdaptiveSpaceFactory,
    AttendanceFactory,
    ComplexityAssessmentFactory,
    LearningEntryFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    UserFactory,
)

URL = "/programmes/virtual-wards/complexity/"
NEW = URL + "new/"
ALL_DOMAINS = [d.value for d in Domain]


def profile(**counts) -> Profile:
    counts.setdefault("not_rated", 7 - sum(counts.values()))
    return Profile(**counts)


# The rule ----------------------------------------------------------------------------------------

RULE_TABLE = [
    # (profile, interdependent, approach)
    (profile(simple=7), False, PROGRAMME_MANAGEMENT),
    (profile(simple=2, complicated=2, unknown=3), False, PROGRAMME_MANAGEMENT),
    (profile(simple=6, complex=1), False, CONVENING),
    (profile(complex=2, unknown=5), False, CONVENING),
    (profile(simple=7), True, CONVENING),
    (profile(unknown=7), False, FIND_OUT),
    (profile(unknown=7), True, CONVENING),
    (profile(simple=3, unknown=4), False, FIND_OUT),
    # One domain rated simple is not "mostly simple": the six not rated are not known.
    (profile(simple=1), False, FIND_OUT),
    (profile(simple=4), False, PROGRAMME_MANAGEMENT),
]


@pytest.mark.parametrize(("the_profile", "interdependent", "approach"), RULE_TABLE)
def test_the_rule_recommends_an_approach_from_the_profile(the_profile, interdependent, approach):
    assert recommend(the_profile, interdependent=interdependent).approach == approach


def test_the_convening_recommendation_says_why_in_plain_words():
    one = recommend(profile(simple=6, complex=1), interdependent=True)
    assert one.headline == "Programme management plus systems convening"
    assert "one domain rated complex and organisations that depend on each other" in (
        one.explanation
    )
    two = recommend(profile(simple=5, complex=2), interdependent=False)
    assert "2 domains rated complex" in two.explanation


def test_find_out_asks_about_unknown_and_unrated_domains():
    advice = recommend(profile(unknown=7), interdependent=False)
    assert advice.headline == "Find out more before choosing an approach"
    assert "not rated yet" in advice.explanation


def test_the_profile_counts_each_rating_and_the_domains_not_rated(db):
    assessment = ComplexityAssessmentFactory(
        ratings={"condition": "simple", "innovation": "complex", "value": "complex"}
    )
    counted = Profile.of(assessment)
    assert counted == Profile(simple=1, complicated=0, complex=2, unknown=0, not_rated=4)
    assert counted.counts() == [
        ("Simple", 1),
        ("Complicated", 0),
        ("Complex", 2),
        ("Don't know", 0),
        ("Not rated", 4),
    ]
    assert ("Not rated", 0) not in profile(simple=7).counts()


# The match ---------------------------------------------------------------------------------------

CONVENE = recommend(profile(complex=1, simple=6), interdependent=False)
MANAGE = recommend(profile(simple=7), interdependent=False)
FIND = recommend(profile(unknown=7), interdependent=False)
ENOUGH = {
    "active_spaces": 1,
    "meetings_held": 4,
    "meetings_crossing_boundaries": 2,
    "learning_published": 1,
    "learning_drafted": 0,
}


def measures(**changes) -> Measures:
    return Measures(**{**ENOUGH, **changes})


@pytest.mark.parametrize(
    ("changes", "shortfall"),
    [
        ({"active_spaces": 0}, "no adaptive space is active"),
        (
            {"meetings_held": 2, "meetings_crossing_boundaries": 2},
            "only 2 meetings were held and logged in the last 90 days "
            "(about one a month would be 3)",
        ),
        (
            {"meetings_held": 1, "meetings_crossing_boundaries": 1},
            "only 1 meeting was held and logged in the last 90 days",
        ),
        (
            {"meetings_held": 5, "meetings_crossing_boundaries": 2},
            "only 40% of the meetings held brought together people from more than one "
            "organisation and more than one sector",
        ),
        ({"learning_published": 0}, "no learning was written down in the last 90 days"),
    ],
)
def test_convening_is_too_light_for_each_shortfall(changes, shortfall):
    result = match(CONVENE, measures(**changes))
    assert result.level == TOO_LIGHT
    assert len(result.shortfalls) == 1
    assert shortfall in result.shortfalls[0]
    assert result.warning.startswith("Convening is too light for the complexity of this change: ")
    assert shortfall in result.warning


def test_no_meetings_at_all_is_said_once_without_a_percentage():
    result = match(CONVENE, measures(meetings_held=0, meetings_crossing_boundaries=0))
    assert result.shortfalls == (
        "no meetings were held and logged in the last 90 days (about one a month would be 3)",
    )


def test_every_shortfall_is_listed_together():
    result = match(
        CONVENE,
        Measures(
            active_spaces=0,
            meetings_held=0,
            meetings_crossing_boundaries=0,
            learning_published=0,
            learning_drafted=0,
        ),
    )
    assert result.level == TOO_LIGHT
    assert len(result.shortfalls) == 3


def test_a_draft_counts_as_learning_written_down():
    assert match(CONVENE, measures(learning_published=0, learning_drafted=1)).matched


def test_enough_convening_matches_a_complex_change():
    result = match(CONVENE, measures())
    assert result.level == MATCHED
    assert result.warning == ""


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"active_spaces": 2}, "runs 2 active adaptive spaces and held 4 meetings"),
        (
            {"active_spaces": 1, "meetings_held": 6},
            "runs 1 active adaptive space and held 6 meetings",
        ),
        ({"active_spaces": 0, "meetings_held": 6}, "runs no active adaptive spaces"),
    ],
)
def test_convening_is_heavy_for_a_simple_independent_change(changes, words):
    result = match(MANAGE, measures(**changes))
    assert result.level == HEAVY
    assert result.warning.startswith("Convening may be heavier than this change needs.")
    assert words in result.warning


def test_light_convening_matches_a_simple_independent_change():
    assert match(MANAGE, measures(active_spaces=1, meetings_held=5)).level == MATCHED
    assert match(MANAGE, measures(active_spaces=0, meetings_held=0, learning_published=0)).matched


def test_when_too_much_is_unknown_light_convening_is_flagged_but_not_judged():
    light = match(FIND, measures(active_spaces=0))
    assert light.level == UNCLEAR
    assert light.shortfalls == ("no adaptive space is active",)
    assert light.warning.startswith("Until more is known, plan as if the change needs systems")
    enough = match(FIND, measures())
    assert enough.level == UNCLEAR
    assert enough.warning == ""


def test_the_measure_rows_show_what_each_approach_looks_for():
    convene = measure_rows(CONVENE, measures(meetings_held=5, meetings_crossing_boundaries=2))
    assert [(r.value, r.looks_for, r.meets) for r in convene] == [
        ("1", "At least 1", True),
        ("5", "At least 3", True),
        ("40% (2 of 5)", "At least 50%", False),
        ("1 published, 0 drafted", "At least 1", True),
    ]
    manage = measure_rows(MANAGE, measures(meetings_held=0, meetings_crossing_boundaries=0))
    assert [(r.value, r.looks_for, r.meets) for r in manage] == [
        ("1", "Fewer than 2", True),
        ("0", "Fewer than 6", True),
        ("No logged meetings", "No particular level", None),
        ("1 published, 0 drafted", "No particular level", None),
    ]


# The measures, on crafted data -------------------------------------------------------------------

NOW = timezone.now()


def _meeting(space, *, days_ago=5, status="held", people=(), logged=True):
    start = NOW - timedelta(days=days_ago)
    meeting = MeetingFactory(
        space=space,
        status=status,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        logged_at=start + timedelta(hours=2) if logged else None,
    )
    for person, attendance in people:
        AttendanceFactory(meeting=meeting, participant=person, status=attendance)
    return meeting


@pytest.fixture
def people(programme):
    acute_a = OrganisationFactory(sector=Sector.ACUTE)
    acute_b = OrganisationFactory(sector=Sector.ACUTE)
    council = OrganisationFactory(sector=Sector.LOCAL_AUTHORITY)

    def person(organisation):
        return ParticipantFactory(programme=programme, organisation=organisation)

    return {
        "a1": person(acute_a),
        "a2": person(acute_a),
        "b": person(acute_b),
        "council": person(council),
        "nowhere": ParticipantFactory(programme=programme, organisation=None),
    }


def test_only_active_spaces_are_counted(programme):
    AdaptiveSpaceFactory(programme=programme, status="active")
    AdaptiveSpaceFactory(programme=programme, status="paused")
    AdaptiveSpaceFactory(programme=programme, status="closed")
    AdaptiveSpaceFactory(status="active")  # another programme's
    assert measure(programme, now=NOW).active_spaces == 1


def test_only_meetings_held_in_the_last_90_days_are_counted(programme):
    space = AdaptiveSpaceFactory(programme=programme)
    paused = AdaptiveSpaceFactory(programme=programme, status="paused")
    _meeting(space, days_ago=1)
    _meeting(space, days_ago=89)
    _meeting(paused, days_ago=10)  # a meeting held before the space paused still happened
    _meeting(space, days_ago=91)
    _meeting(space, days_ago=3, status="planned")
    _meeting(space, days_ago=3, status="cancelled")
    _meeting(space, days_ago=-2)  # logged as held, but in the future
    _meeting(AdaptiveSpaceFactory(), days_ago=3)  # another programme's
    assert measure(programme, now=NOW).meetings_held == 3


def test_a_meeting_marked_held_counts_only_once_logged(programme, people):
    space = AdaptiveSpaceFactory(programme=programme)
    _meeting(space, logged=False)
    _meeting(space, logged=False, people=[(people["a1"], "apologies")])
    _meeting(space, logged=False, people=[(people["a1"], "attended")])  # attendance recorded
    _meeting(space)  # the log was saved
    assert measure(programme, now=NOW).meetings_held == 2


def test_the_page_says_only_logged_meetings_count(client, lead, programme):
    space = AdaptiveSpaceFactory(programme=programme)
    for days_ago in (3, 10, 20):
        _meeting(space, days_ago=days_ago, logged=False)
    ComplexityAssessmentFactory(programme=programme, interdependence="interdependent")
    client.force_login(lead)
    body = client.get(URL).content.decode()
    assert "Meetings held and logged in the last 90 days</th>\n        <td>0</td>" in body
    assert "Only logged meetings count" in body


def test_boundary_crossing_needs_more_than_one_organisation_and_sector(programme, people):
    space = AdaptiveSpaceFactory(programme=programme)
    attended = "attended"
    _meeting(space, people=[(people["a1"], attended), (people["a2"], attended)])
    _meeting(space, people=[(people["a1"], attended), (people["b"], attended)])
    _meeting(
        space,
        people=[(people["a1"], attended), (people["council"], "apologies")],
    )
    _meeting(space, people=[(people["a1"], attended), (people["council"], "absent")])
    _meeting(space, people=[(people["council"], attended), (people["nowhere"], attended)])
    _meeting(space, people=[(people["a1"], attended), (people["council"], attended)])
    _meeting(
        space,
        people=[(people["a2"], attended), (people["b"], attended), (people["council"], attended)],
    )
    counted = measure(programme, now=NOW)
    assert counted.meetings_held == 7
    assert counted.meetings_crossing_boundaries == 2
    assert counted.boundary_percent == 29


def test_learning_published_or_drafted_in_the_last_90_days_is_counted(programme):
    recent, old = NOW - timedelta(days=10), NOW - timedelta(days=100)
    LearningEntryFactory(programme=programme, status="published", published_at=recent)
    LearningEntryFactory(
        programme=programme, status="published", published_at=recent, created_at=old
    )
    LearningEntryFactory(programme=programme, status="published", published_at=old)
    LearningEntryFactory(programme=programme, status="draft", created_at=recent)
    LearningEntryFactory(programme=programme, status="draft", created_at=old)
    LearningEntryFactory(status="published", published_at=recent)  # another programme's
    counted = measure(programme, now=NOW)
    assert (counted.learning_published, counted.learning_drafted) == (2, 1)
    assert counted.learning_recent == 3


def test_result_for_a_programme_with_no_assessment(programme):
    result = result_for(programme)
    assert result.assessment is None
    assert result.recommendation is None
    assert result.match is None
    assert result.measures.active_spaces == 0


def test_result_for_the_current_assessment_lists_complex_domains_in_order(programme):
    ComplexityAssessmentFactory(programme=programme, ratings={"condition": "simple"})
    ComplexityAssessmentFactory(
        programme=programme,
        ratings={"embedding": "complex", "condition": "complex", "value": "simple"},
    )
    result = result_for(programme)
    assert [item.domain for item in result.complex_domains] == ["condition", "embedding"]
    assert result.recommendation.approach == CONVENING
    assert result.match.level == TOO_LIGHT
    assert len(result.rows) == 4


def test_movements_state_the_latest_change_in_words(programme):
    ComplexityAssessmentFactory(
        programme=programme,
        assessed_at=NOW - timedelta(days=60),
        ratings={"condition": "simple", "value": "complex"},
    )
    ComplexityAssessmentFactory(
        programme=programme,
        assessed_at=NOW - timedelta(days=30),
        ratings={"condition": "complicated", "value": "complex", "adopters": "unknown"},
    )
    ComplexityAssessmentFactory(
        programme=programme,
        ratings={"condition": "complex", "value": "complex", "innovation": "simple"},
    )
    assessments = list(ComplexityAssessment.objects.for_programme(programme).with_ratings())
    shown, rows = movements(assessments)
    assert [a.assessed_at for a in shown] == sorted(a.assessed_at for a in assessments)
    by_label = {row.label: row for row in rows}
    assert by_label[Domain.CONDITION.label].ratings == ("Simple", "Complicated", "Complex")
    assert by_label[Domain.CONDITION.label].change == "Complicated to complex"
    assert by_label[Domain.VALUE.label].change == "No change"
    assert by_label[Domain.INNOVATION.label].change == "Not rated to simple"
    assert by_label[Domain.ADOPTERS.label].change == "Don't know to not rated"
    assert len(movements(assessments, columns=2)[0]) == 2


# The complexity page -----------------------------------------------------------------------------


def test_the_empty_page_invites_a_lead_to_start(as_user, lead):
    page = as_user(lead).get(URL).content.decode()
    assert "No assessment yet" in page
    assert "Start a new assessment" in page
    assert f'href="{NEW}"' in page


def test_members_see_no_button_to_start_an_assessment(as_user, member):
    page = as_user(member).get(URL).content.decode()
    assert "No assessment yet" in page
    assert "Start a new assessment" not in page
    assert "A lead of the programme can start one" in page


@pytest.fixture
def assessed(programme, lead):
    ComplexityAssessmentFactory(
        programme=programme,
        assessed_by=lead,
        assessed_at=timezone.now() - timedelta(days=40),
        ratings={"condition": "complicated", "adopters": "simple"},
    )
    latest = ComplexityAssessmentFactory(
        programme=programme,
        assessed_by=lead,
        interdependence="interdependent",
        summary="We met on **Tuesday**.",
        ratings={"condition": "complex", "adopters": "simple", "value": "unknown"},
    )
    DomainRating.objects.filter(assessment=latest, domain="condition").update(
        note="Needs vary **a lot** by ward."
    )
    return latest


def test_the_page_shows_the_current_assessment_and_its_result(as_user, member, assessed):
    page = as_user(member).get(URL).content.decode()
    assert "The current assessment" in page
    assert 'class="nhsuk-tag nhsuk-tag--orange"' in page
    assert "Needs vary <strong>a lot</strong> by ward." in page
    assert "We met on <strong>Tuesday</strong>." in page
    assert "Interdependent: organisations depend on each other to make it work" in page
    assert "Lead Person" in page
    assert "Programme management plus systems convening" in page
    assert "Convening is too light" in page
    assert "no adaptive space is active" in page
    assert "To reduce it: Narrow the need" in page
    # Members cannot add activities, so the prompt has no link to plan one.
    assert "?from_domain=" not in page


@pytest.mark.parametrize("role", ["lead", "facilitator"])
def test_planners_get_a_link_to_plan_an_activity_from_a_complex_domain(
    as_user, request, role, assessed
):
    page = as_user(request.getfixturevalue(role)).get(URL).content.decode()
    assert 'href="/programmes/virtual-wards/plan/new/?from_domain=condition"' in page
    assert "Plan an activity" in page
    assert "from_domain=adopters" not in page


def test_the_page_shows_previous_assessments_and_how_ratings_moved(as_user, member, assessed):
    page = as_user(member).get(URL).content.decode()
    assert "Previous assessments" in page
    assert "How the ratings moved" in page
    assert "<strong>Complicated to complex</strong>" in page
    assert "<strong>Not rated to don&#39;t know</strong>" in page


def test_the_ratings_history_is_headed_by_date_time_and_assessor(as_user, member, programme):
    """Two assessments on one day are told apart by their time, and by who made them."""
    morning = timezone.make_aware(datetime(2026, 12, 4, 9, 30))
    for hour, name in ((0, "Ada Lead"), (5, "Ben Lead")):
        ComplexityAssessmentFactory(
            programme=programme,
            assessed_at=morning + timedelta(hours=hour),
            assessed_by=UserFactory(name=name),
            ratings={"condition": "simple"},
        )
    page = as_user(member).get(URL).content.decode()
    table = page[page.index("How the ratings moved") :]
    table = table[: table.index("</thead>")]
    assert "4 December 2026, 09:30" in table
    assert "4 December 2026, 14:30" in table
    assert "by Ada Lead" in table
    assert "by Ben Lead" in table


def test_a_single_assessment_has_no_movement_table(as_user, member, programme):
    ComplexityAssessmentFactory(programme=programme, ratings={"condition": "simple"})
    page = as_user(member).get(URL).content.decode()
    assert "How the ratings moved" not in page
    assert "This is the first assessment" in page


def test_markdown_with_script_is_shown_sanitised(as_user, member, programme):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>[click](javascript:alert(1))'
    assessment = ComplexityAssessmentFactory(
        programme=programme, summary=script, ratings={"condition": "complex"}
    )
    DomainRating.objects.filter(assessment=assessment).update(note=script)
    page = as_user(member).get(URL).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    # The note, in the assessment and under its complex domain, and the summary.
    assert main.count("click") == 3
    assert "<script" not in main
    assert "onerror" not in main
    assert "javascript:" not in main
    assert "<img" not in main


# The form ----------------------------------------------------------------------------------------


def _post(**changes) -> dict:
    data = {f"rating_{d}": "" for d in ALL_DOMAINS} | {f"note_{d}": "" for d in ALL_DOMAINS}
    data |= {"interdependence": "independent", "summary": ""}
    data |= changes
    return data


def test_a_new_assessment_starts_blank_and_offers_the_last_one(as_user, lead, assessed):
    page = as_user(lead).get(NEW).content.decode()
    assert "Save assessment" in page
    assert "checked" not in page
    assert "Needs vary **a lot** by ward." not in page
    assert f'href="{NEW}?from=last">Start from the last assessment</a>' in page


def test_the_form_starts_from_the_last_assessment_when_asked(as_user, lead, assessed):
    page = as_user(lead).get(NEW + "?from=last").content.decode()
    assert 'value="complex" checked' in page
    assert 'value="interdependent" checked' in page
    assert "Needs vary **a lot** by ward." in page
    # The four domains the last assessment left out start as "Not rated", and say so.
    assert page.count('value="" checked') == 4
    assert f'href="{NEW}">Start from a blank form instead</a>' in page


def test_a_rating_started_from_the_last_assessment_can_be_taken_back(as_user, lead, assessed):
    """The prefilled "complex" on the condition goes back to "Not rated" (an empty value)."""
    response = as_user(lead).post(
        NEW + "?from=last", _post(rating_condition="", rating_adopters="simple")
    )
    assert response.status_code == 302
    latest = ComplexityAssessment.objects.latest()
    assert {r.domain for r in latest.ratings.all()} == {"adopters"}


def test_the_empty_form_has_nothing_chosen_and_offers_not_rated(as_user, lead):
    page = as_user(lead).get(NEW).content.decode()
    assert "checked" not in page
    assert "Start from the last assessment" not in page
    assert page.count('type="radio"') == 7 * 5 + 2
    assert len(re.findall(r'type="radio"\s+value=""', page)) == 7
    assert len(re.findall(r">\s*Not rated\s*</label>", page)) == 7


def test_saving_adds_a_new_assessment_and_keeps_the_earlier_ones(as_user, lead, assessed):
    client = as_user(lead)
    response = client.post(
        NEW,
        _post(
            rating_condition="complex",
            note_condition="Still varies.",
            rating_embedding="unknown",
            interdependence="interdependent",
            summary="Second look.",
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == URL
    assert ComplexityAssessment.objects.count() == 3
    latest = ComplexityAssessment.objects.latest()
    assert latest.assessed_by == lead
    assert latest.summary == "Second look."
    assert latest.is_interdependent
    assert {(r.domain, r.rating, r.note) for r in latest.ratings.all()} == {
        ("condition", "complex", "Still varies."),
        ("embedding", "unknown", ""),
    }
    page = client.get(URL).content.decode()
    assert "Assessment saved" in page
    assert "Second look." in page


def test_a_rating_outside_the_four_is_refused_at_its_field(as_user, lead):
    response = as_user(lead).post(
        NEW, _post(rating_value="catastrophic", note_value="Kept", summary="Typed")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose simple, complicated, complex or don&#39;t know" in page
    assert 'href="#id_rating_value"' in page
    assert "Kept" in page
    assert "Typed" in page
    assert not ComplexityAssessment.objects.exists()


def test_an_assessment_with_no_domain_rated_is_refused(as_user, lead):
    response = as_user(lead).post(NEW, _post(summary="We talked a lot."))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rate at least one domain" in page
    assert 'href="#id_rating_condition"' in page
    assert "We talked a lot." in page
    assert page.startswith("<!DOCTYPE html>") or "Error: New complexity assessment" in page
    assert not ComplexityAssessment.objects.exists()


def test_a_note_too_long_is_refused_and_kept(as_user, lead):
    long_note = "n" * 2001
    response = as_user(lead).post(NEW, _post(rating_innovation="simple", note_innovation=long_note))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Note must be 2,000 characters or fewer" in page
    assert 'href="#id_note_innovation"' in page
    assert long_note in page
    assert 'value="simple" checked' in page
    assert not ComplexityAssessment.objects.exists()


def test_a_note_without_a_rating_is_not_silently_dropped(as_user, lead):
    response = as_user(lead).post(
        NEW, _post(rating_condition="simple", note_value="Nobody agrees on who pays")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a rating to go with the note you wrote" in page
    assert "Nobody agrees on who pays" in page


def test_interdependence_must_be_answered(as_user, lead):
    response = as_user(lead).post(NEW, _post(rating_condition="simple", interdependence=""))
    assert response.status_code == 400
    assert "Say whether organisations can adopt the change" in response.content.decode()
    response = as_user(lead).post(NEW, _post(rating_condition="simple", interdependence="both"))
    assert "Choose independent or interdependent" in response.content.decode()
    assert not ComplexityAssessment.objects.exists()


def test_the_assessment_is_saved_for_this_programme_only(as_user, lead, programme):
    other = ProgrammeFactory()
    as_user(lead).post(NEW, _post(rating_condition="simple"))
    assert ComplexityAssessment.objects.get().programme == programme
    assert not ComplexityAssessment.objects.filter(programme=other).exists()


def test_an_assessor_who_has_left_is_shown_without_a_name(as_user, member, programme):
    gone = UserFactory(name="Gone Person")
    ComplexityAssessmentFactory(programme=programme, assessed_by=gone, ratings={"value": "simple"})
    gone.delete()
    page = as_user(member).get(URL).content.decode()
    assert "someone who has since left" in page
