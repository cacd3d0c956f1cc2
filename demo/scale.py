"""Region-scale data for benchmarks: `python manage.py seed_scale [--scale 1.0] [--force]`.

At scale 1.0: 30 programmes, 300 organisations, 10,000 participants, 300 adaptive spaces,
30,000 meetings, 300,000 attendance rows and 30,000 learning entries (each tagged with one or two
of the ten activity areas; about one in seven public and published, for the learning hubs); for
adopters, two innovations a programme, each with eight adopting sites and their stage changes,
six narratives (one per audience) and 600 pieces of feedback in all; for planning, 9,000
planned activities (300 a programme, across the ten areas, some serving meeting actions), 90
complexity assessments of seven ratings each and 6,000 local knowledge entries. Built in a few
minutes. Smaller scales keep the same shape (tests use a tiny one); a few minimums keep every
part there.

Learning hubs: one programme in three is public (the first among them), one in three for
signed-in users and the rest for members only.

The first programme is the region-wide one: a fifth of all participants, led by
bench@example.org, whose participant record is a member of ten spaces (for "My spaces"), and one
of its meetings has exactly 200 attendees (the meeting log benchmark page).

Rows are built in memory a chunk at a time and written with bulk_create; nothing is queried per
row. bulk_create bypasses save() and signals, so django-simple-history writes no history rows
for this data: that is fine for benchmark data, and no page measured reads the history.

The `seed_scale` command runs this; it refuses to run with DEBUG off unless --force is given: it
is for benchmark databases only. The words come from demo/data/scale.toml.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from activities.models import (
    ActivityArea,
    ComplexityAssessment,
    Domain,
    DomainRating,
    LocalKnowledge,
    PlannedActivity,
    Practice,
    Rating,
)
from convening.models import (
    Adoption,
    AdoptionEvent,
    Innovation,
    Level,
    Membership,
    Organisation,
    Participant,
    Programme,
    RoleGroup,
    Sector,
    User,
)
from demo.content import read
from learning.models import Audience, Feedback, LearningEntry, Narrative
from spaces.models import Action, AdaptiveSpace, Attendance, Meeting, SpaceMember

BENCH_EMAIL = "bench@example.org"
SUMMIT_TITLE = "Region-wide spread summit"
SUMMIT_SIZE = 200
BENCH_SPACES = 10
BATCH = 2000
ATTENDANCE_BATCH = 5000
MEETING_CHUNK = 2000  # meetings whose attendance, actions and practices are built at once
FUTURE_MEETINGS = 3  # planned meetings per space
MEETING_INTERVAL = timedelta(days=7)

FULL_SCALE = {
    "programmes": 30,
    "organisations": 300,
    "participants": 10_000,
    "spaces": 300,
    "meetings": 30_000,
    "attendances": 300_000,
    "learning_entries": 30_000,
    "planned_activities": 9_000,
    "assessments": 90,
    "local_knowledge": 6_000,
    "feedback": 600,
}
ADOPTION_SITES = 8  # per innovation
ADOPTION_PATH = [
    Adoption.Stage.EXPLORING,
    Adoption.Stage.PREPARING,
    Adoption.Stage.TESTING,
    Adoption.Stage.ADOPTED,
    Adoption.Stage.SUSTAINED,
]


@dataclass(frozen=True)
class Plan:
    """How many of each row to create."""

    programmes: int
    organisations: int
    participants: int
    spaces: int
    meetings: int
    attendances: int
    learning_entries: int
    planned_activities: int
    assessments: int
    local_knowledge: int
    feedback: int

    @classmethod
    def for_scale(cls, scale: float) -> Plan:
        """The full-scale counts times `scale`, with the minimums that keep every part of the
        dataset present: three programmes (the bench user's), enough people in the first for the
        200-attendee meeting, one logged meeting per space and attendance for every one."""

        def scaled(name: str, minimum: int) -> int:
            return max(minimum, round(FULL_SCALE[name] * scale))

        programmes = scaled("programmes", 3)
        spaces = scaled("spaces", 2 * programmes)
        meetings = scaled("meetings", spaces * (FUTURE_MEETINGS + 3))
        return cls(
            programmes=programmes,
            organisations=scaled("organisations", len(Sector)),
            participants=scaled("participants", SUMMIT_SIZE + 20 + 30 * (programmes - 1)),
            spaces=spaces,
            meetings=meetings,
            attendances=scaled("attendances", SUMMIT_SIZE + 3 * meetings),
            learning_entries=scaled("learning_entries", spaces),
            # Every programme plans in each of the ten areas, has a current assessment and a
            # previous one, and an entry of each kind in its register.
            planned_activities=scaled("planned_activities", 10 * programmes),
            assessments=scaled("assessments", 2 * programmes),
            local_knowledge=scaled("local_knowledge", len(LocalKnowledge.Kind) * programmes),
            # Feedback of every kind for every innovation (two a programme).
            feedback=scaled("feedback", len(Feedback.Kind) * 2 * programmes),
        )

    def programme_sizes(self) -> list[int]:
        """Participants per programme: a fifth in the region-wide first one, the rest even."""
        first = max(SUMMIT_SIZE + 20, self.participants // 5)
        return [first, *_spread(self.participants - first, self.programmes - 1)]


def _spread(total: int, parts: int) -> list[int]:
    """`total` split into `parts` whole numbers that differ by at most one."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


# The words of the data (names, places, meeting notes, titles), from demo/data/scale.toml.
WORDS = read("scale.toml")
PLACES = WORDS["places"]
TOPICS = WORDS["topics"]
FIRST_NAMES = WORDS["first_names"]
LAST_NAMES = WORDS["last_names"]
ORGANISATION_TYPES = [(item["name"], item["sector"]) for item in WORDS["organisation_types"]]
REGION_WIDE = [(item["name"], item["sector"]) for item in WORDS["region_wide"]]
SECTOR_ROLE_GROUPS = WORDS["sector_role_groups"]
STAFF_ROLE_GROUPS = WORDS["staff_role_groups"]
NOTES = WORDS["notes"]
TENSIONS = WORDS["tensions"]
DECISIONS = WORDS["decisions"]
ACTION_TITLES = WORDS["action_titles"]
LEARNING = [(item["title"], item["kind"]) for item in WORDS["learning"]]
LEARNING_BODY = WORDS["learning_body"]
ACTIVITY_TITLES = [(item["verb"], item["thing"]) for item in WORDS["activity_titles"]]
KNOWLEDGE_TITLES = WORDS["knowledge_titles"]
STAGE_NOTES = WORDS["stage_notes"]
NARRATIVE_BODY = WORDS["narrative_body"]
FEEDBACK_BODIES = WORDS["feedback_bodies"]


HUB_VISIBILITY = [
    Programme.HubVisibility.PUBLIC,  # the first programme's hub is the benchmark's
    Programme.HubVisibility.SIGNED_IN,
    Programme.HubVisibility.MEMBERS,
]


@dataclass
class MeetingRow:
    """What the later phases need to know about one meeting, without keeping the model."""

    pk: int
    space: AdaptiveSpace
    starts_at: datetime
    ends_at: datetime
    logged: bool
    summit: bool = False


class ScaleBuilder:
    """Builds the benchmark region for a plan, reporting each phase's time through `write`."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self.write = write
        self.rng = random.Random(2026)  # noqa: S311 - reproducible benchmark data
        self.now = timezone.now()

    def run(self, plan: Plan) -> None:
        """Build everything in one transaction, then refresh the planner's statistics."""
        with transaction.atomic():
            self.build(plan)
        self.phase("analyse", self.analyse)

    @staticmethod
    def analyse() -> None:
        """Fresh planner statistics, as a database that has been in use would have."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def phase(self, name: str, build):
        started = time.perf_counter()
        result = build()
        count = len(result) if isinstance(result, list) else result
        rows = f" ({count:,} rows)" if isinstance(count, int) else ""
        self.write(f"  {name:<36} {time.perf_counter() - started:7.1f} s{rows}")
        return result

    def build(self, plan: Plan) -> None:
        organisations = self.phase("organisations", lambda: self.organisations(plan))
        self.phase("programmes, users and memberships", lambda: self.programmes(plan))
        self.phase("innovations", lambda: self.innovations(organisations))
        self.phase("participants", lambda: self.participants(plan, organisations))
        self.phase("adoptions and their stage changes", self.adoptions)
        self.phase("narratives and innovator contacts", self.narratives)
        self.phase("feedback", lambda: self.feedback(plan))
        self.phase("spaces and members", lambda: self.spaces(plan))
        meetings = self.phase("meetings", lambda: self.meetings(plan))
        self.phase("planned activities", lambda: self.planned_activities(plan))
        self.phase(
            "attendance, actions and practices", lambda: self.attendance(plan, self.held(meetings))
        )
        self.phase("learning entries", lambda: self.learning(plan, self.held(meetings)))
        self.phase("complexity assessments", lambda: self.assessments(plan))
        self.phase("local knowledge", lambda: self.local_knowledge(plan))

    # Organisations, programmes, people ---------------------------------------------------------

    def organisations(self, plan: Plan) -> list[Organisation]:
        rows = [Organisation(name=name, sector=sector) for name, sector in REGION_WIDE]
        for index in range(plan.organisations - len(rows)):
            template, sector = ORGANISATION_TYPES[index % len(ORGANISATION_TYPES)]
            place = PLACES[index // len(ORGANISATION_TYPES) % len(PLACES)]
            round_ = index // (len(ORGANISATION_TYPES) * len(PLACES))
            name = template.format(place=place) + (f" {round_ + 1}" if round_ else "")
            rows.append(Organisation(name=name, sector=sector, place=place))
        self.organisation_list = Organisation.objects.bulk_create(rows, batch_size=BATCH)
        return self.organisation_list

    def programmes(self, plan: Plan) -> int:
        self.programme_list = Programme.objects.bulk_create(
            [
                Programme(
                    name=f"{TOPICS[index % len(TOPICS)]} across "
                    + ("the region" if index == 0 else PLACES[index % len(PLACES)]),
                    slug=f"region-{index + 1:02d}-{slugify(TOPICS[index % len(TOPICS)])}",
                    summary="Spreading a model of care that worked in one place to the others.",
                    status=Programme.Status.ACTIVE,
                    hub_visibility=HUB_VISIBILITY[index % len(HUB_VISIBILITY)],
                )
                for index in range(plan.programmes)
            ],
            batch_size=BATCH,
        )
        # One hash for every generated account: nobody signs in to them with a password.
        unusable = make_password(None)
        self.bench_user = User(email=BENCH_EMAIL, name="Bench Lead", password=unusable)
        # Per programme: a lead, two facilitators and four members with accounts.
        self.programme_users: list[list[tuple[User, str]]] = []
        users = [self.bench_user]
        roles = [Membership.Role.LEAD, *[Membership.Role.FACILITATOR] * 2]
        roles += [Membership.Role.MEMBER] * 4
        for index, _programme in enumerate(self.programme_list):
            people = [
                (
                    User(
                        email=f"p{index + 1:02d}-{role}{number}@bench.example.org",
                        name=f"{self.person_name()}",
                        password=unusable,
                    ),
                    role,
                )
                for number, role in enumerate(roles)
            ]
            self.programme_users.append(people)
            users += [user for user, _role in people]
        User.objects.bulk_create(users, batch_size=BATCH)
        # The bench user leads the first programme and is a member of the next two.
        bench_roles = [Membership.Role.LEAD, Membership.Role.MEMBER, Membership.Role.MEMBER]
        for people, role in zip(self.programme_users, bench_roles, strict=False):
            people.insert(0, (self.bench_user, role))
        memberships = [
            Membership(programme=programme, user=user, role=role)
            for programme, people in zip(self.programme_list, self.programme_users, strict=True)
            for user, role in people
        ]
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        return len(users) + len(memberships)

    def innovations(self, organisations: list[Organisation]) -> int:
        rows = []
        for index, programme in enumerate(self.programme_list):
            topic = TOPICS[index % len(TOPICS)]
            for number, kind in enumerate(("model of care", "digital tool")):
                rows.append(
                    Innovation(
                        programme=programme,
                        name=f"{topic} {kind}",
                        slug=slugify(f"{topic} {kind}"),
                        summary=f"The {kind} at the heart of the programme.",
                        innovator_organisation=organisations[(index + number) % len(organisations)],
                        evidence_summary="What the evaluation at the first sites found.",
                        core_components="- What every site keeps the same.",
                        adaptable_elements="- What each site may change.",
                    )
                )
                rows[-1].programme_index = index
        Innovation.objects.bulk_create(rows, batch_size=BATCH)
        self.innovation_list = rows
        return len(rows)

    def adoptions(self) -> int:
        """Eight sites from the programme's own organisations per innovation, each at a stage
        reached through stage changes over the past year (none for "not started"); the local
        lead is someone from the site."""
        today = self.now.date()
        stages = list(Adoption.Stage)
        adoptions, events = [], []
        for innovation in self.innovation_list:
            index = innovation.programme_index
            lead = self.programme_users[index][0][0]
            at_site: dict[int, Participant] = {}
            for person in self.people[index]:
                if person.user is None:
                    at_site.setdefault(person.organisation_id, person)
            orgs = self.programme_orgs[index]
            for organisation in self.rng.sample(orgs, k=min(ADOPTION_SITES, len(orgs))):
                stage = self.rng.choice(stages)
                if stage == Adoption.Stage.NOT_STARTED:
                    steps = []
                elif stage in (Adoption.Stage.PAUSED, Adoption.Stage.ABANDONED):
                    steps = [*ADOPTION_PATH[: self.rng.randint(1, 3)], stage]
                else:
                    steps = ADOPTION_PATH[: ADOPTION_PATH.index(stage) + 1]
                span = self.rng.randint(len(steps) + 30, 360)
                offsets = sorted(self.rng.sample(range(1, span), k=len(steps)), reverse=True)
                adoption = Adoption(
                    innovation=innovation,
                    organisation=organisation,
                    stage=stage,
                    local_lead=at_site.get(organisation.pk),
                    # When the last stage change was recorded (or the site was added).
                    updated_at=self.now - timedelta(days=offsets[-1] if offsets else span),
                )
                adoptions.append(adoption)
                events += [
                    AdoptionEvent(
                        adoption=adoption,
                        stage=step,
                        date=today - timedelta(days=days_ago),
                        note=STAGE_NOTES[step],
                        recorded_by=lead,
                        recorded_at=self.now - timedelta(days=days_ago),
                    )
                    for step, days_ago in zip(steps, offsets, strict=True)
                ]
        Adoption.objects.bulk_create(adoptions, batch_size=BATCH)
        for event in events:
            event.adoption_id = event.adoption.pk
        AdoptionEvent.objects.bulk_create(events, batch_size=BATCH)
        return len(adoptions) + len(events)

    def narratives(self) -> int:
        """Six narratives per innovation, each with two contributors; two innovator contacts
        per innovation."""
        rows, contributors, contacts = [], [], []
        narrative_through = Narrative.contributors.through
        contact_through = Innovation.innovator_contacts.through
        for innovation in self.innovation_list:
            people = [p for p in self.people[innovation.programme_index] if p.user is None]
            for person in self.rng.sample(people, k=min(2, len(people))):
                contacts.append(
                    contact_through(innovation_id=innovation.pk, participant_id=person.pk)
                )
            for audience in Audience:
                narrative = Narrative(
                    innovation=innovation,
                    audience=audience,
                    body=NARRATIVE_BODY.format(
                        innovation=innovation.name, audience=audience.label.lower()
                    ),
                    updated_at=self.now - timedelta(days=self.rng.randint(1, 200)),
                    updated_by=self.programme_users[innovation.programme_index][0][0],
                )
                narrative.contributor_ids = [
                    p.pk for p in self.rng.sample(people, k=min(2, len(people)))
                ]
                rows.append(narrative)
        Narrative.objects.bulk_create(rows, batch_size=BATCH)
        contributors = [
            narrative_through(narrative_id=narrative.pk, participant_id=pk)
            for narrative in rows
            for pk in narrative.contributor_ids
        ]
        narrative_through.objects.bulk_create(contributors, batch_size=ATTENDANCE_BATCH)
        contact_through.objects.bulk_create(contacts, batch_size=BATCH)
        return len(rows) + len(contributors) + len(contacts)

    def feedback(self, plan: Plan) -> int:
        """Feedback spread over the innovations: every kind, most of it new, some
        acknowledged, one in five answered."""
        kinds = list(Feedback.Kind)
        rows = []
        for number in range(plan.feedback):
            innovation = self.innovation_list[number % len(self.innovation_list)]
            kind = kinds[number // len(self.innovation_list) % len(kinds)]
            roll = self.rng.random()
            status = (
                Feedback.Status.ANSWERED
                if roll < 0.2
                else Feedback.Status.ACKNOWLEDGED
                if roll < 0.45
                else Feedback.Status.NEW
            )
            sent = self.now - timedelta(
                days=self.rng.randint(1, 180), hours=self.rng.randint(0, 23)
            )
            answered = status == Feedback.Status.ANSWERED
            rows.append(
                Feedback(
                    innovation=innovation,
                    name="" if number % 3 else self.person_name(),
                    email="" if number % 2 else f"adopter{number}@example.net",
                    site=self.rng.choice(self.programme_orgs[innovation.programme_index]).name,
                    kind=kind,
                    body=FEEDBACK_BODIES[kind],
                    status=status,
                    response="Thank you: we have looked into it and replied." if answered else "",
                    responded_at=sent + timedelta(days=2) if answered else None,
                    responded_by=self.programme_users[innovation.programme_index][0][0]
                    if answered
                    else None,
                    created_at=sent,
                )
            )
        Feedback.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)

    def person_name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def participants(self, plan: Plan, organisations: list[Organisation]) -> int:
        """Each programme draws its people from its own cluster of organisations (the first,
        region-wide programme from a cluster twice the size). Its users' records come first."""
        cluster = min(len(organisations), max(10, 4 * len(organisations) // plan.programmes))
        self.people: list[list[Participant]] = []
        # Per programme: the participant records of its facilitators with accounts.
        self.facilitators: list[list[Participant]] = [[] for _ in self.programme_list]
        self.programme_orgs: list[list[Organisation]] = []
        rows = []
        serial = 0
        for index, (programme, size) in enumerate(
            zip(self.programme_list, plan.programme_sizes(), strict=True)
        ):
            width = min(len(organisations), cluster * (2 if index == 0 else 1))
            start = index * len(organisations) // plan.programmes
            orgs = [organisations[(start + k) % len(organisations)] for k in range(width)]
            self.programme_orgs.append(orgs)
            people = [
                self.participant(programme, user.name, user.email, orgs[0], RoleGroup.OPERATIONAL)
                for user, _role in self.programme_users[index]
            ]
            for person, (user, role) in zip(people, self.programme_users[index], strict=True):
                person.user = user
                if role == Membership.Role.FACILITATOR and user is not self.bench_user:
                    self.facilitators[index].append(person)
            while len(people) < size:
                serial += 1
                organisation = self.rng.choice(orgs)
                group = self.rng.choice(
                    SECTOR_ROLE_GROUPS.get(organisation.sector, STAFF_ROLE_GROUPS)
                )
                name = self.person_name()
                email = "" if group == RoleGroup.PATIENT and serial % 2 else None
                people.append(self.participant(programme, name, email, organisation, group, serial))
            self.people.append(people)
            rows += people
        Participant.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)

    def participant(self, programme, name, email, organisation, group, serial=0) -> Participant:
        if email is None:
            email = f"{name.lower().replace(' ', '.')}.{serial}@example.net"
        return Participant(
            programme=programme,
            name=name,
            email=email,
            organisation=organisation,
            job_title="",
            role_group=group,
            level=Level.FRONTLINE if group == RoleGroup.PATIENT else self.rng.choice(list(Level)),
            lived_experience=group == RoleGroup.PATIENT,
            consent_recorded=True,
            consent_contact=self.rng.random() < 0.8,
            consent_named=self.rng.random() < 0.6,
            consent_updated_at=self.now,
        )

    # Spaces and meetings -----------------------------------------------------------------------

    def spaces(self, plan: Plan) -> int:
        kinds = list(AdaptiveSpace.Kind)
        spaces, self.space_people = [], {}
        for index, (programme, count) in enumerate(
            zip(self.programme_list, _spread(plan.spaces, plan.programmes), strict=True)
        ):
            for number in range(count):
                topic = TOPICS[(index + number) % len(TOPICS)]
                kind = kinds[number % len(kinds)]
                name = f"{topic} {kind.label.lower()} {number + 1}"
                space = AdaptiveSpace(
                    programme=programme,
                    name=name[0].upper() + name[1:],
                    slug=slugify(name),
                    purpose=f"A {kind.label.lower()} on {topic.lower()}.",
                    kind=kind,
                    ground_rules="Share the real picture. Challenge ideas, not people.",
                    confidentiality=AdaptiveSpace.Confidentiality.CHATHAM_HOUSE
                    if len(spaces) % 5 == 1  # one space in five across the region
                    else AdaptiveSpace.Confidentiality.STANDARD,
                    cadence="Weekly",
                )
                space.programme_index = index
                spaces.append(space)
        AdaptiveSpace.objects.bulk_create(spaces, batch_size=BATCH)
        self.space_list = spaces
        members = []
        for space in spaces:
            members += self.space_members(space)
        members += self.bench_memberships()
        SpaceMember.objects.bulk_create(members, batch_size=BATCH)
        return len(spaces) + len(members)

    def space_members(self, space: AdaptiveSpace) -> list[SpaceMember]:
        """16 to 24 people; one of the programme's facilitators (with an account) and one
        other person facilitate. The bench user is added separately."""
        index = space.programme_index
        others = [p for p in self.people[index] if p.user is None]
        facilitator = self.rng.choice(self.facilitators[index])
        chosen = self.rng.sample(others, k=min(len(others), self.rng.randint(16, 24)))
        self.space_people[space.pk] = [facilitator, *chosen]
        return [
            SpaceMember(space=space, participant=facilitator, role=SpaceMember.Role.FACILITATOR)
        ] + [
            SpaceMember(
                space=space,
                participant=person,
                role=SpaceMember.Role.FACILITATOR if number == 0 else SpaceMember.Role.PARTICIPANT,
            )
            for number, person in enumerate(chosen)
        ]

    def bench_memberships(self) -> list[SpaceMember]:
        """Ten spaces for the bench user: six in the first programme (facilitating two) and two
        in each of the next two; more from the first programme if those are small."""
        by_programme: dict[int, list[AdaptiveSpace]] = {}
        for space in self.space_list:
            by_programme.setdefault(space.programme_index, []).append(space)
        wanted = [by_programme.get(0, [])[:6], by_programme.get(1, [])[:2]]
        wanted.append(by_programme.get(2, [])[:2])
        picked = [space for group in wanted for space in group]
        spare = [s for s in by_programme.get(0, []) if s not in picked]
        picked += spare[: max(0, BENCH_SPACES - len(picked))]
        rows = []
        for number, space in enumerate(picked):
            person = self.people[space.programme_index][0]  # the bench user's record
            role = SpaceMember.Role.FACILITATOR if number < 2 else SpaceMember.Role.PARTICIPANT
            rows.append(SpaceMember(space=space, participant=person, role=role))
            self.space_people[space.pk].append(person)
        return rows

    def meetings(self, plan: Plan) -> list[MeetingRow]:
        """Weekly meetings per space up to a few days ago, then three planned ones. The latest
        past meeting is held but not logged; about one in thirty was cancelled."""
        rows: list[MeetingRow] = []
        pending: list[tuple[Meeting, bool]] = []
        for space, count in zip(
            self.space_list, _spread(plan.meetings, len(self.space_list)), strict=True
        ):
            logger = self.facilitators[space.programme_index][0].user
            latest = self.now - timedelta(days=self.rng.randint(2, 6))
            future = min(FUTURE_MEETINGS, count - 2)
            for number in range(count):
                weeks_back = count - future - 1 - number  # 0: the latest past meeting
                starts = datetime.combine(
                    (latest - weeks_back * MEETING_INTERVAL).date(),
                    clock(10, 0),
                    tzinfo=timezone.get_current_timezone(),
                )
                ends = starts + timedelta(minutes=90)
                status, logged = Meeting.Status.HELD, weeks_back > 0
                if weeks_back < 0:
                    status, logged = Meeting.Status.PLANNED, False
                elif weeks_back > 1 and self.rng.random() < 1 / 30:
                    status, logged = Meeting.Status.CANCELLED, False
                meeting = Meeting(
                    space=space,
                    title=f"{space.name}: week {number + 1}",
                    starts_at=starts,
                    ends_at=ends,
                    format=self.rng.choice(list(Meeting.Format)),
                    location="Microsoft Teams",
                    status=status,
                    created_at=starts - timedelta(days=14),
                )
                if logged:
                    meeting.notes = self.rng.choice(NOTES).format(space=space.name)
                    meeting.tensions = self.rng.choice(TENSIONS)
                    meeting.decisions = self.rng.choice(DECISIONS)
                    meeting.logged_by = logger
                    meeting.logged_at = ends + timedelta(hours=20)
                pending.append((meeting, logged))
            if len(pending) >= BATCH:
                rows += self.save_meetings(pending)
                pending = []
        rows += self.save_meetings(pending)
        # The benchmark's meeting log page: the first space's latest logged meeting.
        first_space = self.space_list[0]
        summit = next(r for r in reversed(rows) if r.space is first_space and r.logged)
        summit.summit = True
        Meeting.objects.filter(pk=summit.pk).update(title=SUMMIT_TITLE)
        self.meeting_rows = rows
        return rows

    def save_meetings(self, pending: list[tuple[Meeting, bool]]) -> list[MeetingRow]:
        Meeting.objects.bulk_create([meeting for meeting, _ in pending], batch_size=BATCH)
        return [
            MeetingRow(meeting.pk, meeting.space, meeting.starts_at, meeting.ends_at, logged)
            for meeting, logged in pending
        ]

    @staticmethod
    def held(meetings: list[MeetingRow]) -> list[MeetingRow]:
        return [row for row in meetings if row.logged]

    def attendance(self, plan: Plan, held: list[MeetingRow]) -> int:
        """Logged meetings share the attendance total evenly (the summit has its 200); most
        attendees are space members, one or two come from elsewhere in the programme."""
        ordinary = [row for row in held if not row.summit]
        sizes = iter(_spread(plan.attendances - SUMMIT_SIZE, len(ordinary)))
        practice_ids = list(Practice.objects.values_list("pk", flat=True))
        through = Meeting.practices.through
        total = 0
        for start in range(0, len(held), MEETING_CHUNK):
            attendances, actions, practices = [], [], []
            for row in held[start : start + MEETING_CHUNK]:
                came = self.attendees(row, SUMMIT_SIZE if row.summit else next(sizes))
                for person, status in came:
                    attendances.append(
                        Attendance(meeting_id=row.pk, participant=person, status=status)
                    )
                practices += [
                    through(meeting_id=row.pk, practice_id=pk)
                    for pk in self.rng.sample(practice_ids, k=self.rng.randint(1, 3))
                ]
                if self.rng.random() < 0.5:
                    actions.append(self.action(row, [p for p, s in came if s == "attended"]))
            for rows, model, size in (
                (attendances, Attendance, ATTENDANCE_BATCH),
                (actions, Action, BATCH),
                (practices, through, ATTENDANCE_BATCH),
            ):
                model.objects.bulk_create(rows, batch_size=size)
            total += len(attendances) + len(actions) + len(practices)
        return total

    def attendees(self, row: MeetingRow, size: int) -> list[tuple[Participant, str]]:
        members = self.space_people[row.space.pk]
        programme_people = self.people[row.space.programme_index]
        if row.summit:
            chosen = self.rng.sample(programme_people, k=size)
            return [(person, Attendance.Status.ATTENDED) for person in chosen]
        size = min(size, len(programme_people))
        guests = min(2, size // 5)
        from_members = min(len(members), size - guests)
        chosen = self.rng.sample(members, k=from_members)
        taken = {id(person) for person in chosen}
        while len(chosen) < size:
            person = self.rng.choice(programme_people)
            if id(person) not in taken:
                taken.add(id(person))
                chosen.append(person)
        statuses = []
        for number, person in enumerate(chosen):
            roll = self.rng.random()
            status = Attendance.Status.ATTENDED
            if number < from_members and number > 0 and roll < 0.12:
                status = Attendance.Status.APOLOGIES if roll < 0.08 else Attendance.Status.ABSENT
            statuses.append((person, status))
        return statuses

    def action(self, row: MeetingRow, came: list[Participant]) -> Action:
        """Due two to six weeks after the meeting, most of the old ones done; one in three
        serves a planned activity of the programme."""
        due = row.starts_at.date() + timedelta(days=self.rng.randint(14, 42))
        done = due < self.now.date() - timedelta(days=7) and self.rng.random() < 0.8
        activities = self.activity_ids[row.space.programme_index]
        serves = self.rng.choice(activities) if self.rng.random() < 1 / 3 else None
        return Action(
            planned_activity_id=serves,
            programme_id=row.space.programme_id,
            meeting_id=row.pk,
            title=self.rng.choice(ACTION_TITLES),
            owner=self.rng.choice(came) if came else None,
            due=due,
            status=Action.Status.DONE if done else Action.Status.OPEN,
            done_at=row.ends_at + timedelta(days=10) if done else None,
            created_at=row.ends_at,
        )

    def learning(self, plan: Plan, held: list[MeetingRow]) -> int:
        """Learning entries spread over the logged meetings, three in five published."""
        rows = []
        innovations: dict[int, list[int]] = {}
        for innovation in self.innovation_list:
            innovations.setdefault(innovation.programme_id, []).append(innovation.pk)
        self.area_ids = list(ActivityArea.objects.values_list("pk", flat=True))
        for number in range(plan.learning_entries):
            row = held[number % len(held)]
            space = row.space
            title, kind = LEARNING[number % len(LEARNING)]
            published = self.rng.random() < 0.6
            if space.is_chatham_house:
                visibility = LearningEntry.Visibility.SPACE
            elif published and self.rng.random() < 0.3:
                visibility = LearningEntry.Visibility.PUBLIC
            else:
                visibility = LearningEntry.Visibility.PROGRAMME
            created = row.ends_at + timedelta(hours=20)
            rows.append(
                LearningEntry(
                    programme_id=space.programme_id,
                    # Half about one of the programme's two innovations, in turn.
                    innovation_id=innovations[space.programme_id][number // 2 % 2]
                    if number % 2
                    else None,
                    site=self.rng.choice(self.programme_orgs[space.programme_index])
                    if number % 3 == 0
                    else None,
                    title=title,
                    body=LEARNING_BODY.format(space=space.name),
                    kind=kind,
                    source_meeting_id=row.pk,
                    visibility=visibility,
                    status=LearningEntry.Status.PUBLISHED
                    if published
                    else LearningEntry.Status.DRAFT,
                    author=self.facilitators[space.programme_index][0].user,
                    created_at=created,
                    published_at=created + timedelta(days=3) if published else None,
                    review_by=(created + timedelta(days=180)).date() if number % 4 == 0 else None,
                )
            )
            if len(rows) >= BATCH * 5:
                self.save_learning(rows)
                rows = []
        self.save_learning(rows)
        return plan.learning_entries

    def save_learning(self, rows: list[LearningEntry]) -> None:
        """The entries, each tagged with one or two of the ten areas."""
        LearningEntry.objects.bulk_create(rows, batch_size=BATCH)
        through = LearningEntry.areas.through
        tags = [
            through(learningentry_id=entry.pk, activityarea_id=area_id)
            for entry in rows
            for area_id in self.rng.sample(self.area_ids, k=self.rng.randint(1, 2))
        ]
        through.objects.bulk_create(tags, batch_size=ATTENDANCE_BATCH)

    # Planning: activities, assessments and the local knowledge register ----------------------

    def planned_activities(self, plan: Plan) -> int:
        """Each programme's share, spread across the ten areas, with one or two of the area's
        practices; owners and spaces from the programme; about a third due in the past."""
        practices: dict[int, list[int]] = {}
        for practice in Practice.objects.order_by("pk"):
            practices.setdefault(practice.area_id, []).append(practice.pk)
        areas = list(ActivityArea.objects.order_by("number"))
        spaces: dict[int, list[AdaptiveSpace]] = {}
        for space in self.space_list:
            spaces.setdefault(space.programme_index, []).append(space)
        status = PlannedActivity.Status
        # A cycle of eleven, so that no area gets the same status every time.
        statuses = [
            *(status.PLANNED, status.IN_PROGRESS, status.DONE, status.PLANNED, status.IDEA),
            *(status.IN_PROGRESS, status.DONE, status.PLANNED, status.DONE, status.DROPPED),
            status.IN_PROGRESS,
        ]
        rows = []
        for index, (programme, count) in enumerate(
            zip(self.programme_list, _spread(plan.planned_activities, plan.programmes), strict=True)
        ):
            lead = self.programme_users[index][0][0]
            for number in range(count):
                area = areas[number % len(areas)]
                verb, thing = ACTIVITY_TITLES[number % len(ACTIVITY_TITLES)]
                due = self.now.date() + timedelta(days=self.rng.randint(-120, 240))
                activity = PlannedActivity(
                    programme=programme,
                    area=area,
                    title=f"{verb} {thing} ({area.title.lower()}, {number // len(areas) + 1})",
                    description="Why it matters, who is involved and what done looks like.",
                    owner=self.rng.choice(self.people[index]),
                    space=self.rng.choice(spaces[index]) if self.rng.random() < 0.5 else None,
                    due=due if self.rng.random() < 0.9 else None,
                    status=statuses[number % len(statuses)],
                    created_by=lead,
                    created_at=self.now - timedelta(days=self.rng.randint(1, 365)),
                    updated_at=self.now,
                )
                activity.programme_index = index
                activity.practice_ids = self.rng.sample(
                    practices[area.pk], k=min(len(practices[area.pk]), self.rng.randint(1, 2))
                )
                rows.append(activity)
        PlannedActivity.objects.bulk_create(rows, batch_size=BATCH)
        through = PlannedActivity.practices.through
        links = [
            through(plannedactivity_id=activity.pk, practice_id=pk)
            for activity in rows
            for pk in activity.practice_ids
        ]
        through.objects.bulk_create(links, batch_size=ATTENDANCE_BATCH)
        self.activity_ids: list[list[int]] = [[] for _ in self.programme_list]
        for activity in rows:
            self.activity_ids[activity.programme_index].append(activity.pk)
        return len(rows) + len(links)

    def assessments(self, plan: Plan) -> int:
        """A few per programme over the past year, each rating all seven domains; most
        programmes are complex somewhere, a few simple and independent."""
        rows, ratings = [], []
        leaning = [Rating.COMPLEX, Rating.COMPLICATED, Rating.SIMPLE, Rating.UNKNOWN]
        for index, (programme, count) in enumerate(
            zip(self.programme_list, _spread(plan.assessments, plan.programmes), strict=True)
        ):
            simple = index % 5 == 4
            for number in range(count):
                assessment = ComplexityAssessment(
                    programme=programme,
                    interdependence=ComplexityAssessment.Interdependence.INDEPENDENT
                    if simple
                    else ComplexityAssessment.Interdependence.INTERDEPENDENT,
                    summary="Discussed at the programme board.",
                    assessed_at=self.now - timedelta(days=round(360 * (count - number) / count)),
                    assessed_by=self.programme_users[index][0][0],
                )
                rows.append(assessment)
                weights = [0, 3, 6, 1] if simple else [4, 3, 2, 1]
                ratings += [
                    DomainRating(
                        assessment=assessment,
                        domain=domain,
                        rating=self.rng.choices(leaning, weights)[0],
                        note="What the group said about this domain.",
                    )
                    for domain in Domain
                ]
        ComplexityAssessment.objects.bulk_create(rows, batch_size=BATCH)
        for rating in ratings:
            rating.assessment_id = rating.assessment.pk
        DomainRating.objects.bulk_create(ratings, batch_size=BATCH)
        return len(rows) + len(ratings)

    def local_knowledge(self, plan: Plan) -> int:
        """Each programme's share of the register: every kind, a quarter for the whole
        programme, a quarter high impact, one in five closed."""
        kinds = list(LocalKnowledge.Kind)
        impacts = list(LocalKnowledge.Impact)
        rows = []
        for index, (programme, count) in enumerate(
            zip(self.programme_list, _spread(plan.local_knowledge, plan.programmes), strict=True)
        ):
            for number in range(count):
                kind = kinds[number % len(kinds)]
                closed = self.rng.random() < 0.2
                created = self.now - timedelta(days=self.rng.randint(30, 365))
                rows.append(
                    LocalKnowledge(
                        programme=programme,
                        site=None
                        if self.rng.random() < 0.25
                        else self.rng.choice(self.programme_orgs[index]),
                        kind=kind,
                        title=f"{KNOWLEDGE_TITLES[kind]} ({number // len(kinds) + 1})",
                        description="What we know, and how it could get in the way.",
                        impact=self.rng.choices(impacts, [35, 40, 25])[0],
                        mitigation="What is being done about it." if number % 3 else "",
                        owner=self.rng.choice(self.people[index]),
                        status=LocalKnowledge.Status.CLOSED
                        if closed
                        else LocalKnowledge.Status.OPEN,
                        closed_at=created + timedelta(days=20) if closed else None,
                        created_by=self.programme_users[index][0][0],
                        created_at=created,
                        updated_at=created,
                    )
                )
        LocalKnowledge.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)
