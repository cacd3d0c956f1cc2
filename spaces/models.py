"""Adaptive spaces, their members, meetings, attendance, actions and the meeting pulse."""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, Max, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from convening.history import Versioned
from convening.models import NAME_MAX, Participant, Programme, RoleGroup, Sector
from convening.status import Tag, tag, tag_colours

NOTES_MAX = 50_000
REMINDER_LOOKBACK_DAYS = 14


class SpaceQuerySet(models.QuerySet):
    def for_programme(self, programme: Programme) -> SpaceQuerySet:
        return self.filter(programme=programme)

    def visible_to(self, user) -> SpaceQuerySet:
        """Spaces of the programmes the user belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(programme__memberships__user=user)

    def with_meeting_dates(self) -> SpaceQuerySet:
        """Annotate the next planned and the last held meeting start."""
        now = timezone.now()
        return self.annotate(
            next_meeting_at=Min(
                "meetings__starts_at",
                filter=Q(meetings__starts_at__gte=now, meetings__status=Meeting.Status.PLANNED),
            ),
            last_meeting_at=Max(
                "meetings__starts_at",
                filter=Q(meetings__starts_at__lt=now, meetings__status=Meeting.Status.HELD),
            ),
        )

    def where_member(self, user) -> SpaceQuerySet:
        """Spaces in which the user's participant record is a member."""
        # order_by() first: the default ordering would otherwise join the DISTINCT.
        return self.filter(members__participant__user=user).order_by().distinct()


class AdaptiveSpace(Versioned):
    class Kind(models.TextChoices):
        LEARNING_COLLABORATIVE = "learning_collaborative", "Learning collaborative"
        COMMUNITY_OF_PRACTICE = "community_of_practice", "Community of practice"
        DESIGN_WORKSHOP = "design_workshop", "Design workshop"
        CROSS_BOUNDARY_FORUM = "cross_boundary_forum", "Cross-boundary forum"
        HUDDLE = "huddle", "Huddle"
        ONLINE_NETWORK = "online_network", "Online network"

    class Confidentiality(models.TextChoices):
        STANDARD = "standard", "Standard"
        CHATHAM_HOUSE = "chatham_house", "Chatham House"

    @tag_colours(ACTIVE="green", PAUSED="grey", CLOSED="grey")
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="spaces")
    name = models.CharField(max_length=NAME_MAX)
    slug = models.SlugField(max_length=80)
    purpose = models.TextField(max_length=5000, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    ground_rules = models.TextField(max_length=5000, blank=True)
    confidentiality = models.CharField(
        max_length=20, choices=Confidentiality.choices, default=Confidentiality.STANDARD
    )
    cadence = models.CharField(max_length=120, blank=True, help_text="For example, monthly")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    calendar_token = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The feed address is a secret: an old one must not outlive its renewal in the history.
    history = HistoricalRecords(excluded_fields=["calendar_token"])

    objects = SpaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="space_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("space_detail", args=[self.programme.slug, self.slug])

    @property
    def is_chatham_house(self) -> bool:
        return self.confidentiality == self.Confidentiality.CHATHAM_HOUSE

    def renew_calendar_token(self) -> str:
        """Give the space a new private feed address; the old one stops working."""
        self.calendar_token = secrets.token_urlsafe(32)
        self.save(update_fields=["calendar_token"])
        return self.calendar_token

    def revoke_calendar_token(self) -> None:
        self.calendar_token = ""
        self.save(update_fields=["calendar_token"])


@dataclass(frozen=True)
class SpaceMix:
    """Who is in the room, and who is missing, compared with the whole programme."""

    by_organisation: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]
    by_role_group: list[tuple[str, int]]
    by_level: list[tuple[str, int]]
    missing_sectors: list[str]
    missing_role_groups: list[str]


def _counted(labels: list[str]) -> list[tuple[str, int]]:
    return sorted(Counter(labels).items(), key=lambda item: (-item[1], item[0]))


def space_mix(space: AdaptiveSpace, members: list[SpaceMember]) -> SpaceMix:
    """The mix of the given members (already fetched with their organisations)."""
    people = [member.participant for member in members]
    organisations = [p.organisation for p in people if p.organisation]
    programme_people = Participant.objects.filter(programme_id=space.programme_id).order_by()
    programme_sectors = set(
        programme_people.exclude(organisation=None)
        .values_list("organisation__sector", flat=True)
        .distinct()
    )
    programme_role_groups = set(programme_people.values_list("role_group", flat=True).distinct())
    present_sectors = {o.sector for o in organisations}
    present_role_groups = {p.role_group for p in people}
    return SpaceMix(
        by_organisation=_counted([o.name for o in organisations]),
        by_sector=_counted([o.get_sector_display() for o in organisations]),
        by_role_group=_counted([p.get_role_group_display() for p in people]),
        by_level=_counted([p.get_level_display() or "Not known" for p in people]),
        missing_sectors=[
            label for value, label in Sector.choices if value in programme_sectors - present_sectors
        ],
        missing_role_groups=[
            label
            for value, label in RoleGroup.choices
            if value in programme_role_groups - present_role_groups
        ],
    )


class SpaceMember(models.Model):
    class Role(models.TextChoices):
        FACILITATOR = "facilitator", "Facilitator"
        PARTICIPANT = "participant", "Participant"

    space = models.ForeignKey(AdaptiveSpace, on_delete=models.CASCADE, related_name="members")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="space_memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.PARTICIPANT)

    class Meta:
        ordering = ["role", "participant__name"]
        constraints = [
            models.UniqueConstraint(fields=["space", "participant"], name="space_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} in {self.space}"


class MeetingQuerySet(models.QuerySet):
    def for_programme(self, programme: Programme) -> MeetingQuerySet:
        return self.filter(space__programme=programme)

    def held(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.HELD)

    def logged(self) -> MeetingQuerySet:
        """Held meetings with evidence that they happened: the log was saved (`logged_at` is
        set) or someone's attendance was recorded as attended. A meeting only marked held,
        with neither, is not counted as convening."""
        attended = Attendance.objects.filter(
            meeting=OuterRef("pk"), status=Attendance.Status.ATTENDED
        )
        return self.held().filter(Q(logged_at__isnull=False) | Exists(attended))

    def upcoming(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.PLANNED, starts_at__gte=timezone.now())

    def not_logged(self) -> MeetingQuerySet:
        """Meetings that have happened but that nobody has logged yet."""
        return self.exclude(status=Meeting.Status.CANCELLED).filter(logged_at__isnull=True)

    def due_a_log_reminder(self, now=None) -> MeetingQuerySet:
        """Ended more than 24 hours (and less than 14 days) ago, still not logged, and never
        reminded about. Older meetings are left alone, so turning the job on for the first
        time does not send a flood of reminders about the distant past."""
        now = now or timezone.now()
        return self.not_logged().filter(
            ends_at__lt=now - timedelta(hours=24),
            ends_at__gte=now - timedelta(days=REMINDER_LOOKBACK_DAYS),
            log_reminder_sent_at__isnull=True,
        )


class Meeting(Versioned):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "Hybrid"

    @tag_colours(PLANNED="grey", HELD="green", CANCELLED="grey")
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    space = models.ForeignKey(AdaptiveSpace, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=NAME_MAX)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    location = models.CharField("location or link", max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    notes = models.TextField(blank=True, max_length=NOTES_MAX)
    tensions = models.TextField("tensions and disagreements", blank=True, max_length=NOTES_MAX)
    decisions = models.TextField(blank=True, max_length=NOTES_MAX)
    practices = models.ManyToManyField(
        "activities.Practice", blank=True, related_name="meetings", verbose_name="practices served"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_at = models.DateTimeField(null=True, blank=True)
    log_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[practices], excluded_fields=["log_reminder_sent_at"])

    objects = MeetingQuerySet.as_manager()

    # Set again on every save of the log: not a change anyone made.
    HISTORY_HIDDEN = ("logged_at",)
    NOT_LOGGED_TAG = Tag("Held, not logged yet", "orange")

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["space", "-starts_at"]),
            models.Index(fields=["status", "ends_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.space.programme.slug, self.space.slug, self.pk])

    @property
    def state_tag(self) -> Tag:
        """The meeting's status as a tag, flagging a meeting held but not logged yet."""
        if self.status == self.Status.HELD and not self.logged_at:
            return self.NOT_LOGGED_TAG
        return tag(self)

    def record_attendance(self, participant: Participant, status: str) -> Attendance:
        attendance, _ = Attendance.objects.update_or_create(
            meeting=self, participant=participant, defaults={"status": status}
        )
        return attendance


class Attendance(models.Model):
    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ATTENDED)

    class Meta:
        ordering = ["participant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="attendance_unique_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.get_status_display()}"


class ActionQuerySet(models.QuerySet):
    def open(self) -> ActionQuerySet:
        return self.filter(status=Action.Status.OPEN)


class Action(models.Model):
    @tag_colours(OPEN="blue", DONE="green")
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(max_length=NAME_MAX)
    owner = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    planned_activity = models.ForeignKey(
        "activities.PlannedActivity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text="The planned activity this action serves",
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due", "pk"]

    def __str__(self) -> str:
        return self.title

    def mark_done(self) -> None:
        self.status = self.Status.DONE
        self.done_at = timezone.now()
        self.save(update_fields=["status", "done_at"])


class PulseResponse(models.Model):
    """An anonymous answer to a meeting's pulse questions; one per browser per meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="pulse_responses")
    # A hash of a random per-browser value, never of anything that identifies a person.
    respondent_key = models.CharField(max_length=64)
    felt_safe = models.PositiveSmallIntegerField()
    useful = models.PositiveSmallIntegerField()
    stretching = models.PositiveSmallIntegerField()
    new_connections = models.PositiveSmallIntegerField(default=0)
    comment = models.TextField(blank=True, max_length=2000)
    # Day only: a time would help link an answer to the person who left the room first.
    answered_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "respondent_key"], name="pulse_one_answer_per_browser"
            ),
            models.CheckConstraint(
                condition=Q(felt_safe__range=(1, 5))
                & Q(useful__range=(1, 5))
                & Q(stretching__range=(1, 5)),
                name="pulse_scores_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"Pulse answer for {self.meeting}"
