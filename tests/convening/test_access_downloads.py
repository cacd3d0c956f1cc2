"""Who may see and start prepared downloads (convening/views/downloads.py): everyone in the
programme has their own; a job is seen and downloaded only by the person who asked for it
(here the lead), so everyone else gets 404; the programme archive is for leads."""

import pytest
from django.core.files.base import ContentFile

from convening.models import ExportJob
from tests.access import (
    LOGIN,
    OK,
    VISITORS,
    AccessCase,
    cases_by_id,
    cases_with_ids,
    check_access,
    check_other_programme_ids,
    programme_case,
)
from tests.exports import keep_export_files_in

D = "/programmes/virtual-wards/downloads"
ASKER_ONLY = {"anonymous": LOGIN, "outsider": 404, "member": 404, "facilitator": 404, "lead": OK}

CASES = [
    programme_case("downloads", D + "/"),
    programme_case(
        "export_start",
        D + "/new/",
        method="post",
        data={"export": "meetings", "query": ""},
        change_roles=("member", "facilitator", "lead"),
    ),
    programme_case("archive_start", D + "/archive/", method="post"),
    AccessCase("export_job", D + "/{job}/", ASKER_ONLY),
    AccessCase("export_job", D + "/{job}/?seen=queued", ASKER_ONLY),
    AccessCase("export_job_file", D + "/{job}/file/", ASKER_ONLY),
]


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    keep_export_files_in(settings, tmp_path)


@pytest.fixture
def users(lead, facilitator, member, outsider):
    return {"lead": lead, "facilitator": facilitator, "member": member, "outsider": outsider}


def _ready_job(programme, user) -> ExportJob:
    job = ExportJob.objects.create(
        requested_by=user,
        programme=programme,
        export="meetings",
        title="Meetings",
        format="xlsx",
        status="ready",
    )
    job.file.save("meetings.xlsx", ContentFile(b"not really a spreadsheet"))
    return job


@pytest.fixture
def objects(programme, lead):
    return {"job": _ready_job(programme, lead).pk}


@pytest.fixture
def other_objects(other_programme, outsider):
    """A job of the outsider's in their own programme."""
    return {"job": _ready_job(other_programme, outsider).pk}


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_by_id(CASES))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_access(client, case, visitor, users, objects, htmx):
    check_access(client, case, visitor, users, objects, htmx=htmx)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", **cases_with_ids(CASES))
def test_other_programme_ids(client, case, visitor, users, other_objects):
    check_other_programme_ids(client, case, visitor, users, other_objects)


@pytest.mark.parametrize("role", ["member", "facilitator"])
def test_each_person_sees_and_downloads_their_own_job(client, role, users, programme):
    job = _ready_job(programme, users[role])
    client.force_login(users[role])
    assert client.get(f"{D}/{job.pk}/").status_code == 200
    assert client.get(f"{D}/{job.pk}/file/").status_code == 200
    client.force_login(users["lead"])
    assert client.get(f"{D}/{job.pk}/").status_code == 404
