"""The JSON API (DESIGN section 14): one NinjaAPI, with core's own routes here and each feature
app's routes in its own `api.py`, mounted by name in `convening/urls.py` (core imports no
feature app).

A request is signed in by a personal access token (`Authorization: Bearer cvn_…`) or by the
browser's session, with Django's CSRF check on writes. A token acts for its user: objects are
fetched through the same `access.py` functions as pages, so the user's role is read at the time
of each request, and `convening.access.get_programme_for_view` also limits a token to the
programmes it names. Errors are JSON: 401 not signed in, 403 not allowed, 404 not found (or not
yours to see), 409 someone saved first, 422 a field is wrong (its place named in `loc`),
429 too many requests (with `Retry-After`).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db.models import Exists, OuterRef, QuerySet
from django.forms import Form
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle
from pydantic import ConfigDict, create_model, field_validator

from .access import can_see_contact_details, get_programme_for_view
from .history import Conflict
from .models import Adoption, ApiToken, Innovation, Participant, Programme

PAGE_SIZE = 50
PAGE_MAX = 200

# Authentication ---------------------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """A personal access token in the Authorization header. A header with a token that is
    unknown, revoked or expired is refused outright (401), whatever the session says."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        api_token = ApiToken.objects.authenticate(token)
        if api_token is None:
            raise AuthenticationError(
                401, "This token is not valid: it may have expired or been revoked"
            )
        api_token.note_use()
        request.user = api_token.user
        request.api_token = api_token
        # convening.access.get_programme_for_view reads this: the token's programmes only.
        request.token_programme_ids = set(api_token.programmes.values_list("pk", flat=True))
        return api_token


class BrowserSession(SessionAuth):
    """The signed-in browser's session. Django's CSRF check applies to its writes; a request
    with no session is simply not signed in (401), not a CSRF failure."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user is not None:
            request.api_token = None
        return user


class PerTokenThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT requests per token (or per signed-in user, for the browser), counted in
    the cache, which is Redis when one is configured."""

    def __init__(self) -> None:
        super().__init__(rate=settings.API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        # The setting is read on every request, so a change applies without a restart of tests.
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "api_token", None)
        if token is not None:
            return f"api-rate-token-{token.pk}"
        if request.user.is_authenticated:
            return f"api-rate-user-{request.user.pk}"
        return None


def may_write(request: HttpRequest) -> None:
    """Writes need a read-and-write token (or the browser's session)."""
    token = getattr(request, "api_token", None)
    if token is not None and not token.can_write:
        raise HttpError(403, "This token may only read")


api = NinjaAPI(
    title="Convening API",
    version="1",
    description=(
        "Read a programme's spaces, meetings, people, plan, learning and adoption, and log "
        "meetings and draft learning. Sign in with a personal access token from your account's "
        "API tokens page: `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), BrowserSession()],
    throttle=[PerTokenThrottle()],
    docs=Swagger(settings={"persistAuthorization": False}),
)


def mount(routers: Iterable[str]) -> None:
    """Add the feature apps' routers, named by import path, once."""
    if api._bound_routers_cache is not None:
        return
    for router in routers:
        api.add_router("", router)


# Errors -----------------------------------------------------------------------------------------


class FormInvalidError(Exception):
    """A Django form refused the data: answered as 422 with each field named."""

    def __init__(self, form: Form, renamed: dict[str, str] | None = None):
        self.form = form
        self.renamed = renamed or {}


@api.exception_handler(FormInvalidError)
def _form_invalid(request, exc: FormInvalidError):
    detail = [
        {
            "loc": [
                "body",
                "payload",
                *([] if name == "__all__" else [exc.renamed.get(name, name)]),
            ],
            "msg": message,
        }
        for name, messages in exc.form.errors.items()
        for message in messages
    ]
    return api.create_response(request, {"detail": detail}, status=422)


def field_error(loc: list, message: str) -> ValidationError:
    return ValidationError([{"loc": loc, "msg": message, "type": "value_error"}])


class ConflictError(Exception):
    def __init__(self, conflict: Conflict):
        self.conflict = conflict


@api.exception_handler(ConflictError)
def _conflict(request, exc: ConflictError):
    conflict = exc.conflict
    body = {
        "detail": "Someone else saved this since you read it. Read it again, then send your "
        "change with the current version.",
        "current_version": conflict.version,
        "changed": sorted(conflict.changed),
        "saved_at": conflict.at.isoformat() if conflict.at else None,
    }
    return api.create_response(request, body, status=409)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "Not allowed"}, status=403)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc: RequestDataTooBig):
    return api.create_response(request, {"detail": "The request body is too large"}, status=400)


# Shared schemas, pagination and updated_since --------------------------------------------------


def _without_nulls(value: Any) -> Any:
    """NUL characters cannot be stored (PostgreSQL refuses them), as in the pages'
    StripNullCharactersMiddleware."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


class Payload(Schema):
    """A request body: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _strip_nulls(cls, value):
        return _without_nulls(value)


class ListParams(Schema):
    cursor: str | None = Field(
        None,
        max_length=40,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="From `next_cursor` of the page before",
    )
    limit: int = Field(PAGE_SIZE, ge=1, le=PAGE_MAX, description="Items per page")
    updated_since: datetime | None = Field(
        None,
        description="Only items created or changed at or after this time (ISO 8601; without "
        "an offset, UK time)",
    )

    @field_validator("updated_since")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        """In UTC, as the database compares it: an offset it cannot hold is an input error."""
        if value is None:
            return None
        try:
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValueError("Give a time between the years 1 and 9999") from None


ListQuery = Annotated[ListParams, Query()]


def page_of(item: type[Schema]) -> type[Schema]:
    """The schema of one page of a list: its items and the cursor of the next page."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        items=(list[item], ...),
        next_cursor=(str | None, None),
    )


def _encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.isdigit() or len(text) > 18:
            raise ValueError(text)
        return int(text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise field_error(["query", "cursor"], "Not a cursor this API gave") from None


def paginate(queryset: QuerySet, params: ListParams, changed_since: Callable) -> dict:
    """One page, in the order the objects were made (by id), after the cursor. Three queries
    at most, whatever the page size, once `queryset` loads what the items show."""
    if params.updated_since is not None:
        queryset = queryset.filter(changed_since(params.updated_since))
    if params.cursor:
        queryset = queryset.filter(pk__gt=_decode_cursor(params.cursor))
    rows = list(queryset.order_by("pk")[: params.limit + 1])
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    return {"items": rows, "next_cursor": _encode_cursor(rows[-1].pk) if more else None}


def changed_in_history(model) -> Callable:
    """`updated_since` for a model with django-simple-history: any saved version since then."""

    def since(when: datetime):
        return Exists(model.history.model.objects.filter(id=OuterRef("pk"), history_date__gte=when))

    return since


def programme_for(request: HttpRequest, slug: str) -> Programme:
    return get_programme_for_view(request, slug)


# Core routes: programmes, people, innovations and adoption --------------------------------------

router = Router(tags=["Programmes"])


class ProgrammeOut(Schema):
    id: int
    slug: str
    name: str
    summary: str
    status: str
    hub_visibility: str
    my_role: str = Field(description="Your role in the programme: lead, facilitator or member")
    problem: str
    priority: str
    value: str
    shared_purpose: str
    understanding_agreed_on: date | None
    created_at: datetime


@router.get("/programmes", response=page_of(ProgrammeOut), url_name="api_programme_list")
def programme_list(request, params: ListQuery):
    programmes = Programme.objects.visible_to(request.user)
    scope = getattr(request, "token_programme_ids", None)
    if scope is not None:
        programmes = programmes.filter(pk__in=scope)
    return paginate(programmes, params, changed_in_history(Programme))


@router.get("/programmes/{slug:slug}", response=ProgrammeOut, url_name="api_programme")
def programme_detail(request, slug: str):
    return programme_for(request, slug)


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    sector: str
    place: str


class ParticipantOut(Schema):
    id: int
    name: str
    organisation: OrganisationOut | None
    job_title: str
    role_group: str
    level: str
    lived_experience: bool
    email: str | None = Field(description="Only for the programme's leads and facilitators")
    consent_recorded: bool
    consent_contact: bool
    consent_named: bool
    version: int

    @staticmethod
    def resolve_email(participant) -> str | None:
        return participant.email if participant.contact_visible else None


@router.get(
    "/programmes/{slug:slug}/participants",
    response=page_of(ParticipantOut),
    url_name="api_participant_list",
)
def participant_list(request, slug: str, params: ListQuery):
    programme = programme_for(request, slug)
    page = paginate(
        Participant.objects.for_programme(programme).with_organisation(),
        params,
        changed_in_history(Participant),
    )
    contact_visible = can_see_contact_details(programme)
    for participant in page["items"]:
        participant.contact_visible = contact_visible
    return page


class InnovationOut(Schema):
    id: int
    slug: str
    name: str
    summary: str
    innovator_organisation: OrganisationOut | None
    evidence_summary: str
    core_components: str
    adaptable_elements: str
    version: int


@router.get(
    "/programmes/{slug:slug}/innovations",
    response=page_of(InnovationOut),
    url_name="api_innovation_list",
)
def innovation_list(request, slug: str, params: ListQuery):
    programme = programme_for(request, slug)
    innovations = Innovation.objects.filter(programme=programme).select_related(
        "innovator_organisation"
    )
    return paginate(innovations, params, changed_in_history(Innovation))


class AdoptionEventOut(Schema):
    id: int
    stage: str
    date: date
    note: str
    recorded_at: datetime


class AdoptionOut(Schema):
    id: int
    innovation_id: int
    organisation: OrganisationOut
    stage: str
    local_lead_id: int | None
    updated_at: datetime
    events: list[AdoptionEventOut]

    @staticmethod
    def resolve_events(adoption) -> list:
        return list(adoption.events.all())


@router.get(
    "/programmes/{slug:slug}/adoptions",
    response=page_of(AdoptionOut),
    url_name="api_adoption_list",
)
def adoption_list(request, slug: str, params: ListQuery):
    programme = programme_for(request, slug)
    adoptions = (
        Adoption.objects.for_programme(programme)
        .select_related("organisation")
        .prefetch_related("events")
    )
    return paginate(adoptions, params, changed_in_history(Adoption))


api.add_router("", router)
