"""The complexity profile, the rule that recommends an approach, and the convening match.

DESIGN section 7. The assessment is a discussion aid: the profile is a count per rating, never a
single score. The measures of what the programme actually does are aggregate queries, so the
match costs the same few queries whatever the size of the programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from convening.models import Programme

from .models import ComplexityAssessment, Domain, Rating

RECENT_DAYS = 90
# Below these, convening is too light for a complex or interdependent change: about one meeting a
# month, at least half of them crossing organisations and sectors, and some learning written down.
ENOUGH_MEETINGS = 3
ENOUGH_BOUNDARY_PERCENT = 50
ENOUGH_LEARNING = 1
# At or above either of these, convening is heavy for a simple, independent change.
HEAVY_SPACES = 2
HEAVY_MEETINGS = 6

PROGRAMME_MANAGEMENT = "programme_management"
CONVENING = "convening"
FIND_OUT = "find_out"


@dataclass(frozen=True)
class Profile:
    """How many domains were given each rating."""

    simple: int = 0
    complicated: int = 0
    complex: int = 0
    unknown: int = 0
    not_rated: int = 0

    @classmethod
    def of(cls, assessment: ComplexityAssessment) -> Profile:
        ratings = [r.rating for r in assessment.ratings.all()]
        return cls(
            simple=ratings.count(Rating.SIMPLE),
            complicated=ratings.count(Rating.COMPLICATED),
            complex=ratings.count(Rating.COMPLEX),
            unknown=ratings.count(Rating.UNKNOWN),
            not_rated=len(Domain) - len(ratings),
        )

    @property
    def rated(self) -> int:
        return self.simple + self.complicated + self.complex + self.unknown

    def counts(self) -> list[tuple[str, int]]:
        """(label, count) for each rating, in the order the page shows them."""
        rows = [
            (Rating.SIMPLE.label, self.simple),
            (Rating.COMPLICATED.label, self.complicated),
            (Rating.COMPLEX.label, self.complex),
            (Rating.UNKNOWN.label, self.unknown),
        ]
        if self.not_rated:
            rows.append(("Not rated", self.not_rated))
        return rows


@dataclass(frozen=True)
class Recommendation:
    approach: str
    headline: str
    explanation: str


def recommend(profile: Profile, *, interdependent: bool) -> Recommendation:
    """The rule: complex anywhere, or interdependent across organisations, needs programme
    management plus systems convening; mostly simple or complicated (at least four of the seven
    domains) and independent may need programme management alone; otherwise too little is known
    to say."""
    if profile.complex or interdependent:
        reasons = []
        if profile.complex:
            domains = "one domain" if profile.complex == 1 else f"{profile.complex} domains"
            reasons.append(f"{domains} rated complex")
        if interdependent:
            reasons.append("organisations that depend on each other to make it work")
        return Recommendation(
            CONVENING,
            "Programme management plus systems convening",
            f"With {' and '.join(reasons)}, a plan and a project team will not be enough. "
            "People from across the system need to meet regularly in adaptive spaces, "
            "work through disagreements, and adapt the change as they learn.",
        )
    # "Mostly" counts against all seven domains: a domain not rated is not known to be simple.
    known = profile.simple + profile.complicated
    if known * 2 > len(Domain):
        return Recommendation(
            PROGRAMME_MANAGEMENT,
            "Programme management may be enough",
            "The change is mostly simple or complicated, and each organisation can adopt it on "
            "its own. A clear plan, good project management and expert advice may be all it "
            "needs. Look again if anything turns out to be complex.",
        )
    return Recommendation(
        FIND_OUT,
        "Find out more before choosing an approach",
        "Too much is unknown to recommend an approach. Plan how to find out about the domains "
        "rated “don't know” or not rated yet; until then, assume the change will need systems "
        "convening.",
    )


@dataclass(frozen=True)
class Measures:
    """What the programme actually does, measured from its data over the last 90 days.

    Meetings count only once logged (`MeetingQuerySet.logged`: the log saved, or attendance
    recorded): a meeting merely marked held is no evidence that people met."""

    active_spaces: int
    meetings_held: int
    meetings_crossing_boundaries: int
    learning_published: int
    learning_drafted: int

    @property
    def boundary_percent(self) -> int | None:
        """The share of held meetings whose attendees came from more than one organisation
        and more than one sector, as a whole percentage; None when no meeting was held."""
        if not self.meetings_held:
            return None
        return round(100 * self.meetings_crossing_boundaries / self.meetings_held)

    @property
    def learning_recent(self) -> int:
        return self.learning_published + self.learning_drafted


def measure(programme: Programme, *, now: datetime | None = None) -> Measures:
    """Three aggregate queries, whatever the number of meetings or entries."""
    from learning.models import LearningEntry
    from spaces.models import AdaptiveSpace, Attendance, Meeting

    now = now or timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    active_spaces = AdaptiveSpace.objects.filter(
        programme=programme, status=AdaptiveSpace.Status.ACTIVE
    ).count()
    attended = Q(attendances__status=Attendance.Status.ATTENDED)
    meetings = (
        Meeting.objects.logged()
        .filter(space__programme=programme, starts_at__gte=since, starts_at__lte=now)
        .order_by()
        .annotate(
            organisations=Count(
                "attendances__participant__organisation", filter=attended, distinct=True
            ),
            sectors=Count(
                "attendances__participant__organisation__sector", filter=attended, distinct=True
            ),
        )
        .aggregate(
            held=Count("pk"),
            crossing=Count("pk", filter=Q(organisations__gt=1, sectors__gt=1)),
        )
    )
    learning = LearningEntry.objects.filter(programme=programme).aggregate(
        published=Count(
            "pk",
            filter=Q(status=LearningEntry.Status.PUBLISHED, published_at__gte=since),
        ),
        drafted=Count("pk", filter=Q(status=LearningEntry.Status.DRAFT, created_at__gte=since)),
    )
    return Measures(
        active_spaces=active_spaces,
        meetings_held=meetings["held"],
        meetings_crossing_boundaries=meetings["crossing"],
        learning_published=learning["published"],
        learning_drafted=learning["drafted"],
    )


TOO_LIGHT = "too_light"
HEAVY = "heavy"
MATCHED = "matched"
UNCLEAR = "unclear"


@dataclass(frozen=True)
class Match:
    level: str
    warning: str  # empty when the convening matches the recommendation
    shortfalls: tuple[str, ...] = ()

    @property
    def matched(self) -> bool:
        return self.level == MATCHED


def _number_of(count: int, singular: str, plural: str) -> str:
    """Say how many: "no meetings", "1 meeting", "4 meetings"."""
    if count == 0:
        return f"no {plural}"
    return f"{count} {singular if count == 1 else plural}"


def _shortfalls(measures: Measures) -> list[str]:
    """Where convening falls below what a complex or interdependent change needs."""
    shortfalls = []
    if not measures.active_spaces:
        shortfalls.append("no adaptive space is active")
    held = measures.meetings_held
    if held < ENOUGH_MEETINGS:
        meetings = _number_of(held, "meeting was", "meetings were")
        shortfalls.append(
            f"{'' if held == 0 else 'only '}{meetings} held and logged"
            f" in the last {RECENT_DAYS} days"
            f" (about one a month would be {ENOUGH_MEETINGS})"
        )
    percent = measures.boundary_percent
    if percent is not None and percent < ENOUGH_BOUNDARY_PERCENT:
        share = "none" if percent == 0 else f"only {percent}%"
        shortfalls.append(
            f"{share} of the meetings held brought together people from more than one "
            "organisation and more than one sector"
        )
    if measures.learning_recent < ENOUGH_LEARNING:
        if measures.learning_recent == 0:
            shortfalls.append(f"no learning was written down in the last {RECENT_DAYS} days")
        else:
            shortfalls.append(
                f"only {_number_of(measures.learning_recent, 'learning entry', 'learning entries')}"
                f" {'was' if measures.learning_recent == 1 else 'were'} written down in the last "
                f"{RECENT_DAYS} days"
            )
    return shortfalls


def match(recommendation: Recommendation, measures: Measures) -> Match:
    """Compare what the rule recommends with what the programme does, in plain words."""
    if recommendation.approach == PROGRAMME_MANAGEMENT:
        if measures.active_spaces >= HEAVY_SPACES or measures.meetings_held >= HEAVY_MEETINGS:
            spaces = _number_of(
                measures.active_spaces, "active adaptive space", "active adaptive spaces"
            )
            meetings = _number_of(measures.meetings_held, "meeting", "meetings")
            return Match(
                HEAVY,
                "Convening may be heavier than this change needs. It was rated mostly simple "
                f"or complicated and independent, yet the programme runs {spaces} and held "
                f"{meetings} in the last {RECENT_DAYS} days. Consider whether people's time "
                "would be better spent on delivery.",
            )
        return Match(MATCHED, "")
    shortfalls = tuple(_shortfalls(measures))
    if recommendation.approach == FIND_OUT:
        if not shortfalls:
            return Match(UNCLEAR, "")
        # The recommendation says to assume convening is needed until more is known.
        return Match(
            UNCLEAR,
            "Until more is known, plan as if the change needs systems convening, and convening "
            "is light for that: " + "; ".join(shortfalls) + ".",
            shortfalls,
        )
    if not shortfalls:
        return Match(MATCHED, "")
    return Match(
        TOO_LIGHT,
        "Convening is too light for the complexity of this change: " + "; ".join(shortfalls) + ".",
        shortfalls,
    )


@dataclass(frozen=True)
class DomainPrompt:
    """For a complex domain: how to reduce the complexity, or how to manage it, and the
    planned activity that either would start as."""

    area_number: int
    practice_codes: tuple[str, ...]
    reduce: str
    manage: str
    title: str


PROMPTS: dict[str, DomainPrompt] = {
    Domain.CONDITION: DomainPrompt(
        6,
        ("6.1",),
        "Narrow the need: agree which group of people, or which part of the pathway, to start "
        "with.",
        "Keep learning about the need as it changes, with a regular look at who the service "
        "reaches and who it misses.",
        "Agree which part of the need to start with",
    ),
    Domain.INNOVATION: DomainPrompt(
        7,
        ("7.2",),
        "Simplify what first adopters take on: separate what must stay from what sites may change.",
        "Give sites a space to adapt the innovation together and share what they changed.",
        "Make clear what is core and what can be adapted",
    ),
    Domain.VALUE: DomainPrompt(
        6,
        ("6.1",),
        "Agree with providers and commissioners who gains, who pays and how value will be "
        "measured.",
        "Review the value case with each organisation as evidence comes in.",
        "Agree the value and who it falls to",
    ),
    Domain.ADOPTERS: DomainPrompt(
        8,
        ("8.1",),
        "Reduce what changes for staff, patients and carers at first, and say clearly what "
        "does not change.",
        "Bring staff, patients and carers into adapting the change, and hear early what it "
        "asks of them.",
        "Involve staff, patients and carers in adapting the change",
    ),
    Domain.ORGANISATIONS: DomainPrompt(
        1,
        ("1.3",),
        "Start where fewer organisations need to change together.",
        "Hold an adaptive space where the organisations work through how they depend on each "
        "other.",
        "Convene the organisations that depend on each other",
    ),
    Domain.WIDER_SYSTEM: DomainPrompt(
        3,
        ("3.3",),
        "Name the rules, contracts or funding that stand in the way and ask for them to change.",
        "Build relationships with the regulators, professional bodies and commissioners who "
        "shape the rules.",
        "Build bridges to the people who set the rules",
    ),
    Domain.EMBEDDING: DomainPrompt(
        9,
        ("9.2",),
        "Agree now who will own the change and pay for it once the programme ends.",
        "Use local history, routines and customs to plan how the change will last and keep "
        "adapting.",
        "Plan how the change will last and adapt",
    ),
}


def activity_prefill(domain: str) -> dict | None:
    """Initial values for "Add an activity" planned from a complex domain, or None."""
    prompt = PROMPTS.get(domain)
    if prompt is None:
        return None
    return {
        "area_number": prompt.area_number,
        "practice_codes": prompt.practice_codes,
        "title": prompt.title,
        "description": (
            f"Planned because “{Domain(domain).label}” was rated complex.\n\n"
            f"- To reduce it: {prompt.reduce}\n- To manage it: {prompt.manage}"
        ),
        "from_domain": domain,
    }


def current_assessment(programme: Programme) -> ComplexityAssessment | None:
    return ComplexityAssessment.objects.for_programme(programme).with_ratings().first()


# What the pages show -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    """One measure beside what the recommendation looks for; `meets` is None when the
    recommendation sets no bar for it."""

    label: str
    value: str
    looks_for: str
    meets: bool | None


def measure_rows(recommendation: Recommendation, measures: Measures) -> list[MeasureRow]:
    """The four measures, each with the level the recommended approach looks for."""
    percent = measures.boundary_percent
    boundary = (
        "No logged meetings"
        if percent is None
        else f"{percent}% ({measures.meetings_crossing_boundaries} of {measures.meetings_held})"
    )
    learning = f"{measures.learning_published} published, {measures.learning_drafted} drafted"
    labels = (
        "Adaptive spaces active",
        f"Meetings held and logged in the last {RECENT_DAYS} days",
        "Logged meetings with people from more than one organisation and more than one sector",
        f"Learning entries published or drafted in the last {RECENT_DAYS} days",
    )
    values = (str(measures.active_spaces), str(measures.meetings_held), boundary, learning)
    if recommendation.approach == PROGRAMME_MANAGEMENT:
        bars = (
            (f"Fewer than {HEAVY_SPACES}", measures.active_spaces < HEAVY_SPACES),
            (f"Fewer than {HEAVY_MEETINGS}", measures.meetings_held < HEAVY_MEETINGS),
            ("No particular level", None),
            ("No particular level", None),
        )
    else:
        bars = (
            ("At least 1", measures.active_spaces >= 1),
            (f"At least {ENOUGH_MEETINGS}", measures.meetings_held >= ENOUGH_MEETINGS),
            (
                f"At least {ENOUGH_BOUNDARY_PERCENT}%",
                None if percent is None else percent >= ENOUGH_BOUNDARY_PERCENT,
            ),
            (f"At least {ENOUGH_LEARNING}", measures.learning_recent >= ENOUGH_LEARNING),
        )
    return [
        MeasureRow(label, value, looks_for, meets)
        for label, value, (looks_for, meets) in zip(labels, values, bars, strict=True)
    ]


@dataclass(frozen=True)
class ComplexDomain:
    """A domain rated complex in the current assessment, with its prompt."""

    domain: str
    label: str
    note: str
    prompt: DomainPrompt


@dataclass(frozen=True)
class Result:
    """Everything the result panel shows for a programme's current assessment."""

    assessment: ComplexityAssessment | None
    measures: Measures
    profile: Profile | None = None
    recommendation: Recommendation | None = None
    match: Match | None = None
    rows: tuple[MeasureRow, ...] = ()
    complex_domains: tuple[ComplexDomain, ...] = ()


_CURRENT = object()


def result_for(
    programme: Programme,
    *,
    assessment: ComplexityAssessment | object | None = _CURRENT,
    now: datetime | None = None,
) -> Result:
    """The result panel's contents: the profile, the recommendation, the measures and the match,
    and a prompt for each complex domain. Pass `assessment` (with its ratings prefetched) when
    the caller has it already; otherwise the current one is fetched (two queries). The
    measures are three more queries, with or without an assessment."""
    if assessment is _CURRENT:
        assessment = current_assessment(programme)
    measures = measure(programme, now=now)
    if assessment is None:
        return Result(None, measures)
    profile = Profile.of(assessment)
    recommendation = recommend(profile, interdependent=assessment.is_interdependent)
    complex_domains = tuple(
        ComplexDomain(domain.value, domain.label, rating.note, PROMPTS[domain.value])
        for domain in Domain
        if (rating := assessment.rating_of(domain.value)) is not None
        and rating.rating == Rating.COMPLEX
    )
    return Result(
        assessment,
        measures,
        profile,
        recommendation,
        match(recommendation, measures),
        tuple(measure_rows(recommendation, measures)),
        complex_domains,
    )


# How ratings moved between assessments -----------------------------------------------------------

NOT_RATED = "Not rated"


@dataclass(frozen=True)
class DomainMovement:
    label: str
    ratings: tuple[str, ...]  # oldest to newest, one per assessment shown
    change: str  # the latest move in words: "Complicated to complex", or "No change"


def rating_label(assessment: ComplexityAssessment, domain: str) -> str:
    rating = assessment.rating_of(domain)
    return rating.get_rating_display() if rating is not None else NOT_RATED


def movements(
    assessments: list[ComplexityAssessment], *, columns: int = 5
) -> tuple[list[ComplexityAssessment], list[DomainMovement]]:
    """How each domain's rating moved across the latest few assessments (given newest first,
    ratings prefetched): the assessments shown, oldest to newest, and a row per domain."""
    shown = list(reversed(assessments[:columns]))
    rows = []
    for domain in Domain:
        ratings = tuple(rating_label(assessment, domain.value) for assessment in shown)
        if len(ratings) < 2:
            change = ""
        elif ratings[-2] == ratings[-1]:
            change = "No change"
        else:
            change = f"{ratings[-2]} to {ratings[-1][0].lower()}{ratings[-1][1:]}"
        rows.append(DomainMovement(domain.label, ratings, change))
    return shown, rows
