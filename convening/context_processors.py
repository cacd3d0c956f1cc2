from django.conf import settings


def service(request) -> dict:
    return {
        "service_name": settings.SERVICE_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "organisation_logo_url": settings.ORGANISATION_LOGO_URL,
    }
