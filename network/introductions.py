"""Introductions (DESIGN section 11): who should meet whom, and the introductions made.

Suggestions are ranked, each with its reason in plain words, of three kinds, in this order:

1. **Adoption**: a person at a site still exploring, preparing or testing an innovation who has
   no tie to anyone at a site that has adopted or sustained it, with a person at such a site.
2. **Groups**: two sectors, or two organisations, of the programme with no tie between them,
   with one person from each.
3. **Shared interest**: two people at different organisations who share something but have
   never met: an innovation (its local leads and innovator contacts), or an open local
   knowledge concern of the same kind (activities.LocalKnowledge, by its owners). Areas of
   expertise arrive in a later step: add a source to `SHARED_INTEREST_SOURCES`.

Only people who may be named (network.access.may_name), agreed to be contacted and have an
email address are suggested. Ties are attendance (marked attended at a held meeting of the
programme, all time) and the introductions already made; a pair with any introduction, made,
met or declined, is never suggested again. Within a kind, the suggestions that would connect
most come first: the two people's cross-boundary ties (contacts at other organisations), fewest
first; then names, so the list is the same on every visit. Each kind has a third of the list
before the others fill what it leaves, and each person appears once per kind, unless the list
would otherwise be short: then at most twice in all.

Everything is read in a fixed number of queries (`_Facts.load`: six), whatever the size.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from itertools import combinations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from activities.models import LocalKnowledge
from convening.models import Adoption, Innovation, Participant, Programme, Sector
from learning.subscriptions import PUBLISH_TRANSPORT_OPTIONS
from spaces.models import Attendance, Meeting

from .access import may_name
from .models import Introduction

logger = logging.getLogger(__name__)

# Queued by name: network/tasks.py declares the task with it.
SEND_INTRODUCTION_TASK = "network.tasks.send_introduction"

MAX_SUGGESTIONS = 20
# How many times one person may appear in the list, when it is filled past one per kind.
MAX_PER_PERSON = 2

ADOPTING = (Adoption.Stage.EXPLORING, Adoption.Stage.PREPARING, Adoption.Stage.TESTING)
ADOPTED = (Adoption.Stage.ADOPTED, Adoption.Stage.SUSTAINED)


class Kind:
    ADOPTION = 1
    GROUPS = 2
    SHARED = 3

    LABELS = {ADOPTION: "Adoption", GROUPS: "Groups that have never met", SHARED: "Shared interest"}


@dataclass(frozen=True)
class Suggestion:
    kind: int
    person_a: Participant
    person_b: Participant
    reason: str
    # Lower is first: the two people's cross-boundary ties, then names.
    rank: tuple = field(compare=False, default=())

    @property
    def kind_label(self) -> str:
        return Kind.LABELS[self.kind]

    @property
    def pair(self) -> tuple[int, int]:
        return pair_of(self.person_a.pk, self.person_b.pk)


def pair_of(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def contact_address(person: Participant) -> str:
    """Where an introduction reaches the person: their own address in the programme, else
    their account's."""
    if person.email:
        return person.email
    return person.user.email if person.user_id and person.user else ""


def may_introduce(person: Participant) -> bool:
    """Named, agreed to be contacted, and reachable by email."""
    return may_name(person) and person.consent_contact and bool(contact_address(person))


# Reading the programme, in a fixed number of queries ------------------------------------------


# The fields of a person the suggestions and their page use: a region programme has thousands.
PERSON_FIELDS = (
    "name",
    "email",
    "job_title",
    "programme_id",
    "organisation__name",
    "organisation__sector",
    "consent_recorded",
    "consent_contact",
    "anonymised_at",
    "user__email",
)


@dataclass
class _Facts:
    people: dict[int, Participant]
    # person -> the people they are tied to (met at a held meeting, or introduced)
    ties: dict[int, set[int]]
    # Pairs of organisations (ids) and of sectors whose people are tied, each pair sorted.
    groups_met: dict[str, set[tuple]]
    introduced: set[tuple[int, int]]
    adoptions: list[tuple]  # (innovation id, innovation name, site id, stage, local lead id)
    innovator_contacts: list[tuple[int, int]]  # (innovation id, person id)
    concerns: list[tuple]  # (kind, kind label, title, owner id)
    _cross_ties: dict[int, int] = field(default_factory=dict)

    @classmethod
    def load(cls, programme: Programme) -> _Facts:
        people = {
            person.pk: person
            for person in Participant.objects.filter(programme=programme)
            .select_related("organisation", "user")
            .only(*PERSON_FIELDS)
            .order_by("pk")
        }
        groups = {
            "organisation": {
                pk: p.organisation_id for pk, p in people.items() if p.organisation_id
            },
            "sector": {pk: p.organisation.sector for pk, p in people.items() if p.organisation_id},
        }
        ties: dict[int, set[int]] = defaultdict(set)
        groups_met: dict[str, set[tuple]] = {boundary: set() for boundary in groups}
        for attendees in _attendees_by_meeting(programme).values():
            for person_id in attendees:
                ties[person_id] |= attendees
            for boundary, group_of in groups.items():
                present = sorted({group_of[pk] for pk in attendees if pk in group_of})
                groups_met[boundary].update(combinations(present, 2))
        for person_id in ties:
            ties[person_id].discard(person_id)
        introduced = set()
        for a, b, status in Introduction.objects.filter(programme=programme).values_list(
            "person_a_id", "person_b_id", "status"
        ):
            introduced.add(pair_of(a, b))
            if status != Introduction.Status.DECLINED:
                ties[a].add(b)
                ties[b].add(a)
                for boundary, group_of in groups.items():
                    if a in group_of and b in group_of and group_of[a] != group_of[b]:
                        groups_met[boundary].add(tuple(sorted((group_of[a], group_of[b]))))
        adoptions = list(
            Adoption.objects.filter(innovation__programme=programme)
            .order_by("innovation__name", "innovation_id", "organisation__name", "pk")
            .values_list(
                "innovation_id", "innovation__name", "organisation_id", "stage", "local_lead_id"
            )
        )
        innovator_contacts = list(
            Innovation.innovator_contacts.through.objects.filter(innovation__programme=programme)
            .order_by("innovation_id", "participant_id")
            .values_list("innovation_id", "participant_id")
        )
        labels = dict(LocalKnowledge.Kind.choices)
        concerns = [
            (kind, labels.get(kind, kind), title, owner_id)
            for kind, title, owner_id in LocalKnowledge.objects.for_programme(programme)
            .open()
            .filter(owner__isnull=False)
            .order_by("kind", "title", "pk")
            .values_list("kind", "title", "owner_id")
        ]
        return cls(people, ties, groups_met, introduced, adoptions, innovator_contacts, concerns)

    def organisation_of(self, person_id: int) -> int | None:
        person = self.people.get(person_id)
        return person.organisation_id if person else None

    def cross_ties(self, person_id: int) -> int:
        """How many of the person's ties reach another organisation."""
        if person_id not in self._cross_ties:
            own = self.organisation_of(person_id)
            people = self.people
            self._cross_ties[person_id] = sum(
                1
                for other in self.ties.get(person_id, ())
                if other in people and people[other].organisation_id != own
            )
        return self._cross_ties[person_id]

    def tied(self, a: int, b: int) -> bool:
        return b in self.ties.get(a, ())


def _attendees_by_meeting(programme: Programme) -> dict[int, set[int]]:
    """Who attended each held meeting of the programme, all time (one query)."""
    attendees: dict[int, set[int]] = defaultdict(set)
    for meeting_id, person_id in (
        Attendance.objects.filter(
            meeting__space__programme=programme,
            meeting__status=Meeting.Status.HELD,
            status=Attendance.Status.ATTENDED,
        )
        .order_by()
        .values_list("meeting_id", "participant_id")
    ):
        attendees[meeting_id].add(person_id)
    return attendees


# The three kinds -------------------------------------------------------------------------------


class _Ranker:
    """Builds suggestions of one kind with their rank, from the facts."""

    def __init__(self, facts: _Facts) -> None:
        self.facts = facts
        self.eligible = {pk for pk, person in facts.people.items() if may_introduce(person)}
        self._sorted: dict[frozenset[int], list[int]] = {}

    def suggestion(self, kind: int, a: int, b: int, reason: str, first: int = 0) -> Suggestion:
        people = self.facts.people
        person_a, person_b = people[a], people[b]
        rank = (
            first,
            self.facts.cross_ties(a) + self.facts.cross_ties(b),
            person_a.name.lower(),
            person_b.name.lower(),
            a,
            b,
        )
        return Suggestion(kind, person_a, person_b, reason, rank)

    def open_pair(self, a: int, b: int) -> bool:
        """Both may be introduced, they are two people, and nothing ties or introduced them."""
        return (
            a != b
            and a in self.eligible
            and b in self.eligible
            and pair_of(a, b) not in self.facts.introduced
            and not self.facts.tied(a, b)
        )

    def by_connection(self, ids: Iterable[int]) -> list[int]:
        """People fewest cross-boundary ties first, then by name: whom an introduction helps
        most. Only those who may be introduced."""
        ids = frozenset(pk for pk in ids if pk in self.eligible)
        if ids not in self._sorted:
            people = self.facts.people
            self._sorted[ids] = sorted(
                ids, key=lambda pk: (self.facts.cross_ties(pk), people[pk].name.lower(), pk)
            )
        return self._sorted[ids]


def _org_name(person: Participant) -> str:
    return person.organisation.name if person.organisation_id else "no organisation recorded"


def adoption_suggestions(ranker: _Ranker) -> list[Suggestion]:
    """Kind 1: a person at a site exploring, preparing or testing an innovation who has no tie
    to anyone at a site that has adopted or sustained it, with someone at such a site. The
    sites' local leads come first: they carry the adoption."""
    facts = ranker.facts
    people_at: dict[int, list[int]] = defaultdict(list)
    for pk in ranker.eligible:
        organisation_id = facts.organisation_of(pk)
        if organisation_id:
            people_at[organisation_id].append(pk)
    by_innovation: dict[int, list[tuple]] = defaultdict(list)
    for row in facts.adoptions:
        by_innovation[row[0]].append(row)
    suggestions = []
    for rows in by_innovation.values():
        adopted = [row for row in rows if row[3] in ADOPTED]
        adopted_all = {
            pk
            for pk, person in facts.people.items()
            if person.organisation_id in {row[2] for row in adopted}
        }
        partners = [(pk, row) for row in adopted for pk in people_at[row[2]]]
        for _, innovation_name, site_id, stage, local_lead_id in rows:
            if stage not in ADOPTING:
                continue
            for pk in people_at[site_id]:
                if facts.ties.get(pk, set()) & adopted_all:
                    continue
                for partner, row in partners:
                    if not ranker.open_pair(pk, partner):
                        continue
                    person, other = facts.people[pk], facts.people[partner]
                    reason = (
                        f"{_org_name(person)} is {Adoption.Stage(stage).label.lower()} "
                        f"{innovation_name}, and nobody there has met anyone at a site that "
                        f"has adopted it; {_org_name(other)} has."
                    )
                    not_leads = (pk != local_lead_id) + (partner != row[4])
                    suggestions.append(
                        ranker.suggestion(Kind.ADOPTION, pk, partner, reason, not_leads)
                    )
    return suggestions


def group_suggestions(ranker: _Ranker) -> list[Suggestion]:
    """Kind 2: two sectors of the programme whose people have never met, then two
    organisations (not already covered by their sectors); one person from each, the one an
    introduction connects most."""
    facts = ranker.facts
    members: dict[str, dict] = {"sector": defaultdict(set), "organisation": defaultdict(set)}
    organisations = {}
    for pk, person in facts.people.items():
        if person.organisation_id:
            members["sector"][person.organisation.sector].add(pk)
            members["organisation"][person.organisation_id].add(pk)
            organisations[person.organisation_id] = person.organisation
    sector_labels = dict(Sector.choices)
    suggestions = []
    for boundary, first in (("sector", 0), ("organisation", 1)):
        met = facts.groups_met[boundary]
        for pair in combinations(sorted(members[boundary]), 2):
            if pair in met:
                continue
            if boundary == "sector":
                label_a, label_b = (sector_labels[key] for key in pair)
            else:
                one, two = (organisations[key] for key in pair)
                sectors = tuple(sorted((one.sector, two.sector)))
                if one.sector != two.sector and sectors not in facts.groups_met["sector"]:
                    continue  # said once, for the sectors
                label_a, label_b = one.name, two.name
            people = _group_representatives(ranker, *(members[boundary][key] for key in pair))
            if people is None:
                continue
            reason = (
                f"Nobody from {label_a} has met anyone from {label_b} in this programme: "
                f"an introduction would be the first tie between the two {boundary}s."
            )
            suggestions.append(ranker.suggestion(Kind.GROUPS, *people, reason, first))
    return suggestions


def _group_representatives(ranker: _Ranker, first: set[int], second: set[int]):
    for a in ranker.by_connection(first):
        for b in ranker.by_connection(second):
            if ranker.open_pair(a, b):
                return a, b
    return None


# Where "share an interest" comes from: each source returns (topic, reason, people).
# Areas of expertise (a later step) are one more source here.
SharedInterestSource = Callable[[_Facts], Iterable[tuple[str, str, list[int]]]]


def _shared_innovations(facts: _Facts) -> Iterable[tuple[str, str, list[int]]]:
    names = {row[0]: row[1] for row in facts.adoptions}
    people: dict[int, list[int]] = defaultdict(list)
    for innovation_id, _, _, _, local_lead_id in facts.adoptions:
        if local_lead_id:
            people[innovation_id].append(local_lead_id)
    for innovation_id, person_id in facts.innovator_contacts:
        people[innovation_id].append(person_id)
    for innovation_id, ids in people.items():
        name = names.get(innovation_id, "the same innovation")
        yield name, f"Both work on {name} but have never met.", ids


def _shared_concerns(facts: _Facts) -> Iterable[tuple[str, str, list[int]]]:
    people: dict[tuple[str, str], list[int]] = defaultdict(list)
    for kind, label, _title, owner_id in facts.concerns:
        people[(kind, label)].append(owner_id)
    for (_, label), ids in people.items():
        yield (
            label,
            f"Both own an open local knowledge concern about {label.lower()} but have never met.",
            ids,
        )


SHARED_INTEREST_SOURCES: list[SharedInterestSource] = [_shared_innovations, _shared_concerns]


def shared_interest_suggestions(ranker: _Ranker) -> list[Suggestion]:
    """Kind 3: two people at different organisations who share an innovation or a local
    knowledge concern but have never met."""
    facts = ranker.facts
    suggestions = []
    for source in SHARED_INTEREST_SOURCES:
        for _topic, reason, ids in source(facts):
            for a, b in combinations(sorted(set(ids)), 2):
                if facts.organisation_of(a) == facts.organisation_of(b):
                    continue
                if ranker.open_pair(a, b):
                    suggestions.append(ranker.suggestion(Kind.SHARED, a, b, reason))
    return suggestions


KINDS: list[Callable[[_Ranker], list[Suggestion]]] = [
    adoption_suggestions,
    group_suggestions,
    shared_interest_suggestions,
]


def suggestions(programme: Programme, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """The ranked suggestions for a programme (six queries)."""
    ranker = _Ranker(_Facts.load(programme))
    # Each kind's share of the list; what a kind leaves unused, the others fill, in kind order.
    share = max(1, limit // len(KINDS))
    seen_pairs: set[tuple[int, int]] = set()
    picked, repeats = zip(*(_pick(kind(ranker), seen_pairs) for kind in KINDS), strict=True)
    result = [s for of_kind in picked for s in of_kind[:share]]
    # Then the rest of each kind, then, if the list is still short, suggestions that name
    # someone already in their kind, each person at most MAX_PER_PERSON times in all.
    rest = [s for of_kind in picked for s in of_kind[share:]]
    rest += [s for of_kind in repeats for s in of_kind]
    added = {suggestion.pair for suggestion in result}
    times: dict[int, int] = defaultdict(int)
    for pk in (pk for suggestion in result for pk in suggestion.pair):
        times[pk] += 1
    for suggestion in rest:
        a, b = suggestion.pair
        if len(result) >= limit:
            break
        if suggestion.pair in added or max(times[a], times[b]) >= MAX_PER_PERSON:
            continue
        times[a], times[b] = times[a] + 1, times[b] + 1
        added.add(suggestion.pair)
        result.append(suggestion)
    return sorted(result, key=lambda s: (s.kind, s.rank))


def _pick(candidates: list[Suggestion], seen_pairs: set) -> tuple[list, list]:
    """In rank order, each person at most once in the kind and each pair once in the list;
    and, apart, the suggestions that name someone already picked in the kind."""
    picked, repeats = [], []
    used: set[int] = set()
    for suggestion in sorted(candidates, key=lambda s: s.rank):
        a, b = suggestion.pair
        if suggestion.pair in seen_pairs:
            continue
        if a in used or b in used:
            repeats.append(suggestion)
            continue
        seen_pairs.add(suggestion.pair)
        used.update(suggestion.pair)
        picked.append(suggestion)
    return picked, repeats


# Making an introduction ------------------------------------------------------------------------


class IntroductionRefused(ValueError):
    """The introduction cannot be made; the message says why, in plain words."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def refusal(programme: Programme, person: Participant | None) -> str | None:
    """Why this person cannot be introduced, or None if they can."""
    if person is None or person.programme_id != programme.pk:
        return "Choose someone in this programme."
    if person.anonymised_at is not None:
        return "This person's details have been erased, so they cannot be introduced."
    if not person.consent_recorded:
        return "This person has not agreed to be recorded, so they cannot be introduced."
    if not person.consent_contact:
        return f"{person.name} has not agreed to be contacted, so they cannot be introduced."
    if not contact_address(person):
        return f"{person.name} has no email address: add one to their record first."
    return None


def existing(programme: Programme, a: int, b: int) -> Introduction | None:
    low, high = pair_of(a, b)
    return (
        Introduction.objects.filter(programme=programme, person_a_id=low, person_b_id=high)
        .select_related("person_a", "person_b")
        .first()
    )


def make(
    programme: Programme,
    first: Participant,
    second: Participant,
    *,
    reason: str,
    message: str,
    by,
) -> Introduction:
    """Record the introduction and, once committed, email both people. Raises
    IntroductionRefused with the reason when it cannot be made."""
    for person, field_name in ((first, "person_a"), (second, "person_b")):
        problem = refusal(programme, person)
        if problem:
            raise IntroductionRefused(problem, field_name)
    if first.pk == second.pk:
        raise IntroductionRefused(
            "Choose two different people: someone cannot be introduced to themselves.", "person_b"
        )
    low, high = sorted((first, second), key=lambda person: person.pk)
    already = existing(programme, low.pk, high.pk)
    if already is not None:
        raise IntroductionRefused(_already_said(already))
    try:
        with transaction.atomic():
            introduction = Introduction.objects.create(
                programme=programme,
                person_a=low,
                person_b=high,
                reason=reason,
                message=message,
                made_by=by,
            )
    except IntegrityError:  # made by someone else a moment ago
        already = existing(programme, low.pk, high.pk)
        raise IntroductionRefused(_already_said(already) if already else "Try again.") from None
    transaction.on_commit(partial(_enqueue, introduction.pk))
    return introduction


def _already_said(introduction: Introduction) -> str:
    made_on = timezone.localtime(introduction.made_at)
    return (
        f"{introduction.person_a.name} and {introduction.person_b.name} were already "
        f"introduced on {made_on.day} {made_on:%B %Y} "
        f"({introduction.get_status_display().lower()})."
    )


def default_message(first: Participant, second: Participant, reason: str, by) -> str:
    """The message offered for editing: who each is, and why they should meet."""

    def who(person: Participant) -> str:
        role = f"{person.job_title} at " if person.job_title else "at "
        return f"{person.name}, {role}{_org_name(person)}"

    sender = getattr(by, "name", "") or getattr(by, "email", "")
    lines = [
        f"Dear {first.name} and {second.name},",
        "",
        f"I would like to introduce you to each other: {who(first)}, and {who(second)}.",
        "",
    ]
    if reason:
        lines += [f"Why I think you should talk: {reason}", ""]
    lines += [
        "Please reply to each other to find a time that suits you both.",
        "",
        "Best wishes,",
        sender,
    ]
    return "\n".join(lines)


def decline(introduction: Introduction) -> bool:
    """Mark a made introduction declined (it did not go ahead). Returns whether it changed."""
    now = timezone.now()
    changed = Introduction.objects.filter(
        pk=introduction.pk, status=Introduction.Status.MADE
    ).update(status=Introduction.Status.DECLINED, declined_at=now)
    if changed:
        introduction.status, introduction.declined_at = Introduction.Status.DECLINED, now
    return bool(changed)


# Sending ---------------------------------------------------------------------------------------


def _enqueue(introduction_id: int) -> None:
    from convening.celery import app

    try:
        with app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS) as connection:
            app.tasks[SEND_INTRODUCTION_TASK].apply_async(
                args=[introduction_id], retry=False, connection=connection
            )
    except (BrokerError, RedisError, OSError) as error:
        # Recorded and not sent: send_pending_introductions() picks it up.
        logger.warning("Introduction %s not queued: %s", introduction_id, error)


def send_introduction(introduction_id: int) -> bool:
    """Email the introduction to both people if it has not gone yet. Returns whether this call
    sent it. The claim is given back if sending fails, so a retry or the sweep sends it."""
    now = timezone.now()
    unsent = Introduction.objects.filter(pk=introduction_id, emailed_at__isnull=True)
    if not unsent.update(emailed_at=now):
        return False
    introduction = Introduction.objects.select_related(
        "programme", "person_a__user", "person_b__user", "made_by"
    ).get(pk=introduction_id)
    if not (may_introduce(introduction.person_a) and may_introduce(introduction.person_b)):
        # Consent withdrawn, or erased, since it was made: left claimed, never sent.
        logger.info(
            "Introduction %s not sent: a person may no longer be contacted", introduction_id
        )
        return False
    try:
        _email(introduction).send()
    except BaseException:
        Introduction.objects.filter(pk=introduction_id, emailed_at=now).update(emailed_at=None)
        raise
    return True


def send_pending_introductions() -> int:
    """Send every introduction whose email was never sent (the broker or mail server was
    away). Returns how many were sent."""
    sent = 0
    waiting = Introduction.objects.filter(emailed_at__isnull=True).order_by("pk")
    for introduction_id in waiting.values_list("pk", flat=True):
        try:
            sent += send_introduction(introduction_id)
        except Exception:  # one refused address must not stop the others; it stays waiting
            logger.exception("Introduction %s failed", introduction_id)
    return sent


def _pair_names(introduction: Introduction) -> str:
    return f"{introduction.person_a.name} and {introduction.person_b.name}"


def _email(introduction: Introduction) -> EmailMultiAlternatives:
    sender = introduction.made_by
    context = {
        "introduction": introduction,
        "programme": introduction.programme,
        "sender": (sender.name or sender.email) if sender else "",
        "link": settings.SITE_URL + introduction.programme.get_absolute_url(),
    }
    to = [contact_address(introduction.person_a), contact_address(introduction.person_b)]
    message = EmailMultiAlternatives(
        # A line break in a name would make the header invalid.
        subject=" ".join(f"An introduction: {_pair_names(introduction)}".split()),
        body=render_to_string("network/email/introduction.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address for address in to if address],
        reply_to=[sender.email] if sender and sender.email else None,
    )
    message.attach_alternative(
        render_to_string("network/email/introduction.html", context), "text/html"
    )
    return message


# Met, automatically ----------------------------------------------------------------------------


def mark_met(programme_id: int) -> int:
    """Mark met every made introduction whose two people later attended the same held meeting
    (one that started after the introduction was made), with the first such meeting. Returns
    how many were marked. Two queries, and one UPDATE per introduction marked; a decline made
    meanwhile wins."""
    made = list(
        Introduction.objects.filter(programme_id=programme_id, status=Introduction.Status.MADE)
        .order_by("pk")
        .values_list("pk", "person_a_id", "person_b_id", "made_at")
    )
    if not made:
        return 0
    people = {pk for _, a, b, _ in made for pk in (a, b)}
    earliest = min(row[3] for row in made)
    meetings: dict[int, list] = defaultdict(list)  # person -> [(starts_at, meeting id)]
    for meeting_id, person_id, starts_at in (
        Attendance.objects.filter(
            meeting__space__programme_id=programme_id,
            meeting__status=Meeting.Status.HELD,
            meeting__starts_at__gt=earliest,
            status=Attendance.Status.ATTENDED,
            participant_id__in=people,
        )
        .order_by()
        .values_list("meeting_id", "participant_id", "meeting__starts_at")
    ):
        meetings[person_id].append((starts_at, meeting_id))
    marked = 0
    for pk, a, b, made_at in made:
        together = sorted(
            set(m for m in meetings.get(a, ()) if m[0] > made_at) & set(meetings.get(b, ()))
        )
        if not together:
            continue
        starts_at, meeting_id = together[0]
        marked += Introduction.objects.filter(pk=pk, status=Introduction.Status.MADE).update(
            status=Introduction.Status.MET, met_at=starts_at, met_meeting_id=meeting_id
        )
    return marked


def demo_story(
    programme: Programme,
    first: Participant,
    second: Participant,
    *,
    reason: str,
    by,
    made_at,
) -> Introduction:
    """For demo data: an introduction made at `made_at`, recorded as already emailed so that
    the sweep never writes to demo addresses. Give the two people a held meeting that both
    attended, starting after `made_at`, and call `mark_met(programme.pk)` (the snapshot build
    does): the introduction then shows as one that turned into a meeting."""
    low, high = sorted((first, second), key=lambda person: person.pk)
    return Introduction.objects.create(
        programme=programme,
        person_a=low,
        person_b=high,
        reason=reason,
        message=default_message(low, high, reason, by),
        made_by=by,
        made_at=made_at,
        emailed_at=made_at,
    )


def summary(programme: Programme) -> dict[str, int]:
    """How many introductions were made, met and declined (one query), for the network page:
    `total`, and one count per status."""
    counts = dict.fromkeys(Introduction.Status.values, 0)
    rows = (
        Introduction.objects.filter(programme=programme)
        .order_by()
        .values_list("status")
        .annotate(n=models.Count("pk"))
    )
    counts.update(dict(rows))
    counts["total"] = sum(counts[status] for status in Introduction.Status.values)
    return counts


def summary_of(made: list[Introduction]) -> dict[str, int]:
    """The same counts, from introductions already fetched."""
    counts = dict.fromkeys(Introduction.Status.values, 0)
    for introduction in made:
        counts[introduction.status] += 1
    counts["total"] = len(made)
    return counts


# What introductions hold about a person (convening.personal_data) ---------------------------

INTRODUCTION_EXPORT = ("programme__name", "reason", "message", "status", "made_at", "met_at")
ERASED_REASON = "Not kept: one of the two people was erased."


def register_holdings() -> None:
    """Called from NetworkConfig.ready(). An introduction is kept when one of its people is
    erased, so the programme's counts stay true, but its message and reason, which name them,
    are removed; the person's record itself is anonymised by core."""
    from convening.personal_data import Holding, register

    for side in ("person_a", "person_b"):
        register(
            Holding(
                Introduction,
                "Introductions to another person",
                export=INTRODUCTION_EXPORT,
                erase={"message": "", "reason": ERASED_REASON},
                explain="Kept, with the message and the reason removed.",
                participant=side,
            )
        )
    register(
        Holding(
            Introduction,
            "Introductions made between others",
            export=("programme__name", "reason", "status", "made_at"),
            erase={"made_by": None},
            explain="Kept, no longer saying who made them.",
            user="made_by",
        )
    )


def link_for(programme: Programme) -> str:
    return reverse("introductions", args=[programme.slug])
