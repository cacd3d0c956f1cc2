from django.conf import settings

from . import unsent


def service(request) -> dict:
    return {
        "service_name": settings.SERVICE_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "organisation_logo_url": settings.ORGANISATION_LOGO_URL,
    }


def session(request) -> dict:
    """For the page layout: when to warn that the session will end (counted from the page's
    last request), and what was typed while signed out, to offer back."""
    user = getattr(request, "user", None)  # absent when a request fails before sign-in is read
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_timeout": {
            "idle_seconds": settings.SESSION_IDLE_SECONDS,
            "warn_seconds": settings.SESSION_WARNING_SECONDS,
        },
        "unsent_changes": unsent.pending(request),
    }
