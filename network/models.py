"""Snapshots of who has met whom (DESIGN section 11), and the build state that guards them.

A snapshot is computed from attendance by network.snapshots and written whole in one
transaction: pages only ever read a complete snapshot, and a build that dies midway leaves the
previous one in place. There is at most one snapshot per programme (or for the whole
installation, programme empty) and window; a new build replaces it.

The tables hold what the measures returned, keyed so a page reads each in one query:
- PersonMeasure: one row per person who attended anything in the window;
- GroupMeasure: one row per group (organisation, sector, role group, level, programme) and
  boundary, with the E-I index and, for organisations, the map's layout and the measures of
  the organisation graph;
- GroupTie: ties between two groups of one boundary, people's weights summed;
- WeakPoint: groups never met, organisations with no outside tie, single points of failure;
- MeetingMix: per held meeting and boundary, the groups present and the meeting's E-I.

Names of organisations and groups are copied in at build time (a snapshot is a record of a
moment); people are linked to their participant record, so the pages check consent and
erasure against the record as it is now.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from convening.models import NAME_MAX, Organisation, Participant, Programme
from convening.status import tag_colours


class Window(models.TextChoices):
    DAYS_90 = "90d", "Last 90 days"
    MONTHS_12 = "12m", "Last 12 months"
    ALL = "all", "All time"


DEFAULT_WINDOW = Window.MONTHS_12
WINDOW_DAYS = {Window.DAYS_90: 90, Window.MONTHS_12: 365, Window.ALL: None}


class Boundary(models.TextChoices):
    ORGANISATION = "organisation", "Organisation"
    SECTOR = "sector", "Sector"
    ROLE_GROUP = "role_group", "Role group"
    LEVEL = "level", "Level"
    PROGRAMME = "programme", "Programme"


DEFAULT_BOUNDARY = Boundary.ORGANISATION
# The boundaries that mean something inside one programme (everyone shares the programme).
PROGRAMME_BOUNDARIES = (
    Boundary.ORGANISATION,
    Boundary.SECTOR,
    Boundary.ROLE_GROUP,
    Boundary.LEVEL,
)


class NetworkSnapshotQuerySet(models.QuerySet):
    def for_programme(self, programme: Programme | None) -> NetworkSnapshotQuerySet:
        if programme is None:
            return self.filter(programme__isnull=True)
        return self.filter(programme=programme)

    def for_programme_id(self, programme_id: int | None) -> NetworkSnapshotQuerySet:
        if programme_id is None:
            return self.filter(programme__isnull=True)
        return self.filter(programme_id=programme_id)


class NetworkSnapshot(models.Model):
    """The network of one programme (or the installation) over one window, at one moment."""

    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="network_snapshots",
        help_text="Empty for the whole installation.",
    )
    window = models.CharField(max_length=3, choices=Window.choices)
    computed_at = models.DateTimeField(default=timezone.now)
    # What the inputs looked like (network.snapshots.fingerprint): a sweep compares it with
    # the database to decide whether to build again.
    fingerprint = models.CharField(max_length=64)
    # Counts for the page's summary.
    people = models.PositiveIntegerField(default=0, help_text="People in the programme.")
    people_met = models.PositiveIntegerField(
        default=0, help_text="People who attended a meeting with someone in the window."
    )
    people_not_named = models.PositiveIntegerField(
        default=0, help_text="Of those, people who did not consent to be recorded."
    )
    meetings = models.PositiveIntegerField(default=0)
    ties = models.PositiveIntegerField(default=0)
    power_ties = models.PositiveIntegerField(
        default=0, help_text="Ties between old power (executive, senior) and new power."
    )
    # Per boundary: {"observed", "mean", "low", "high", "compared"} or null.
    ei = models.JSONField(default=dict)
    # [{"label", "new_ties", "new_crossing_ties"}] per boundary, over all time.
    trend = models.JSONField(default=dict)
    # Why the brokers are not ranked, when they are not (too few meetings or people).
    ranking_reason = models.CharField(max_length=300, blank=True)
    build_seconds = models.FloatField(default=0)

    objects = NetworkSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["programme_id", "window"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "window"], name="network_snapshot_one_per_window"
            ),
            models.UniqueConstraint(
                fields=["window"],
                condition=models.Q(programme__isnull=True),
                name="network_snapshot_one_installation_per_window",
            ),
        ]

    def __str__(self) -> str:
        scope = self.programme.name if self.programme_id else "Installation"
        return f"{scope}: {self.get_window_display()} ({self.computed_at:%d %b %Y %H:%M})"


class PersonMeasure(models.Model):
    """One person's place in the network. At installation level, one row per person seen in
    more than one programme (matched by user account or email), linked to one of their
    records."""

    snapshot = models.ForeignKey(NetworkSnapshot, on_delete=models.CASCADE, related_name="persons")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="network_measures"
    )
    meetings = models.PositiveIntegerField(default=0)
    contacts = models.PositiveIntegerField(default=0)
    organisations_met = models.PositiveIntegerField(default=0)
    sectors_met = models.PositiveIntegerField(default=0)
    role_groups_met = models.PositiveIntegerField(default=0)
    levels_met = models.PositiveIntegerField(default=0)
    programmes = models.PositiveIntegerField(default=1)
    # {boundary: share of their ties crossing it, or null}
    crossing = models.JSONField(default=dict)
    betweenness = models.FloatField(null=True, blank=True)
    effective_size = models.FloatField(null=True, blank=True)
    constraint = models.FloatField(null=True, blank=True)
    # Bands that held whichever meeting was dropped (network.measures.stable_bands), or blank.
    betweenness_band = models.CharField(max_length=20, blank=True)
    constraint_band = models.CharField(max_length=20, blank=True)
    # {boundary: {role: count}} (Gould-Fernandez), roles with a count only.
    brokerage = models.JSONField(default=dict)
    # Their contacts by group: {boundary: [[label, count], ...]} most first.
    contacts_by = models.JSONField(default=dict)
    is_single_point = models.BooleanField(default=False)

    class Meta:
        ordering = ["snapshot", "-betweenness", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "participant"], name="person_measure_once_per_snapshot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} in {self.snapshot_id}"


class GroupMeasure(models.Model):
    """One group of one boundary: an organisation, a sector, a role group, a level or (at
    installation level) a programme."""

    snapshot = models.ForeignKey(NetworkSnapshot, on_delete=models.CASCADE, related_name="groups")
    boundary = models.CharField(max_length=12, choices=Boundary.choices)
    # The group's value as the measures saw it: an organisation's or programme's id, or a
    # choice's code (sector, role group, level).
    key = models.CharField(max_length=40)
    label = models.CharField(max_length=NAME_MAX)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sector = models.CharField(max_length=20, blank=True, help_text="Organisations only.")
    people = models.PositiveIntegerField(default=0, help_text="People of the group, met or not.")
    people_met = models.PositiveIntegerField(default=0)
    internal_ties = models.PositiveIntegerField(default=0)
    external_ties = models.PositiveIntegerField(default=0)
    ei = models.FloatField(null=True, blank=True)
    # Organisations: measures of the organisation graph, and the map's fixed-seed layout
    # (0 to 1 on both axes).
    betweenness = models.FloatField(null=True, blank=True)
    constraint = models.FloatField(null=True, blank=True)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    is_single_point = models.BooleanField(default=False)

    class Meta:
        ordering = ["snapshot", "boundary", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "boundary", "key"], name="group_measure_once_per_snapshot"
            )
        ]

    def __str__(self) -> str:
        return self.label


class GroupTie(models.Model):
    """Two groups of one boundary whose people have met: `a_key` < `b_key` as strings."""

    snapshot = models.ForeignKey(
        NetworkSnapshot, on_delete=models.CASCADE, related_name="group_ties"
    )
    boundary = models.CharField(max_length=12, choices=Boundary.choices)
    a_key = models.CharField(max_length=40)
    a_label = models.CharField(max_length=NAME_MAX)
    b_key = models.CharField(max_length=40)
    b_label = models.CharField(max_length=NAME_MAX)
    weight = models.FloatField()
    ties = models.PositiveIntegerField(help_text="Pairs of people behind the tie.")

    class Meta:
        ordering = ["snapshot", "boundary", "-weight", "a_label", "b_label"]
        indexes = [models.Index(fields=["snapshot", "boundary"])]

    def __str__(self) -> str:
        return f"{self.a_label} – {self.b_label}"


class WeakPoint(models.Model):
    class Kind(models.TextChoices):
        SECTOR_NEVER_MET = "sector_never_met", "Sector never met"
        ROLE_GROUP_NEVER_MET = "role_group_never_met", "Role group never met"
        INWARD_ORGANISATION = "inward_organisation", "Organisation with no outside tie"
        PERSON_HOLDS_TOGETHER = "person_single_point", "Person holding parts together"
        ORGANISATION_HOLDS_TOGETHER = (
            "organisation_single_point",
            ("Organisation holding parts together"),
        )

    snapshot = models.ForeignKey(
        NetworkSnapshot, on_delete=models.CASCADE, related_name="weak_points"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=40)
    label = models.CharField(max_length=NAME_MAX, blank=True)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["snapshot", "kind", "label"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label or self.key}"


class MeetingMix(models.Model):
    """Who was in the room across one boundary: the groups present at a held meeting and the
    E-I index of the pairs it brought together."""

    snapshot = models.ForeignKey(
        NetworkSnapshot, on_delete=models.CASCADE, related_name="meeting_mixes"
    )
    meeting = models.ForeignKey("spaces.Meeting", on_delete=models.CASCADE, related_name="+")
    boundary = models.CharField(max_length=12, choices=Boundary.choices)
    attendees = models.PositiveIntegerField()
    groups = models.PositiveIntegerField()
    group_labels = models.JSONField(default=list)
    ei = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["snapshot", "boundary", "meeting"]
        indexes = [models.Index(fields=["snapshot", "boundary"])]

    def __str__(self) -> str:
        return f"{self.meeting_id} by {self.boundary}"


class NetworkBuild(models.Model):
    """Who is building the snapshots of one programme (or, key "installation", of the whole
    installation) and when: claimed with one conditional UPDATE so two workers never build the
    same programme at once, and a programme is built at most once every few minutes."""

    INSTALLATION = "installation"

    key = models.CharField(max_length=40, unique=True)
    programme = models.OneToOneField(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="network_build"
    )
    claim = models.CharField(max_length=32, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key

    @property
    def running(self) -> bool:
        return self.started_at is not None and (
            self.finished_at is None or self.finished_at < self.started_at
        )

    @staticmethod
    def key_for(programme_id: int | None) -> str:
        return f"programme:{programme_id}" if programme_id else NetworkBuild.INSTALLATION


class IntroductionQuerySet(models.QuerySet):
    def for_programme(self, programme: Programme) -> IntroductionQuerySet:
        return self.filter(programme=programme)

    def involving(self, participant: Participant) -> IntroductionQuerySet:
        return self.filter(models.Q(person_a=participant) | models.Q(person_b=participant))


class Introduction(models.Model):
    """Two people of a programme introduced by a lead or facilitator, by email to both, with
    why. It counts as met when the two later attend the same held meeting."""

    @tag_colours(MADE="blue", MET="green", DECLINED="grey")
    class Status(models.TextChoices):
        MADE = "made", "Made"
        MET = "met", "Met"
        DECLINED = "declined", "Declined"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="introductions")
    person_a = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500, help_text="Why, in plain words.")
    message = models.TextField(max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MADE)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    met_at = models.DateTimeField(null=True, blank=True)
    met_meeting = models.ForeignKey(
        "spaces.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    # When the email went to both (claimed before sending, so it goes once); empty while it
    # waits for the sweep (network.introductions.send_pending_introductions).
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person_a", "person_b"], name="introduction_once_per_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="introduction_pair_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} and {self.person_b_id} ({self.status})"
