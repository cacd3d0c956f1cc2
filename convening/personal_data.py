"""What Convening holds about a person, and how it is exported and anonymised (UK GDPR).

Core imports no feature app, so each app says what it holds about a person by registering
`Holding`s from its `AppConfig.ready()` (in its `personal_data.py`); core registers its own
below. A holding names a model, how its rows are tied to a person (a field pointing at their
participant records, at their user account, or holding their email address), the fields a
subject access download includes, and what erasure does to those rows:

- `KEEP`: nothing (attendance, for example, stays so that counts stay the same; the person's
  record it points at is anonymised);
- a dict of field values to set (a name cleared, an author made anonymous);
- `DELETE`: the rows go (subscriptions).

The same change is made to the model's history records (django-simple-history), so the history
no longer holds what the erasure removed.

Retention uses the same mechanism: apps also register `activity` functions saying which
participant records have been active since a date.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from . import audit
from .models import ApiToken, AuditEntry, ExportJob, Participant, RetentionPolicy, User

KEEP = "keep"
DELETE = "delete"
FORMER_PARTICIPANT = "Former participant"
FORMER_USER = "Former user"


@dataclass(frozen=True)
class Holding:
    """Rows of one model that hold something about a person."""

    model: type[models.Model]
    label: str  # what these rows are, as the subject access page and confirmation page say
    export: tuple[str, ...]  # fields (or lookups) included in the subject access download
    erase: dict[str, Any] | str = KEEP  # KEEP, DELETE, or field values to set
    explain: str = ""  # what erasure does to these rows, in plain words
    participant: str = ""  # field pointing at a Participant ("pk" for the record itself)
    user: str = ""  # field pointing at a User ("pk" for the account itself)
    email: str = ""  # field holding an email address

    def lookup(self, person: Person) -> Q | None:
        """The filter for this person's rows, or None if nothing can tie a row to them."""
        query = Q()
        if self.participant and person.participant_ids:
            query |= Q(**{f"{self.participant}__in": person.participant_ids})
        if self.user and person.user_ids:
            query |= Q(**{f"{self.user}__in": person.user_ids})
        if self.email and person.email:
            query |= Q(**{f"{self.email}__iexact": person.email})
        return query or None

    def rows(self, person: Person) -> models.QuerySet:
        query = self.lookup(person)
        if query is None:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(query)

    def history_rows(self, person: Person) -> models.QuerySet | None:
        """The history records tied to the person the same way, for models that keep history."""
        historical = history_model(self.model)
        query = self.lookup(person)
        if historical is None or query is None:
            return None
        # On a history record the object's own key is `id`, not `pk`.
        query = _rename_pk(query)
        return historical._default_manager.filter(query)


def _rename_pk(query: Q) -> Q:
    renamed = Q()
    renamed.connector, renamed.negated = query.connector, query.negated
    for child in query.children:
        if isinstance(child, Q):
            renamed.children.append(_rename_pk(child))
        else:
            key, value = child
            renamed.children.append(("id" + key[2:] if key.startswith("pk__") else key, value))
    return renamed


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


HOLDINGS: list[Holding] = []
# Functions returning the ids of participant records active on or after a date.
ACTIVITY: list[Callable[[datetime.datetime], models.QuerySet]] = []


def register(*holdings: Holding) -> None:
    """Add holdings; called from each app's AppConfig.ready()."""
    for holding in holdings:
        if holding not in HOLDINGS:
            HOLDINGS.append(holding)


def register_activity(function: Callable[[datetime.datetime], models.QuerySet]) -> None:
    if function not in ACTIVITY:
        ACTIVITY.append(function)


# The person -------------------------------------------------------------------------------------


@dataclass
class Person:
    """Everyone we hold about one person: their participant records in every programme and
    their user accounts, found by email address (or, for retention, one record)."""

    email: str
    participants: list[Participant] = field(default_factory=list)
    users: list[User] = field(default_factory=list)

    @property
    def participant_ids(self) -> list[int]:
        return [p.pk for p in self.participants]

    @property
    def user_ids(self) -> list[int]:
        return [u.pk for u in self.users]

    def holdings(self) -> list[tuple[Holding, int]]:
        """Each holding with how many rows it has about the person, leaving out empty ones."""
        counted = [(holding, holding.rows(self).count()) for holding in HOLDINGS]
        return [(holding, count) for holding, count in counted if count]

    @property
    def pseudonyms(self) -> list[str]:
        return [f"{FORMER_PARTICIPANT} {pk}" for pk in self.participant_ids]


def find_person(email: str, *, lock: bool = False) -> Person | None:
    """The person with this email address, across every programme, or None if nothing at all
    is held about it. With `lock`, their records and accounts are locked until the transaction
    ends, so two erasures of one person at once are made one after the other."""
    email = email.strip()
    if not email:
        return None
    users = User.objects.filter(email__iexact=email)
    participants = Participant.objects.filter(
        Q(email__iexact=email) | Q(user__in=users.values("pk"))
    )
    if lock:
        participants = participants.select_for_update(of=("self",)).order_by("pk")
        users = users.select_for_update().order_by("pk")
    participants = list(participants)
    linked = {p.user_id for p in participants if p.user_id}
    users = list(users) + list(
        User.objects.filter(pk__in=linked).exclude(email__iexact=email).order_by("pk")
    )
    person = Person(email=email, participants=participants, users=users)
    if person.participants or person.users or person.holdings():
        return person
    return None


# Subject access ---------------------------------------------------------------------------------


def subject_access_data(person: Person) -> dict[str, Any]:
    """Everything held about the person, holding by holding, ready for JSON."""
    sections = []
    for holding in HOLDINGS:
        rows = list(holding.rows(person).order_by("pk").values(*holding.export))
        if rows:
            sections.append({"label": holding.label, "fields": holding.export, "rows": rows})
    audit = AuditEntry.objects.about(person.participant_ids, person.email)
    entries = list(
        audit.order_by("at").values("at", "action", "programme__name", "subject_label", "detail")
    )
    actions = dict(AuditEntry.Action.choices)
    for entry in entries:
        entry["action"] = actions.get(entry["action"], entry["action"])
    if entries:
        sections.append(
            {
                "label": "Audit log entries about you",
                "fields": ("at", "action", "programme__name", "subject_label", "detail"),
                "rows": entries,
            }
        )
    return {
        "email": person.email,
        "prepared_at": timezone.now(),
        "note": "Answers to meeting pulse questions are anonymous: they are not linked to "
        "anyone, so they cannot be included.",
        "sections": sections,
    }


def subject_access_json(data: dict[str, Any]) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


# Erasure ----------------------------------------------------------------------------------------


@dataclass
class Erasure:
    """What an erasure changed: for the message shown and the audit entry."""

    pseudonyms: list[str]
    counts: dict[str, int]

    def summary(self) -> str:
        return "; ".join(f"{label}: {count}" for label, count in self.counts.items())


def erase(email: str) -> Erasure | None:
    """Anonymise everything held about the person with this email address, in one transaction.
    Returns None, changing nothing, when nothing is held about it (which is also what a second
    erasure of the same person finds, once the first has committed)."""
    with transaction.atomic():
        person = find_person(email, lock=True)
        if person is None:
            return None
        return anonymise(person)


def anonymise(person: Person) -> Erasure:
    """Apply every holding's erasure to the person's rows and their history. Run inside a
    transaction, with the person's records locked (`find_person(lock=True)`)."""
    counts = {}
    for holding, count in person.holdings():
        counts[holding.label] = count
        if holding.erase == KEEP:
            continue
        history = holding.history_rows(person)
        if holding.erase == DELETE:
            if history is not None:
                history.delete()
            holding.rows(person).delete()
        else:
            values = {
                name: value() if callable(value) else value for name, value in holding.erase.items()
            }
            if history is not None:
                history.update(**values)
            holding.rows(person).update(**values)
    for user in User.objects.filter(pk__in=person.user_ids):
        user.set_unusable_password()  # also ends every session the account had
        user.save(update_fields=["password"])
    _rename_in_admin_log(Participant, person.participant_ids, FORMER_PARTICIPANT)
    _rename_in_admin_log(User, person.user_ids, FORMER_USER)
    _forget_in_admin_log(person)
    AuditEntry.objects.about(person.participant_ids, person.email).rename_subjects(
        ", ".join(person.pseudonyms) or "A former participant"
    )
    return Erasure(pseudonyms=person.pseudonyms, counts=counts)


def _rename_in_admin_log(model, ids: list[int], prefix: str) -> None:
    """The admin's own log names each object it changed as it was then: rename them."""
    content_type = ContentType.objects.get_for_model(model)
    for pk in ids:
        LogEntry.objects.filter(content_type=content_type, object_id=str(pk)).update(
            object_repr=f"{prefix} {pk}", change_message=""
        )


def _forget_in_admin_log(person: Person) -> None:
    """Other objects the admin logged may be named after the person (an attendance, say)."""
    mentions = {p.name for p in person.participants} | {u.name for u in person.users if u.name}
    mentions |= {person.email} | {p.email for p in person.participants if p.email}
    mentions |= {u.email for u in person.users}
    query = Q()
    for text in filter(None, mentions):
        query |= Q(object_repr__icontains=text)
    if query:
        LogEntry.objects.filter(query).update(object_repr="(erased)")


# Retention --------------------------------------------------------------------------------------


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    years = settings.RETENTION_YEARS
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def inactive_participants(cutoff: datetime.datetime) -> models.QuerySet:
    """Participant records not yet anonymised with no activity on or after `cutoff`: added
    before it, consent last answered before it, their account not signed in since, and no
    activity any app knows of (attendance, writing, actions, subscriptions…) since."""
    inactive = (
        Participant.objects.not_anonymised()
        .filter(created_at__lt=cutoff)
        .exclude(consent_updated_at__gte=cutoff)
        .exclude(user__last_login__gte=cutoff)
    )
    for active_since in ACTIVITY:
        inactive = inactive.exclude(pk__in=active_since(cutoff))
    return inactive.select_related("programme").order_by("programme__name", "pk")


def retention_person(participant: Participant, cutoff: datetime.datetime) -> Person:
    """One record past the retention period. Its account is anonymised with it only when the
    account has no other record still kept and has not signed in since the cutoff."""
    users = []
    user = participant.user
    if user is not None:
        others = Participant.objects.filter(user=user, anonymised_at__isnull=True).exclude(
            pk=participant.pk
        )
        signed_in = user.last_login is not None and user.last_login >= cutoff
        if not others.exists() and not signed_in:
            users.append(user)
    return Person(email="", participants=[participant], users=users)


def apply_retention(*, now: datetime.datetime | None = None) -> int | None:
    """Anonymise every record past the retention period; returns how many, or None when the
    period has not been confirmed in the admin (then nothing is done)."""
    if not RetentionPolicy.current().is_confirmed_for(settings.RETENTION_YEARS):
        return None
    cutoff = retention_cutoff(now)
    done = 0
    for pk in list(inactive_participants(cutoff).values_list("pk", flat=True)):
        with transaction.atomic():
            participant = (
                Participant.objects.select_for_update(of=("self",))
                .select_related("user")
                .filter(pk=pk, anonymised_at__isnull=True)
                .first()
            )
            if participant is None:  # another run has just done it
                continue
            anonymise(retention_person(participant, cutoff))
            participant.refresh_from_db()
            audit.record(
                None,
                AuditEntry.Action.RETENTION,
                subject=participant,
                detail=f"No activity for more than {settings.RETENTION_YEARS} years",
            )
            done += 1
    return done


# What core holds --------------------------------------------------------------------------------


def _numbered(prefix: str) -> Concat:
    return Concat(Value(f"{prefix} "), Cast("id", models.CharField()))


def register_core() -> None:
    """What core holds; called from ConveningConfig.ready()."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    from .models import Adoption, AdoptionEvent, Innovation, Invitation, Membership, Programme

    register(
        Holding(
            Participant,
            "Participant records",
            export=(
                "programme__name",
                "name",
                "email",
                "organisation__name",
                "job_title",
                "role_group",
                "level",
                "lived_experience",
                "consent_recorded",
                "consent_contact",
                "consent_named",
                "consent_updated_at",
                "created_at",
            ),
            erase={
                "name": _numbered(FORMER_PARTICIPANT),
                "email": "",
                "job_title": "",
                "lived_experience": False,
                "consent_recorded": False,
                "consent_contact": False,
                "consent_named": False,
                "consent_updated_at": None,
                "consent_updated_by": None,
                "user": None,
                "anonymised_at": timezone.now,
            },
            explain="Name replaced by “Former participant” and a number; email, job title, "
            "lived experience and consent answers cleared; unlinked from the account. The "
            "organisation, role group and level stay, so counts stay the same.",
            participant="pk",
        ),
        Holding(
            User,
            "User accounts",
            export=("email", "name", "date_joined", "last_login", "is_active"),
            erase={
                "name": _numbered(FORMER_USER),
                "email": Concat(
                    Value("former-user-"), Cast("id", models.CharField()), Value("@erased.invalid")
                ),
                "is_active": False,
                "is_staff": False,
                "is_superuser": False,
            },
            explain="Deactivated: name and email replaced, password removed, signed out.",
            user="pk",
        ),
        Holding(
            Membership,
            "Programme memberships",
            export=("programme__name", "role", "joined_at"),
            explain="Kept, under the former user's new name, for a lead to remove.",
            user="user",
        ),
        Holding(
            Invitation,
            "Invitations sent to the email address",
            export=("programme__name", "role", "created_at", "accepted_at"),
            erase=DELETE,
            explain="Deleted.",
            email="email",
        ),
        Holding(
            Invitation,
            "Invitations sent or accepted",
            export=("programme__name", "created_at"),
            erase={"invited_by": None},
            explain="No longer say who sent them.",
            user="invited_by",
        ),
        Holding(
            Invitation,
            "Invitations accepted",
            export=("programme__name", "accepted_at"),
            erase={"accepted_by": None},
            explain="No longer say who accepted them.",
            user="accepted_by",
        ),
        Holding(
            Participant,
            "Consent answers recorded for others",
            export=("programme__name", "consent_updated_at"),
            erase={"consent_updated_by": None},
            explain="No longer say who recorded them.",
            user="consent_updated_by",
        ),
        Holding(
            Programme,
            "Programmes created",
            export=("name", "created_at"),
            erase={"created_by": None},
            explain="No longer say who created them.",
            user="created_by",
        ),
        Holding(
            AdoptionEvent,
            "Adoption stage changes recorded",
            export=("adoption__innovation__name", "stage", "date", "note"),
            erase={"recorded_by": None},
            explain="Kept, no longer saying who recorded them.",
            user="recorded_by",
        ),
        Holding(
            Innovation,
            "Named as a contact for innovations",
            export=("programme__name", "name"),
            explain="Kept, naming the anonymised record, who no longer agrees to be contacted.",
            participant="innovator_contacts",
        ),
        Holding(
            Adoption,
            "Local lead of adopting sites",
            export=("innovation__name", "organisation__name", "stage"),
            explain="Kept, naming the anonymised record.",
            participant="local_lead",
        ),
        Holding(
            ApiToken,
            "API tokens",
            export=("name", "can_write", "created_at", "expires_at", "last_used_at", "revoked_at"),
            erase=DELETE,
            explain="Deleted, so they no longer work.",
            user="user",
        ),
        Holding(
            ExportJob,
            "Downloads prepared for them",
            export=("programme__name", "title", "format", "created_at"),
            erase=DELETE,
            explain="Deleted; their files go with the hourly sweep of old downloads.",
            user="requested_by",
        ),
        Holding(
            RetentionPolicy,
            "Retention period confirmed",
            export=("confirmed_years", "confirmed_at"),
            erase={"confirmed_by": None},
            explain="Still confirmed, no longer saying by whom.",
            user="confirmed_by",
        ),
        Holding(
            SocialAccount,
            "NHS work accounts linked for sign-in",
            export=("provider", "uid", "date_joined", "last_login"),
            erase=DELETE,
            explain="Deleted (they hold the name and email the work account gave).",
            user="user",
        ),
        Holding(
            EmailAddress,
            "Sign-in email addresses",
            export=("email", "verified", "primary"),
            erase=DELETE,
            explain="Deleted.",
            user="user",
            email="email",
        ),
        Holding(
            Authenticator,
            "Authenticator apps and recovery codes",
            export=("type", "created_at", "last_used_at"),
            erase=DELETE,
            explain="Deleted.",
            user="user",
        ),
    )
