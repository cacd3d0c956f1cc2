"""Erasure by anonymisation: nothing anywhere still holds the person's name or email address,
the counts stay the same, and two erasures at once anonymise the person once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from convening import personal_data
from convening.models import AdoptionEvent, AuditEntry, Participant, User
from learning.models import Feedback, LearningEntry, Subscription
from spaces.models import Attendance, PulseResponse
from tests.conftest import skip_or_fail

from .people_to_erase import EMAIL, NAME, NEEDLES, person_everywhere

pytestmark = pytest.mark.django_db


def tables_holding(*needles: str) -> dict[str, list[str]]:
    """Every table and column of the whole database (history tables, the admin's log,
    allauth's tables included) whose text holds any of the needles, in any case."""
    found: dict[str, list[str]] = {}
    like = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            for column in columns:
                quoted = f"{connection.ops.quote_name(table)}"
                cast = f"CAST({connection.ops.quote_name(column)} AS TEXT)"
                conditions = " OR ".join(f"{cast} {like} %s" for _ in needles)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted} WHERE {conditions}",  # noqa: S608
                    [f"%{needle}%" for needle in needles],
                )
                if cursor.fetchone()[0]:
                    found.setdefault(table, []).append(column)
    return found


def counts() -> dict[str, int]:
    return {
        "attendance": Attendance.objects.count(),
        "attended": Attendance.objects.filter(status="attended").count(),
        "participants": Participant.objects.count(),
        "learning": LearningEntry.objects.count(),
        "feedback": Feedback.objects.count(),
        "pulse": PulseResponse.objects.count(),
        "adoption_events": AdoptionEvent.objects.count(),
    }


def test_the_sweep_finds_the_person_everywhere_before_erasure():
    person_everywhere()

    found = tables_holding(*NEEDLES)

    # The sweep can see each kind of place: the record, its history, the account, allauth,
    # the admin's log, the audit log and the feature apps' tables.
    for table in (
        "convening_participant",
        "convening_historicalparticipant",
        "convening_user",
        "account_emailaddress",
        "socialaccount_socialaccount",
        "django_admin_log",
        "convening_auditentry",
        "learning_feedback",
        "learning_contactmessage",
        "learning_subscription",
        "convening_invitation",
    ):
        assert table in found, table


def test_after_erasure_no_column_of_any_table_holds_the_name_or_email():
    person_everywhere()

    erasure = personal_data.erase(EMAIL)

    assert erasure is not None
    assert tables_holding(*NEEDLES) == {}


def test_erasure_keeps_every_count_and_the_rows_of_other_people():
    held = person_everywhere()
    before = counts()

    personal_data.erase(EMAIL)

    assert counts() == before
    held.bystander.refresh_from_db()
    assert held.bystander.name == "Sam Okafor"
    assert Attendance.objects.filter(participant=held.first).count() == 1


def test_erasure_replaces_names_unlinks_and_deactivates_the_account():
    held = person_everywhere()

    erasure = personal_data.erase(EMAIL)

    first, second = (Participant.objects.get(pk=p.pk) for p in (held.first, held.second))
    assert first.name == f"Former participant {first.pk}"
    assert second.name == f"Former participant {second.pk}"
    assert (first.email, first.job_title, first.user_id) == ("", "", None)
    assert (first.consent_named, first.consent_contact, first.consent_recorded) == (False,) * 3
    assert first.anonymised_at is not None
    user = User.objects.get(pk=held.user.pk)
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.name == f"Former user {user.pk}"
    assert LearningEntry.objects.get(title="Weekend cover works").author is None
    assert not Subscription.objects.filter(email__iexact=EMAIL).exists()
    assert Subscription.objects.count() == 0
    assert set(erasure.pseudonyms) == {first.name, second.name}
    assert erasure.counts["Attendance at meetings"] == 1


def test_history_records_of_the_person_are_anonymised_too():
    held = person_everywhere()

    personal_data.erase(EMAIL)

    names = set(Participant.history.filter(id=held.first.pk).values_list("name", flat=True))
    assert names == {f"Former participant {held.first.pk}"}
    titles = set(Participant.history.filter(id=held.first.pk).values_list("job_title", flat=True))
    assert titles == {""}


def test_audit_entries_about_the_person_name_them_by_pseudonym_only():
    held = person_everywhere()

    personal_data.erase(EMAIL)

    labels = set(AuditEntry.objects.values_list("subject_label", flat=True))
    assert all(EMAIL not in label and NAME not in label for label in labels)
    assert AuditEntry.objects.filter(subject=held.first).exists()


def test_an_unknown_email_is_reported_and_changes_nothing():
    person_everywhere()
    before = counts()

    assert personal_data.erase("nobody@example.org") is None
    assert personal_data.find_person("nobody@example.org") is None
    assert counts() == before
    assert Participant.objects.filter(name=NAME).count() == 2


def test_an_email_held_only_by_a_subscription_is_found_and_erased():
    Subscription.objects.create(programme=_programme(), email="reader@example.org")

    person = personal_data.find_person("Reader@Example.org")

    assert person is not None
    assert [label for label, count in _labels(person)] == ["Learning digest subscriptions"]
    personal_data.erase("reader@example.org")
    assert not Subscription.objects.exists()


def _programme():
    from tests.factories import ProgrammeFactory

    return ProgrammeFactory()


def _labels(person):
    return [(holding.label, count) for holding, count in person.holdings()]


@pytest.mark.django_db(transaction=True)
def test_two_erasures_of_the_same_person_at_once_anonymise_them_once_without_error():
    if connection.vendor != "postgresql":
        skip_or_fail("DATABASE_URL is not PostgreSQL: racing erasures need a shared database")
    held = person_everywhere()
    racers = 4
    start = threading.Barrier(racers)
    results: list = []
    errors: list = []

    def erase():
        try:
            start.wait(timeout=10)
            results.append(personal_data.erase(EMAIL))
        except Exception as error:  # any error at all fails the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=erase) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sum(result is not None for result in results) == 1
    assert len(results) == racers
    held.first.refresh_from_db()
    assert held.first.name == f"Former participant {held.first.pk}"
    assert tables_holding(*NEEDLES) == {}


# Every link to a person is declared

# Links handled otherwise: the record's own account link is cleared with the record, and the
# audit log's actor and subject stay pointed at the anonymised account and record.
HANDLED_OTHERWISE = {("participant", "user"), ("auditentry", "actor"), ("auditentry", "subject")}


def test_every_field_that_points_at_a_person_is_covered_by_a_holding():
    from django.apps import apps

    declared = {
        (holding.model._meta.model_name, link)
        for holding in personal_data.HOLDINGS
        for link in (holding.participant, holding.user)
        if link
    }
    missing = []
    for app in ("convening", "spaces", "activities", "learning"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.get_fields():
                if not field.is_relation or field.auto_created or field.related_model is None:
                    continue
                if field.related_model not in (Participant, User):
                    continue
                key = (model._meta.model_name, field.name)
                if key not in declared and key not in HANDLED_OTHERWISE:
                    missing.append(f"{model.__name__}.{field.name}")
    assert missing == []
