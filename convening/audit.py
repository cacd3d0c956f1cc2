"""The audit log: who looked at or took personal data, when, and from where.

Any app records an entry with one call, for example when an API token is made:

    audit.record(request, audit.Action.MADE_API_TOKEN, programme=programme, detail=token.name)

Entries are only ever added (`AuditEntry` refuses to be changed or deleted); the admin shows
them read-only, with filters, to staff who may read the log.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import AuditEntry, Participant, Programme

Action = AuditEntry.Action


def record(
    request: HttpRequest | None,
    action: str,
    *,
    subject: Participant | None = None,
    subject_label: str = "",
    programme: Programme | None = None,
    detail: str = "",
) -> AuditEntry:
    """Add one entry: the signed-in user and their address from the request (None for a job),
    who it was about (a person's record, or a label such as the email searched for), the
    programme, and any detail worth keeping."""
    user = getattr(request, "user", None)
    if subject is not None:
        subject_label = subject_label or subject.name
        programme = programme or subject.programme
    return AuditEntry.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        ip_address=_client_address(request),
        action=action,
        programme=programme,
        subject=subject,
        subject_label=subject_label[:200],
        detail=detail[:2000],
    )


def _client_address(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only: a forwarded header is whatever the client chose to send. Behind a
    # reverse proxy, the proxy must set REMOTE_ADDR to the client's address (see the README).
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
