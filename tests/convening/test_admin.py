"""The admin for support work: every model registered with search, filters and read-only
history; personal fields only for staff with the data protection permission."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from convening.models import AuditEntry, Participant, RetentionPolicy
from tests.factories import UserFactory

from .people_to_erase import EMAIL, NAME, person_everywhere

OUR_APPS = ("convening", "spaces", "activities", "learning")


def our_models():
    return [
        model
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]


def test_every_model_of_every_app_is_in_the_admin_with_search_and_filters():
    unregistered = [m.__name__ for m in our_models() if m not in admin.site._registry]
    assert unregistered == []
    for model in our_models():
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields, model.__name__
        assert model_admin.list_filter, model.__name__


def test_models_with_history_use_the_history_admin_and_history_cannot_be_reverted(settings):
    from simple_history.admin import SimpleHistoryAdmin

    for model in our_models():
        if hasattr(model, "history"):
            assert isinstance(admin.site._registry[model], SimpleHistoryAdmin), model.__name__
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True, email="support@example.org")


@pytest.fixture
def officer(db):
    user = UserFactory(is_staff=True, is_superuser=False, email="dpo@example.org")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=OUR_APPS))
    return user


def admin_pages(model, obj) -> list[str]:
    info = (model._meta.app_label, model._meta.model_name)
    pages = [reverse("admin:{}_{}_changelist".format(*info))]
    if obj is not None:
        pages.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        if hasattr(model, "history"):
            pages.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
        pages.append(reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]))
    return pages


@pytest.mark.django_db
def test_staff_without_the_permission_see_no_name_or_email_on_any_admin_page(client, staff):
    """A superuser lacks nothing but this one permission, taken away by a group-less check:
    the permission is what shows personal fields, not being a superuser."""
    staff.is_superuser = False
    staff.save()
    staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=OUR_APPS).exclude(
            codename="data_protection"
        )
    )
    person_everywhere()
    RetentionPolicy.current()
    client.force_login(staff)
    seen = []
    for model in our_models():
        obj = model._default_manager.order_by("pk").first()
        for page in admin_pages(model, obj):
            response = client.get(page)
            assert response.status_code in (200, 403), (page, response.status_code)
            text = response.content.decode()
            seen += [(page, needle) for needle in (NAME, EMAIL) if needle in text]
    search = client.get(reverse("admin:convening_participant_changelist"), {"q": "Priya"})
    assert NAME not in search.content.decode()
    assert seen == []


@pytest.mark.django_db
def test_the_data_protection_officer_sees_personal_fields(client, officer):
    held = person_everywhere()
    client.force_login(officer)

    page = client.get(reverse("admin:convening_participant_change", args=[held.first.pk]))
    listing = client.get(reverse("admin:convening_participant_changelist"), {"q": "Priya"})

    assert EMAIL in page.content.decode()
    assert NAME in listing.content.decode()


@pytest.mark.django_db
def test_the_audit_log_is_read_only_in_the_admin(client, officer):
    person_everywhere()
    entry = AuditEntry.objects.first()
    client.force_login(officer)

    listing = client.get(
        reverse("admin:convening_auditentry_changelist"), {"action": "viewed_person"}
    )
    change = client.post(
        reverse("admin:convening_auditentry_change", args=[entry.pk]), {"detail": "edited"}
    )
    delete = client.post(
        reverse("admin:convening_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200
    assert "Viewed a person" in listing.content.decode()
    assert change.status_code == 403
    assert delete.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk, detail="").exists()


@pytest.mark.django_db
def test_participants_cannot_be_deleted_in_the_admin_only_erased(client, officer):
    held = person_everywhere()
    client.force_login(officer)

    response = client.post(
        reverse("admin:convening_participant_delete", args=[held.first.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Participant.objects.filter(pk=held.first.pk).exists()


@pytest.mark.django_db
def test_confirming_the_retention_period_records_who_and_which_period(client, officer, settings):
    settings.RETENTION_YEARS = 6
    policy = RetentionPolicy.current()
    client.force_login(officer)

    response = client.post(
        reverse("admin:convening_retentionpolicy_change", args=[policy.pk]),
        {"confirm_period": "on"},
    )

    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.confirmed_years == 6
    assert policy.confirmed_by == officer
    assert policy.is_confirmed_for(6)
    assert not policy.is_confirmed_for(7)
