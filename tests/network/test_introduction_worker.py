"""An introduction's email with a real Celery worker and Redis: queued twice at once, it is
sent once, to both people, as text and HTML."""

from __future__ import annotations

import pytest

from convening.models import Sector
from network.models import Introduction
from network.tasks import send_introduction
from tests.worker import require_worker_services, start_worker, stop_worker

from .intro_data import organisation, person

SITE_URL = "https://convening.example.org"


@pytest.fixture(scope="module")
def _celery_worker_process(django_db_setup, tmp_path_factory):
    """One worker for the module, reading the test database and writing its emails to files."""
    require_worker_services()
    worker = start_worker(tmp_path_factory.mktemp("celery-worker"), site_url=SITE_URL)
    try:
        worker.wait_until_answering()
        yield worker
    finally:
        stop_worker(worker)


@pytest.fixture
def celery_worker(_celery_worker_process):
    worker = _celery_worker_process
    worker.clear()
    return worker


@pytest.mark.django_db(transaction=True)
def test_an_introduction_queued_twice_at_once_is_emailed_once_to_both(
    celery_worker, programme, lead
):
    ann = person(programme, "Ann Acute", organisation("Acute One", Sector.ACUTE))
    val = person(programme, "Val Vcse", organisation("Voluntary One", Sector.VCSE))
    introduction = Introduction.objects.create(
        programme=programme,
        person_a=ann,
        person_b=val,
        reason="Never met",
        message="Dear Ann and Val,\n\nPlease meet.",
        made_by=lead,
    )

    task_ids = {
        send_introduction.apply_async(args=[introduction.pk], queue=celery_worker.queue).id
        for _ in range(2)
    }

    celery_worker.wait_for(
        lambda: (done := celery_worker.results("send_introduction")).keys() >= task_ids and done,
        "result of both introduction jobs",
    )
    (message,) = celery_worker.emails()
    assert sorted(address.strip() for address in message["To"].split(",")) == [
        ann.email,
        val.email,
    ]
    assert message["Subject"] == "An introduction: Ann Acute and Val Vcse"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "Please meet." in parts["text/plain"].get_payload(decode=True).decode()
    assert SITE_URL in parts["text/html"].get_payload(decode=True).decode()
    introduction.refresh_from_db()
    assert introduction.emailed_at is not None
