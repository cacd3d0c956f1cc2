"""The meeting pulse: a signed link per meeting, anonymous answers, and results that show only
once enough people have answered that no answer can be traced to a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, FloatField, Sum
from django.utils.crypto import salted_hmac

from .models import Meeting, PulseResponse

SALT = "meeting-pulse"
LINK_LIFETIME = timedelta(days=14)
# Below this many answers a facilitator could work out who said what.
RESULTS_THRESHOLD = 3


class PulseLinkError(Exception):
    """A pulse link that cannot be used."""


class PulseLinkInvalid(PulseLinkError):
    """Forged, mangled, or for a meeting that no longer exists."""


class PulseLinkExpired(PulseLinkError):
    """Genuine, but made more than LINK_LIFETIME ago."""


class AlreadyAnswered(Exception):
    """This browser has already answered this meeting's pulse."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def pulse_token(meeting: Meeting) -> str:
    """A new link token for the meeting, valid for LINK_LIFETIME from now."""
    return _signer().sign(str(meeting.pk))


def meeting_from_pulse_token(token: str) -> Meeting:
    """The meeting a pulse token was made for; PulseLinkInvalid or PulseLinkExpired if it
    cannot be used."""
    try:
        meeting_id = _signer().unsign(token, max_age=LINK_LIFETIME)
    except signing.SignatureExpired as error:
        raise PulseLinkExpired("This pulse link has expired") from error
    except signing.BadSignature as error:
        raise PulseLinkInvalid("This pulse link is not valid") from error
    meeting = Meeting.objects.filter(pk=int(meeting_id)).first()
    if meeting is None:
        raise PulseLinkInvalid("This pulse link is for a meeting that no longer exists")
    return meeting


def respondent_key(meeting: Meeting, browser_id: str) -> str:
    """A keyed hash of the browser's random id and the meeting: the same browser gives the
    same key for one meeting, and nothing links it to a person or to its other answers."""
    value = f"{meeting.pk}:{browser_id}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()


def has_answered(meeting: Meeting, browser_id: str | None) -> bool:
    if not browser_id:
        return False
    key = respondent_key(meeting, browser_id)
    return PulseResponse.objects.filter(meeting=meeting, respondent_key=key).exists()


def record_answer(meeting: Meeting, browser_id: str, answers: dict) -> PulseResponse:
    """Save one browser's answers; AlreadyAnswered if it has answered this meeting before.

    The unique constraint decides, so two fast posts from one browser save once.
    """
    try:
        with transaction.atomic():
            return PulseResponse.objects.create(
                meeting=meeting, respondent_key=respondent_key(meeting, browser_id), **answers
            )
    except IntegrityError as error:
        raise AlreadyAnswered from error


@dataclass(frozen=True)
class PulseResults:
    """What a facilitator may see of a meeting's pulse."""

    count: int
    felt_safe: float | None = None
    useful: float | None = None
    stretching: float | None = None
    connections_total: int | None = None
    connections_average: float | None = None
    comments: tuple[str, ...] = ()

    @property
    def shown(self) -> bool:
        return self.count >= RESULTS_THRESHOLD

    @property
    def still_needed(self) -> int:
        return max(0, RESULTS_THRESHOLD - self.count)


def pulse_results(meeting: Meeting) -> PulseResults:
    """The count always; the averages and comments only from RESULTS_THRESHOLD answers.

    One query for the figures and one for the comments. Comments come in the order of their
    keyed hash: stable, but unrelated to when or by whom they were written, and without dates.
    """
    answers = PulseResponse.objects.filter(meeting=meeting)
    figures = answers.aggregate(
        count=Count("pk"),
        felt_safe=_average("felt_safe"),
        useful=_average("useful"),
        stretching=_average("stretching"),
        connections_total=Sum("new_connections"),
        connections_average=_average("new_connections"),
    )
    if figures["count"] < RESULTS_THRESHOLD:
        return PulseResults(count=figures["count"])
    comments = answers.exclude(comment="").order_by("respondent_key")
    return PulseResults(
        **{
            name: round(value, 1) if isinstance(value, float) else value
            for name, value in figures.items()
        },
        comments=tuple(comments.values_list("comment", flat=True)),
    )


def _average(field: str) -> Avg:
    # A float on every database (PostgreSQL would give a Decimal), rounded for display above.
    return Avg(field, output_field=FloatField())
