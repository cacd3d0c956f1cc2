"""Learning entries, narratives for each audience, feedback to innovators and digest
subscriptions."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import connection, models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from simple_history.models import HistoricalRecords

from convening.history import Versioned
from convening.models import NAME_MAX, Innovation, Organisation, Participant, Programme
from convening.status import Tag, tag_colours

BODY_MAX = 50_000
SEARCH_MAX = 200
FEEDBACK_MAX = 5_000
CONTACT_MESSAGE_MAX = 5_000


class LearningEntryQuerySet(models.QuerySet):
    def for_programme(self, programme: Programme) -> LearningEntryQuerySet:
        return self.filter(programme=programme)

    def drafts(self) -> LearningEntryQuerySet:
        return self.filter(status=LearningEntry.Status.DRAFT)

    def published(self) -> LearningEntryQuerySet:
        return self.filter(status=LearningEntry.Status.PUBLISHED)

    def public(self) -> LearningEntryQuerySet:
        """Published for the public learning hub."""
        return self.published().filter(visibility=LearningEntry.Visibility.PUBLIC)

    def readable_by(self, programme: Programme, user) -> LearningEntryQuerySet:
        """Entries of the programme its member may read: everything for leads; for others,
        everything but space-only entries of spaces they are not a member of. `programme`
        carries the user's role as `my_role` (from convening.access)."""
        from convening.access import LEAD
        from spaces.models import SpaceMember

        entries = self.for_programme(programme)
        if programme.my_role == LEAD:
            return entries
        in_space = SpaceMember.objects.filter(
            space_id=OuterRef("source_meeting__space_id"), participant__user=user
        )
        return entries.filter(~Q(visibility=LearningEntry.Visibility.SPACE) | Exists(in_space))

    def with_attribution(self) -> LearningEntryQuerySet:
        """Annotate `author_may_be_named`: the author agreed to be named in this programme's
        learning and the entry does not come from a Chatham House space."""
        from spaces.models import AdaptiveSpace

        consented = Participant.objects.filter(
            programme_id=OuterRef("programme_id"), user_id=OuterRef("author_id"), consent_named=True
        )
        chatham_house = Q(
            source_meeting__space__confidentiality=AdaptiveSpace.Confidentiality.CHATHAM_HOUSE
        )
        return self.annotate(
            author_may_be_named=Case(
                When(chatham_house, then=Value(False)),
                When(Exists(consented), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def search(self, text: str) -> LearningEntryQuerySet:
        """Entries matching the words, best first. PostgreSQL full-text search with ranking,
        from the stored search vector (web-search syntax, so quotes, OR and - are safe); a plain
        contains search elsewhere."""
        text = text.strip()[:SEARCH_MAX]
        if not text:
            return self
        if connection.vendor == "postgresql":
            from .search import ranked_search

            return ranked_search(self, text)
        return self.filter(Q(title__icontains=text) | Q(body__icontains=text))


class LearningEntry(Versioned):
    @tag_colours(
        INSIGHT="blue",
        ENABLER="green",
        BARRIER="red",
        ADAPTATION="purple",
        RESULT="aqua-green",
        QUESTION="yellow",
        SUCCESS_STORY="green",
    )
    class Kind(models.TextChoices):
        INSIGHT = "insight", "Insight"
        ENABLER = "enabler", "Enabler"
        BARRIER = "barrier", "Barrier"
        ADAPTATION = "adaptation", "Adaptation"
        RESULT = "result", "Result"
        QUESTION = "question", "Question"
        SUCCESS_STORY = "success_story", "Success story"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public hub"
        PROGRAMME = "programme", "Programme members"
        SPACE = "space", "Space members"

    @tag_colours(DRAFT="grey", PUBLISHED="green")
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="learning_entries"
    )
    innovation = models.ForeignKey(
        Innovation, null=True, blank=True, on_delete=models.SET_NULL, related_name="learning"
    )
    title = models.CharField(max_length=NAME_MAX)
    body = models.TextField("what we learned", blank=True, max_length=BODY_MAX)
    kind = models.CharField(
        "kind of learning", max_length=16, choices=Kind.choices, default=Kind.INSIGHT
    )
    source_meeting = models.ForeignKey(
        "spaces.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_entries",
    )
    site = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    areas = models.ManyToManyField(
        "activities.ActivityArea", blank=True, related_name="+", verbose_name="activity areas"
    )
    visibility = models.CharField(
        "who can read it", max_length=10, choices=Visibility.choices, default=Visibility.PROGRAMME
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    review_by = models.DateField(
        "check it is still true by",
        null=True,
        blank=True,
        help_text="When to check it is still true",
    )
    # The areas are kept too, so that a save over someone else's change of areas is noticed.
    history = HistoricalRecords(m2m_fields=[areas])

    objects = LearningEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "learning entries"
        indexes = [models.Index(fields=["programme", "status", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def review_tag(self) -> Tag | None:
        """A "Review by …" tag once the date to check it is still true has passed, else None."""
        if self.review_by and self.review_by < timezone.localdate():
            day = self.review_by
            return Tag(f"Review by {day.day} {day:%B %Y}", "orange")
        return None

    @property
    def byline(self) -> str:
        """Who wrote it, respecting consent (DESIGN section 4): the author's name only when
        `author_may_be_named` (from `LearningEntryQuerySet.with_attribution()`), which is never
        true for learning from a Chatham House space; otherwise the entry's site, unless it
        comes from a Chatham House space; otherwise "A member of the programme". Needs
        `author`, `site` and `source_meeting__space` selected."""
        if getattr(self, "author_may_be_named", False) and self.author and self.author.name:
            return self.author.name
        chatham_house = self.source_meeting_id and self.source_meeting.space.is_chatham_house
        if self.site and not chatham_house:
            return f"Someone at {self.site.name}"
        return "A member of the programme"

    def publish(self) -> None:
        self.status = self.Status.PUBLISHED
        self.published_at = timezone.now()
        self.save(update_fields=["status", "published_at"])

    def unpublish(self) -> None:
        self.status = self.Status.DRAFT
        self.save(update_fields=["status"])


class Audience(models.TextChoices):
    CLINICIANS = "clinicians", "Clinicians and frontline staff"
    MANAGERS = "managers", "Managers and operational leads"
    EXECUTIVES = "executives", "Executives and boards"
    FINANCE = "finance", "Finance and commissioners"
    PATIENTS = "patients", "Patients and carers"
    DIGITAL = "digital", "Digital and IT teams"


class Narrative(Versioned):
    """What the innovation means for one audience, written together."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="narratives")
    audience = models.CharField(max_length=12, choices=Audience.choices)
    body = models.TextField("narrative", blank=True, max_length=BODY_MAX)
    contributors = models.ManyToManyField(Participant, blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[contributors])

    class Meta:
        ordering = ["innovation", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "audience"], name="one_narrative_per_audience"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.innovation} for {self.get_audience_display()}"


class Feedback(models.Model):
    """Something an adopter told the innovator, from the hub."""

    @tag_colours(WORKS_WELL="green", PROBLEM="red", SUGGESTION="purple", QUESTION="blue")
    class Kind(models.TextChoices):
        WORKS_WELL = "works_well", "Works well"
        PROBLEM = "problem", "Problem"
        SUGGESTION = "suggestion", "Suggestion"
        QUESTION = "question", "Question"

    @tag_colours(NEW="blue", ACKNOWLEDGED="yellow", ANSWERED="grey")
    class Status(models.TextChoices):
        NEW = "new", "New"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ANSWERED = "answered", "Answered"

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="feedback")
    name = models.CharField(max_length=NAME_MAX, blank=True)
    email = models.EmailField(blank=True)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    site = models.CharField(max_length=NAME_MAX, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    body = models.TextField(max_length=FEEDBACK_MAX)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    response = models.TextField(blank=True, max_length=BODY_MAX)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_entry = models.ForeignKey(
        LearningEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"
        indexes = [models.Index(fields=["innovation", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} about {self.innovation}"


class ContactMessageQuerySet(models.QuerySet):
    def unsent(self) -> ContactMessageQuerySet:
        """Messages not yet handed to the mail server."""
        return self.filter(sent_at__isnull=True)


class ContactMessage(models.Model):
    """A message an adopter sent from the hub to someone who agreed to be contacted. It is
    stored before it is emailed, so a mail server or broker that is down loses nothing; the
    adopter never learns the person's address, only the person learns the adopter's."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="contact_messages"
    )
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=NAME_MAX)
    email = models.EmailField()
    body = models.TextField(max_length=CONTACT_MESSAGE_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return f"Message to {self.recipient} about {self.innovation}"


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> SubscriptionQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def active(self) -> SubscriptionQuerySet:
        """Confirmed and not switched off or unsubscribed."""
        return self.confirmed().exclude(frequency=Subscription.Frequency.OFF)

    def awaiting_confirmation_email(self) -> SubscriptionQuerySet:
        """Asked for a confirmation email that has not been sent since."""
        return self.filter(
            confirmed_at__isnull=True, confirmation_requested_at__isnull=False
        ).filter(
            Q(confirmation_sent_at__isnull=True)
            | Q(confirmation_sent_at__lt=F("confirmation_requested_at"))
        )


def _unsubscribe_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


class Subscription(models.Model):
    """Someone who asked for learning digests. Until confirmed (double opt-in for email-only
    readers; at once for signed-in members), a subscription receives nothing."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        OFF = "off", "Off"

    email = models.EmailField()
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set for a signed-in member's subscription: their digests include member-only items.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="digest_subscriptions",
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="subscriptions")
    innovation = models.ForeignKey(
        Innovation, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="0 is Monday; for weekly digests"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # When a confirmation email was last asked for, and last sent: one asked for but not yet
    # sent (the broker was down, say) is sent by the next run.
    confirmation_requested_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=_unsubscribe_token)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["programme", "innovation"]),
            models.Index(fields=["frequency", "confirmed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.innovation or self.programme}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class DigestDelivery(models.Model):
    """One digest for one subscription and one period, claimed before anything is sent: the
    unique constraint on subscription and period end means a repeated or overlapping run can
    never send the same period twice."""

    @tag_colours(SENDING="blue", SENT="green", FAILED="red", EMPTY="grey")
    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        EMPTY = "empty", "Nothing to send"

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENDING)
    item_count = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_end"], name="one_digest_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")), name="digest_period_forward"
            ),
        ]
        indexes = [models.Index(fields=["status", "period_end"])]
        verbose_name_plural = "digest deliveries"

    def __str__(self) -> str:
        return f"Digest for {self.subscription} to {self.period_end:%d %b %Y}"
