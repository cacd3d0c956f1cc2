"""Core models: people, organisations, programmes, membership, innovations and adoption."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.files.storage import storages
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import LazyObject
from simple_history.models import HistoricalRecords

from .history import Versioned
from .status import Tag, tag_colours

NAME_MAX = 200
UNDERSTANDING_MAX = 10_000


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in. Email is the login; a person may take part in many programmes."""

    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=NAME_MAX, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def can_create_programme(self) -> bool:
        return self.is_staff or self.has_perm("convening.create_programme")

    def is_lead_anywhere(self) -> bool:
        return self.memberships.filter(role=Membership.Role.LEAD).exists()


class Sector(models.TextChoices):
    ACUTE = "acute", "Acute trust"
    MENTAL_HEALTH = "mental_health", "Mental health trust"
    COMMUNITY = "community", "Community provider"
    PRIMARY_CARE = "primary_care", "Primary care / PCN"
    AMBULANCE = "ambulance", "Ambulance"
    COMMISSIONER = "commissioner", "ICB / commissioner"
    LOCAL_AUTHORITY = "local_authority", "Local authority / social care"
    VCSE = "vcse", "Voluntary and community sector"
    ACADEMIC = "academic", "Academic"
    INDUSTRY = "industry", "Industry / innovator"
    PATIENT_PUBLIC = "patient_public", "Patient and public group"
    OTHER = "other", "Other"


class OrganisationQuerySet(models.QuerySet):
    def for_programme(self, programme: Programme) -> OrganisationQuerySet:
        """Organisations of the programme's participants and adopting sites."""
        people = Participant.objects.filter(programme=programme).values("organisation_id")
        sites = Adoption.objects.filter(innovation__programme=programme).values("organisation_id")
        return self.filter(Q(pk__in=people) | Q(pk__in=sites))

    def with_people_in(self, programme: Programme) -> OrganisationQuerySet:
        """Annotate `people`: how many of the programme's participants each one has."""
        return self.annotate(
            people=Count("participants", filter=Q(participants__programme=programme))
        )


class Organisation(models.Model):
    """One shared directory for the installation; organisations hold no personal data."""

    name = models.CharField(max_length=NAME_MAX)
    short_name = models.CharField(max_length=40, blank=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    place = models.CharField(max_length=120, blank=True, help_text="Town, city or area")

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgrammeQuerySet:
        """Programmes the user belongs to, each annotated with the user's role as `my_role`."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).annotate(my_role=models.F("memberships__role"))

    def with_counts(self) -> ProgrammeQuerySet:
        """Annotate `member_count` and `participant_count`: everyone in each programme.

        Counted in subqueries, because `visible_to` has already narrowed the memberships join to
        the signed-in user's own row.
        """
        return self.annotate(
            member_count=_count_of(Membership),
            participant_count=_count_of(Participant),
        )


def _count_of(model) -> Coalesce:
    rows = (
        model.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


class Programme(Versioned):
    @tag_colours(PLANNING="blue", ACTIVE="green", SUSTAINING="purple", CLOSED="grey")
    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        ACTIVE = "active", "Active"
        SUSTAINING = "sustaining", "Sustaining"
        CLOSED = "closed", "Closed"

    class HubVisibility(models.TextChoices):
        PUBLIC = "public", "Public"
        SIGNED_IN = "signed_in", "Signed-in users"
        MEMBERS = "members", "Members only"

    name = models.CharField(max_length=NAME_MAX)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNING)
    hub_visibility = models.CharField(
        "learning hub visibility",
        max_length=12,
        choices=HubVisibility.choices,
        default=HubVisibility.MEMBERS,
    )
    # The shared understanding (activity area 6), in Markdown, agreed together.
    problem = models.TextField("the problem to solve", blank=True, max_length=UNDERSTANDING_MAX)
    priority = models.TextField(
        "its priority, and why now", blank=True, max_length=UNDERSTANDING_MAX
    )
    value = models.TextField(
        "the value the innovation is expected to bring", blank=True, max_length=UNDERSTANDING_MAX
    )
    shared_purpose = models.TextField(blank=True, max_length=UNDERSTANDING_MAX)
    understanding_agreed_on = models.DateField("last agreed on", null=True, blank=True)
    understanding_agreed_by = models.CharField(
        "agreed by",
        max_length=NAME_MAX,
        blank=True,
        help_text="Who agreed these words, for example the programme board",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = ProgrammeQuerySet.as_manager()

    UNDERSTANDING_FIELDS = ("problem", "priority", "value", "shared_purpose")

    class Meta:
        ordering = ["name"]
        permissions = [("create_programme", "Can create programmes")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme_overview", args=[self.slug])

    @classmethod
    @transaction.atomic
    def create_with_lead(cls, *, lead, **fields) -> Programme:
        """Create a programme whose creator is its first lead."""
        programme = cls.objects.create(created_by=lead, **fields)
        Membership.objects.create(programme=programme, user=lead, role=Membership.Role.LEAD)
        # The lead takes part too, so can own activities; their consent is asked on first use
        # (consent_updated_at stays unset until they answer), and their role group with it.
        Participant.objects.create(
            programme=programme, name=lead.name or lead.email, email=lead.email, user=lead
        )
        return programme

    def role_of(self, user) -> str | None:
        membership = self.memberships.filter(user=user).only("role").first()
        return membership.role if membership else None


class Membership(models.Model):
    @tag_colours(LEAD="purple", FACILITATOR="blue", MEMBER="grey")
    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        FACILITATOR = "facilitator", "Facilitator"
        MEMBER = "member", "Member"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} of {self.programme}"

    def is_last_lead(self) -> bool:
        if self.role != self.Role.LEAD:
            return False
        return not (
            Membership.objects.filter(programme_id=self.programme_id, role=self.Role.LEAD)
            .exclude(pk=self.pk)
            .exists()
        )

    def change_role(self, role: str) -> None:
        """Change the member's role; the programme always keeps at least one lead."""
        if role != self.Role.LEAD and self.is_last_lead():
            raise LastLeadError
        self.role = role
        self.save(update_fields=["role"])

    def remove(self) -> None:
        if self.is_last_lead():
            raise LastLeadError
        self.delete()


class LastLeadError(Exception):
    """A programme must keep at least one lead."""


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True).filter(
            expires_at__gt=timezone.now()
        )

    def for_email(self, email: str) -> InvitationQuerySet:
        return self.filter(email__iexact=email)

    def by_token(self, token: str) -> Invitation | None:
        return self.select_related("programme").filter(token_hash=_hash_token(token)).first()


class Invitation(models.Model):
    """An emailed, single-use invitation to join a programme with a role; lasts 7 days."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=12, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.programme}"

    @classmethod
    def issue(cls, *, programme: Programme, email: str, role: str, by) -> tuple[Invitation, str]:
        """Create an invitation; returns it with the plain token, which is never stored."""
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            programme=programme,
            email=email.lower(),
            role=role,
            token_hash=_hash_token(token),
            invited_by=by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
        return invitation, token

    @classmethod
    def accept_pending_for(cls, user) -> list[Membership]:
        """Accept every pending invitation to the user's email, as when they follow each link.

        For a first sign-in with a work account whose identity provider verified the email:
        that proves the address as well as the emailed link does.
        """
        memberships = []
        for invitation in cls.objects.pending().for_email(user.email).select_related("programme"):
            try:
                memberships.append(invitation.accept(user))
            except InvitationUnusableError:
                continue  # used or withdrawn meanwhile
        return memberships

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @transaction.atomic
    def accept(self, user) -> Membership:
        """Use the invitation once: the user joins the programme with the invited role."""
        claimed = Invitation.objects.filter(
            pk=self.pk,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).update(accepted_at=timezone.now(), accepted_by=user)
        if not claimed:
            raise InvitationUnusableError
        membership, _created = Membership.objects.get_or_create(
            programme=self.programme, user=user, defaults={"role": self.role}
        )
        Participant.objects.link_member(self.programme, user)
        return membership


class InvitationUnusableError(Exception):
    """The invitation was used, revoked or has expired."""


class RoleGroup(models.TextChoices):
    CLINICAL = "clinical", "Clinical"
    OPERATIONAL = "operational", "Operational / managerial"
    EXECUTIVE = "executive", "Executive / board"
    ANALYST = "analyst", "Analyst / digital"
    PATIENT = "patient", "Patient / carer / public"
    COMMUNITY = "community", "Community / voluntary"
    ACADEMIC = "academic", "Academic"
    INNOVATOR = "innovator", "Innovator / industry"


class Level(models.TextChoices):
    FRONTLINE = "frontline", "Frontline"
    MIDDLE = "middle", "Middle"
    SENIOR = "senior", "Senior / executive"


class ParticipantQuerySet(models.QuerySet):
    def for_programme(self, programme: Programme) -> ParticipantQuerySet:
        return self.filter(programme=programme)

    def with_organisation(self) -> ParticipantQuerySet:
        return self.select_related("organisation")

    def link_member(self, programme: Programme, user) -> int:
        """Link the member to the programme's person with their email, unless either is linked.

        A member's email is verified: they accepted an invitation sent to it, or created the
        programme. Returns how many people were linked (0 or 1).
        """
        if self.filter(programme=programme, user=user).exists():
            return 0
        return self.filter(programme=programme, email__iexact=user.email, user__isnull=True).update(
            user=user
        )

    def not_anonymised(self) -> ParticipantQuerySet:
        return self.filter(anonymised_at__isnull=True)

    def needing_consent(self) -> ParticipantQuerySet:
        """People whose consent choices have never been asked (nobody has answered them)."""
        return self.filter(consent_updated_at__isnull=True)

    def matching(self, text: str) -> ParticipantQuerySet:
        """People whose name, or whose organisation's name, contains the text."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(organisation__name__icontains=text)
            | Q(organisation__short_name__icontains=text)
        )


class Participant(Versioned):
    """A person taking part in one programme, with or without a login."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=NAME_MAX)
    email = models.EmailField(blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="participants"
    )
    job_title = models.CharField(max_length=NAME_MAX, blank=True)
    role_group = models.CharField(max_length=12, choices=RoleGroup.choices)
    level = models.CharField(max_length=12, choices=Level.choices, blank=True)
    lived_experience = models.BooleanField(
        "lived experience", default=False, help_text="Brings lived experience as a patient or carer"
    )
    consent_recorded = models.BooleanField("to be recorded", default=False)
    consent_contact = models.BooleanField("to be contacted", default=False)
    consent_named = models.BooleanField("to be named in learning", default=False)
    consent_updated_at = models.DateTimeField(null=True, blank=True)
    consent_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the person was erased or passed the retention period (convening.personal_data).
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = ParticipantQuerySet.as_manager()

    CONSENT_FIELDS = ("consent_recorded", "consent_contact", "consent_named")
    LIVED_EXPERIENCE_TAG = Tag("Lived experience", "aqua-green")
    # Who last changed consent, and when: shown on the person's page, not as a change.
    HISTORY_HIDDEN = ("consent_updated_at", "consent_updated_by")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "programme",
                Lower("email"),
                condition=~Q(email=""),
                name="participant_email_unique_in_programme",
            ),
            models.UniqueConstraint(
                fields=["programme", "user"],
                condition=Q(user__isnull=False),
                name="participant_user_unique_in_programme",
            ),
        ]
        indexes = [models.Index(fields=["programme", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # A person added with the email of a programme member is that member, in either order
        # (the member joining later is linked by Invitation.accept).
        if self._state.adding and self.user_id is None and self.email:
            self.user = self.member_with_my_email()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("participant_edit", args=[self.programme.slug, self.pk])

    def member_with_my_email(self):
        """The programme's member whose email is this person's, if no other person has them."""
        if not self.email:
            return None
        membership = (
            Membership.objects.filter(
                programme_id=self.programme_id, user__email__iexact=self.email
            )
            .exclude(user__participations__programme_id=self.programme_id)
            .select_related("user")
            .first()
        )
        return membership.user if membership else None

    def link_account(self, user) -> None:
        """Link this person to a member's account, or unlink it with None."""
        self.user = user
        self.save(update_fields=["user"])

    def stamp_consent(self, by) -> None:
        """Record who set the consent answers, and when."""
        self.consent_updated_at = timezone.now()
        self.consent_updated_by = by


class Innovation(Versioned):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="innovations")
    name = models.CharField(max_length=NAME_MAX)
    slug = models.SlugField(max_length=80)
    summary = models.TextField(max_length=2000, blank=True)
    innovator_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="innovations"
    )
    evidence_summary = models.TextField(blank=True, max_length=UNDERSTANDING_MAX)
    core_components = models.TextField(
        blank=True, max_length=UNDERSTANDING_MAX, help_text="What must not change"
    )
    adaptable_elements = models.TextField(
        blank=True, max_length=UNDERSTANDING_MAX, help_text="What sites may change"
    )
    # People at the innovator to ask about the innovation itself.
    innovator_contacts = models.ManyToManyField(
        "Participant", blank=True, related_name="innovations_contact_for"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[innovator_contacts])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="innovation_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("innovation_detail", args=[self.programme.slug, self.slug])


class AdoptionQuerySet(models.QuerySet):
    def for_programme(self, programme: Programme) -> AdoptionQuerySet:
        return self.filter(innovation__programme=programme)


class Adoption(models.Model):
    """One adopting site's progress with one innovation."""

    # The adoption tracker's chart draws each stage in the strong shade of its tag colour.
    @tag_colours(
        NOT_STARTED="grey",
        EXPLORING="blue",
        PREPARING="purple",
        TESTING="yellow",
        ADOPTED="green",
        SUSTAINED="aqua-green",
        PAUSED="orange",
        ABANDONED="red",
    )
    class Stage(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        EXPLORING = "exploring", "Exploring"
        PREPARING = "preparing", "Preparing"
        TESTING = "testing", "Testing"
        ADOPTED = "adopted", "Adopted"
        SUSTAINED = "sustained", "Sustained"
        PAUSED = "paused", "Paused"
        ABANDONED = "abandoned", "Abandoned"

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="adoptions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="adoptions"
    )
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.NOT_STARTED)
    local_lead = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = AdoptionQuerySet.as_manager()

    # A site with no adoption of an innovation, in the tracker.
    NOT_TRACKED_TAG = Tag("Not tracked", "white")

    class Meta:
        ordering = ["innovation", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "organisation"], name="adoption_unique_site"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.innovation}"

    @transaction.atomic
    def move_to(self, stage: str, *, by, on=None, note: str = "") -> AdoptionEvent:
        """Record a stage change, keeping its history as an event."""
        on = on or timezone.localdate()
        self.stage = stage
        self.updated_at = timezone.now()
        self.save(update_fields=["stage", "updated_at"])
        return AdoptionEvent.objects.create(
            adoption=self, stage=stage, date=on, note=note, recorded_by=by
        )


class AdoptionEvent(models.Model):
    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(max_length=12, choices=Adoption.Stage.choices)
    date = models.DateField()
    note = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.adoption}: {self.get_stage_display()} on {self.date}"


class _ExportStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = storages["exports"]


# Private storage for prepared downloads (STORAGES["exports"]): never under the static or media
# URL, read only through the download view, which checks who is asking. Looked up when first
# used rather than when models load, like Django's default_storage.
EXPORT_STORAGE = _ExportStorage()


def export_storage() -> _ExportStorage:
    return EXPORT_STORAGE


class ExportJobQuerySet(models.QuerySet):
    def for_user(self, user, programme: Programme) -> ExportJobQuerySet:
        """The downloads one person asked for in one programme: nobody sees another's."""
        return self.filter(requested_by=user, programme=programme)

    def expired(self, now=None) -> ExportJobQuerySet:
        """Downloads older than `EXPORT_FILE_DAYS`, whose files are deleted."""
        now = now or timezone.now()
        return self.filter(created_at__lt=now - timedelta(days=settings.EXPORT_FILE_DAYS)).exclude(
            status=ExportJob.Status.EXPIRED
        )


class ExportJob(models.Model):
    """A download prepared in the background: a large spreadsheet, or the programme archive.
    Its file is kept in private storage for `EXPORT_FILE_DAYS` days, for the person who asked."""

    ARCHIVE = "archive"

    @tag_colours(QUEUED="grey", RUNNING="blue", READY="green", FAILED="red", EXPIRED="white")
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Deleted"

    class Format(models.TextChoices):
        XLSX = "xlsx", "Spreadsheet (XLSX)"
        ZIP = "zip", "ZIP archive"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="export_jobs")
    # A name registered in convening.exports.TABLES, or "archive".
    export = models.CharField(max_length=60)
    title = models.CharField(max_length=NAME_MAX)
    format = models.CharField(max_length=4, choices=Format.choices)
    # The list's filters, as its page's query string, so the file has the rows the page showed.
    query = models.CharField(max_length=2000, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=export_storage, upload_to="exports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["requested_by", "programme", "-created_at"], name="exportjob_by_person"
            ),
            models.Index(fields=["created_at"], name="exportjob_created"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_format_display()}) for {self.requested_by}"

    def get_absolute_url(self) -> str:
        return reverse("export_job", args=[self.programme.slug, self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED, self.Status.EXPIRED)

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.READY:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def deleted_after(self):
        """When the sweep deletes the file (convening.export_jobs.delete_expired)."""
        return self.created_at + timedelta(days=settings.EXPORT_FILE_DAYS)

    @property
    def status_sentence(self) -> str:
        """What the status page's live region says when the job moves on."""
        if self.status == self.Status.RUNNING:
            return f"Being prepared: {self.rows_done:,} of {self.rows_total:,} rows written."
        if self.status == self.Status.READY:
            return f"{self.title} is ready to download."
        if self.status == self.Status.FAILED:
            return f"{self.title} could not be prepared."
        if self.status == self.Status.EXPIRED:
            return "This file has been deleted."
        return "Waiting to start."

    @property
    def download_name(self) -> str:
        stamp = timezone.localtime(self.created_at).strftime("%Y-%m-%d")
        return f"{self.programme.slug}-{self.export}-{stamp}.{self.format}"


# Data rights ----------------------------------------------------------------------------------


class AuditEntryQuerySet(models.QuerySet):
    """Entries are only ever added: editing or deleting them in bulk is refused."""

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly

    def delete(self):
        raise AuditLogIsAppendOnly

    def about(self, participant_ids, email: str = "") -> AuditEntryQuerySet:
        """Entries whose subject is one of these participant records, or this email address."""
        about = Q(subject_id__in=participant_ids)
        if email:
            about |= Q(subject_label__iexact=email)
        return self.filter(about)

    def rename_subjects(self, label: str) -> int:
        """Replace the name or address the entries recorded with `label`: the one change an
        erasure makes, because the log must not keep what the erasure removed."""
        return super().update(subject_label=label)


class AuditLogIsAppendOnly(Exception):
    """Audit entries cannot be changed or deleted."""


class AuditEntry(models.Model):
    """Who looked at or took personal data, and when: written by `convening.audit.record`."""

    class Action(models.TextChoices):
        VIEWED_PERSON = "viewed_person", "Viewed a person's page"
        DOWNLOADED_PEOPLE = "downloaded_people", "Downloaded people"
        DOWNLOADED_ATTENDANCE = "downloaded_attendance", "Downloaded attendance"
        DOWNLOADED_ARCHIVE = "downloaded_archive", "Downloaded the programme archive"
        MADE_API_TOKEN = "made_api_token", "Made an API token"
        SUBJECT_ACCESS = "subject_access", "Exported a subject access download"
        ERASED = "erased", "Erased a person"
        RETENTION = "retention", "Anonymised after the retention period"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    action = models.CharField(max_length=24, choices=Action.choices)
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who the entry is about, as they were named at the time (a name or an email address).
    subject_label = models.CharField("about", max_length=NAME_MAX, blank=True)
    detail = models.TextField(blank=True, max_length=2000)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        permissions = [
            (
                "data_protection",
                "Can answer data protection requests: subject access, erasure, the audit log",
            )
        ]
        indexes = [models.Index(fields=["action", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly


class RetentionPolicy(models.Model):
    """One row: whether a data protection officer has confirmed the retention period. The
    nightly job anonymises nobody until the period it would apply has been confirmed here."""

    confirmed_years = models.PositiveSmallIntegerField(
        "confirmed retention period in years",
        null=True,
        blank=True,
        help_text="The RETENTION_YEARS setting this confirmation agrees to",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "retention policy"

    def __str__(self) -> str:
        if self.confirmed_years is None:
            return "Retention policy (not confirmed)"
        return f"Retention policy: {self.confirmed_years} years, confirmed"

    @classmethod
    def current(cls) -> RetentionPolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy

    def is_confirmed_for(self, years: int) -> bool:
        return self.confirmed_years == years

    def confirm(self, years: int, *, by) -> None:
        self.confirmed_years = years
        self.confirmed_by = by
        self.confirmed_at = timezone.now()
        self.save()


# Personal access tokens for the JSON API (DESIGN section 14) ---------------------------------

API_TOKEN_PREFIX = "cvn"  # noqa: S105 - the fixed start of every token, not a secret
# A token lasts at most this long; its owner makes a new one after that.
API_TOKEN_MAX_DAYS = 366


def _hash_api_secret(secret: str) -> str:
    """A keyed hash of a token's secret: a copy of the table alone cannot be used to sign in."""
    return salted_hmac("convening.api-token", secret, algorithm="sha256").hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        """Neither revoked nor expired, and belonging to an account that may sign in."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )

    def issue(
        self, *, user, name: str, programmes, can_write: bool, expires_at
    ) -> tuple[ApiToken, str]:
        """Make a token for the user, for some of the programmes they belong to. Returns the
        token and its full text, which is shown once and never stored. Every token is made
        here, so that anything a new token must trigger (an audit entry) has one home."""
        key = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        with transaction.atomic():
            token = self.create(
                user=user,
                name=name,
                key=key,
                secret_hash=_hash_api_secret(secret),
                can_write=can_write,
                expires_at=expires_at,
            )
            token.programmes.set(programmes)
        return token, f"{API_TOKEN_PREFIX}_{key}_{secret}"

    def authenticate(self, text: str) -> ApiToken | None:
        """The usable token whose full text this is, or None (one query)."""
        prefix, _, rest = text.partition("_")
        key, _, secret = rest.partition("_")
        if prefix != API_TOKEN_PREFIX or not key or not secret or len(text) > 200:
            return None
        token = self.usable().select_related("user").filter(key=key).first()
        if token is None or not constant_time_compare(token.secret_hash, _hash_api_secret(secret)):
            return None
        return token


class ApiToken(models.Model):
    """A personal access token: it acts for its user, in the programmes it names, never beyond
    what the user may do there at the time of each request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # The public part of the token, to find it by; the secret part is kept only as a hash.
    key = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    programmes = models.ManyToManyField(Programme, related_name="+")
    can_write = models.BooleanField("read and write", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    REVOKED_TAG = Tag("Revoked", "grey")
    EXPIRED_TAG = Tag("Expired", "grey")

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def ended_tag(self) -> Tag | None:
        """ "Revoked" or "Expired" once the token no longer works; None while it does."""
        if self.revoked_at is not None:
            return self.REVOKED_TAG
        return None if self.is_usable else self.EXPIRED_TAG

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def note_use(self) -> None:
        """Record that the token was used, at most once a minute (one conditional UPDATE)."""
        now = timezone.now()
        ApiToken.objects.filter(pk=self.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - timedelta(minutes=1))
        ).update(last_used_at=now)
