"""The data protection officer's pages (find, download, erase), the audit log they and other
pages write, and the "Data we hold" page."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Permission

from convening import audit
from convening.models import AuditEntry, AuditLogIsAppendOnly, Participant
from tests.factories import AttendanceFactory, MeetingFactory, ParticipantFactory, UserFactory

from .people_to_erase import EMAIL, NAME, person_everywhere

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = UserFactory(email="dpo@example.org", name="Dee Pio", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="data_protection"))
    client.force_login(user)
    return user


def test_finding_a_person_lists_what_is_held_across_programmes(client, officer):
    person_everywhere()

    response = client.post("/data-protection/", {"email": EMAIL.upper()})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Participant records" in text
    assert "Attendance at meetings" in text
    assert "Download everything held (ZIP)" in text


def test_an_unknown_email_says_nothing_is_held(client, officer):
    response = client.post("/data-protection/", {"email": "nobody@example.org"})

    assert response.status_code == 200
    assert "We hold nothing about nobody@example.org in any programme." in response.content.decode()


def test_a_malformed_email_is_refused_and_kept_in_the_box(client, officer):
    response = client.post("/data-protection/", {"email": "priya at example"})

    text = response.content.decode()
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in text
    assert 'value="priya at example"' in text


def test_the_download_is_a_zip_of_json_and_a_readable_page_and_is_audited(client, officer):
    held = person_everywhere()

    response = client.post("/data-protection/download/", {"email": EMAIL})

    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["data.html", "data.json"]
    data = json.loads(archive.read("data.json"))
    labels = {section["label"] for section in data["sections"]}
    assert {
        "Participant records",
        "Attendance at meetings",
        "Learning written",
        "Narratives contributed to",
        "Actions owned",
        "Feedback sent to innovators",
        "Learning digest subscriptions",
        "Audit log entries about you",
    } <= labels
    records = next(s for s in data["sections"] if s["label"] == "Participant records")
    assert len(records["rows"]) == 2
    assert "anonymous" in data["note"]
    page = archive.read("data.html").decode()
    assert "<h2>Attendance at meetings</h2>" in page
    assert "Weekend cover works" in page
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SUBJECT_ACCESS, actor=officer)
    assert entry.subject_label == EMAIL
    assert entry.subject in (held.first, held.second)
    assert entry.ip_address == "127.0.0.1"


def test_the_download_of_an_unknown_email_says_so(client, officer):
    response = client.post("/data-protection/download/", {"email": "nobody@example.org"})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "We hold nothing about nobody@example.org. Nothing was changed." in page


def test_erasure_asks_first_listing_what_will_change_and_changes_nothing(client, officer):
    held = person_everywhere()

    response = client.post("/data-protection/erase/", {"email": EMAIL})

    text = response.content.decode()
    assert response.status_code == 200
    assert "This cannot be undone" in text
    assert "Kept, so attendance counts stay the same." in text
    assert 'name="confirm" value="True"' in text
    held.first.refresh_from_db()
    assert held.first.name == NAME


def test_confirmed_erasure_anonymises_and_is_audited_by_pseudonym(client, officer):
    held = person_everywhere()

    response = client.post("/data-protection/erase/", {"email": EMAIL, "confirm": "True"})

    assert response.status_code == 302
    held.first.refresh_from_db()
    assert held.first.name == f"Former participant {held.first.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f"Former participant {held.first.pk}" in page
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASED)
    assert entry.actor == officer
    assert EMAIL not in entry.subject_label
    assert "Attendance at meetings: 1" in entry.detail


def test_erasing_an_unknown_email_says_so_and_changes_nothing(client, officer):
    person_everywhere()

    response = client.post(
        "/data-protection/erase/", {"email": "nobody@example.org", "confirm": "True"}
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "We hold nothing about nobody@example.org. Nothing was changed." in page
    assert Participant.objects.filter(name=NAME).count() == 2
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ERASED).exists()


# The audit log


def test_opening_a_person_page_is_audited_with_time_and_address(client, programme, lead):
    person = ParticipantFactory(programme=programme, name="Ola Nwosu")
    client.force_login(lead)

    client.get(f"/programmes/virtual-wards/people/{person.pk}/edit/")
    client.get(f"/programmes/virtual-wards/people/{person.pk}/history/")

    entries = AuditEntry.objects.filter(action=AuditEntry.Action.VIEWED_PERSON)
    assert entries.count() == 2
    entry = entries.first()
    assert (entry.actor, entry.subject, entry.programme) == (lead, person, programme)
    assert entry.subject_label == "Ola Nwosu"
    assert entry.ip_address == "127.0.0.1"
    assert entry.at is not None


def test_saving_a_person_is_not_logged_as_viewing(client, programme, lead):
    person = ParticipantFactory(programme=programme)
    client.force_login(lead)

    client.post(f"/programmes/virtual-wards/people/{person.pk}/edit/", {"name": ""})

    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("url", "action"),
    [
        ("/programmes/virtual-wards/people/export.csv?q=ward", "downloaded_people"),
        ("/programmes/virtual-wards/attendance/export.xlsx", "downloaded_attendance"),
    ],
)
def test_downloads_of_people_and_attendance_are_audited(client, programme, lead, url, action):
    client.force_login(lead)

    response = client.get(url)
    response.getvalue()

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.programme) == (action, lead, programme)


def test_a_refused_download_is_not_audited(client, programme, member):
    client.force_login(member)

    assert client.get("/programmes/virtual-wards/people/export.csv").status_code == 403
    assert not AuditEntry.objects.exists()


def test_audit_entries_cannot_be_changed_or_deleted(programme):
    entry = audit.record(None, audit.Action.MADE_API_TOKEN, programme=programme, detail="CI")

    entry.detail = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.update(detail="changed")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().detail == "CI"


# Data we hold


def test_data_we_hold_says_how_long_from_the_settings(client, programme, member, settings):
    settings.RETENTION_YEARS = 4
    client.force_login(member)

    response = client.get("/programmes/virtual-wards/data-we-hold/")

    text = response.content.decode()
    assert "no activity for more than 4 years" in text
    assert "open to: members only" in text
    assert 'aria-current="page"><strong>Data we hold</strong>' in text


# Session, user, permissions, the person's records and accounts, then one count per holding
# and the audit log: the same whatever the size of the person's history.
# The introductions add three holdings (to either side of one, and made by).
FIND_QUERIES = 44


def test_finding_a_person_runs_the_same_queries_however_much_is_held(
    client, officer, django_assert_num_queries
):
    held = person_everywhere()
    client.post("/data-protection/", {"email": EMAIL})  # the content types, cached once

    with django_assert_num_queries(FIND_QUERIES):
        client.post("/data-protection/", {"email": EMAIL})
    for _ in range(30):
        meeting = MeetingFactory(space__programme=held.first.programme)
        AttendanceFactory(meeting=meeting, participant=held.first)
    with django_assert_num_queries(FIND_QUERIES):
        client.post("/data-protection/", {"email": EMAIL})
