"""Journey: an adopter subscribes on the hub and confirms from the email; a facilitator
publishes learning; the daily run goes through a real Celery worker; the adopter's digest holds
that learning with working absolute links, and its one-click unsubscribe stops the next one.

Needs Redis and PostgreSQL (the worker shares the test database): CI has both."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from convening.models import Programme
from learning.delivery import due_subscriptions, latest_run_date, period_end_for
from learning.models import DigestDelivery, LearningEntry, Subscription
from learning.tasks import run_digests

from ..conftest import celery_configured
from ..factories import PASSWORD, InnovationFactory, LearningEntryFactory, MeetingFactory
from ..worker import require_worker_services, start_worker, stop_worker
from .conftest import BROWSER_TEST_MARKS, sign_out

pytestmark = BROWSER_TEST_MARKS

ADOPTER = "adopter@example.org"
LEARNING = "A named nurse for each patient made the daily call work"


@pytest.fixture
def eager_confirmations():
    """The confirmation email is sent in the web process, as without a broker; the digest run
    below goes through the real worker."""
    with celery_configured(task_always_eager=True) as app:
        yield app


@pytest.fixture
def worker(live_server, tmp_path, transactional_db):
    require_worker_services()
    started = start_worker(tmp_path / "worker", site_url=live_server.url)
    try:
        started.wait_until_answering()
        yield started
    finally:
        stop_worker(started)


def test_adopter_subscribes_gets_the_learning_by_email_and_unsubscribes_in_one_click(
    programme, facilitator, space, live_server, settings, page, visitor,
    sign_in_through_form, eager_confirmations, worker,
):  # fmt: skip
    settings.SITE_URL = live_server.url
    programme.hub_visibility = Programme.HubVisibility.PUBLIC
    programme.save()
    innovation = InnovationFactory(programme=programme, name="Virtual ward", slug="virtual-ward")

    visitor.visit(f"/learn/{programme.slug}/{innovation.slug}/", "hub innovation page")
    page.get_by_role("link", name="Subscribe").first.click()
    visitor.after_navigation("subscribe form")
    page.get_by_label("Email address").fill(ADOPTER)
    page.get_by_label("Daily", exact=True).check()
    page.get_by_role("button", name="Subscribe").click()
    visitor.after_navigation("subscription saved")

    (confirmation,) = [message for message in mail.outbox if message.to == [ADOPTER]]
    link = re.search(r"(https?://\S+/digests/confirm/\S+/)", confirmation.body).group(1)
    assert link.startswith(live_server.url)
    visitor.visit(urlsplit(link).path, "confirm page")
    page.get_by_role("button", name="Confirm subscription").click()
    expect(page.get_by_text("Subscription confirmed")).to_be_visible()
    visitor.after_navigation("confirmed")
    subscription = Subscription.objects.get(email=ADOPTER)
    assert subscription.is_confirmed

    # A facilitator publishes learning captured at a meeting of their space.
    entry = LearningEntryFactory(
        programme=programme,
        innovation=innovation,
        source_meeting=MeetingFactory(space=space, status="held"),
        title=LEARNING,
        visibility="public",
        author=facilitator,
    )
    sign_in_through_form(visitor, facilitator.email, PASSWORD)
    visitor.visit(f"/programmes/{programme.slug}/learning/{entry.pk}/", "draft")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published on")).to_be_visible()
    visitor.after_navigation("published")
    sign_out(visitor)

    # The daily run covers the period ending at 07:00; the adopter confirmed, and the learning
    # was published, within the last one.
    period_end = period_end_for(latest_run_date())
    Subscription.objects.filter(pk=subscription.pk).update(
        confirmed_at=period_end - timedelta(hours=2)
    )
    LearningEntry.objects.filter(pk=entry.pk).update(published_at=period_end - timedelta(hours=1))
    eager_confirmations.conf.task_always_eager = False  # the run goes to the worker
    run = run_digests.apply_async(queue=worker.queue).id
    worker.wait_for(lambda: run in worker.results("run_digests"), "the digest run")
    worker.wait_for(
        lambda: DigestDelivery.objects.filter(subscription=subscription, status="sent").exists(),
        "the adopter's digest",
    )
    (digest,) = [message for message in worker.emails() if message["To"] == ADOPTER]
    text = digest.get_payload()[0].get_payload(decode=True).decode()
    assert LEARNING in text
    links = re.findall(r"https?://[^\s>)\]]+", text)
    assert links
    assert all(found.startswith(live_server.url) for found in links), links
    response = visitor.visit(urlsplit(links[0]).path, "a link from the digest")
    assert response.status == 200

    unsubscribe = re.search(r"<([^>]+)>", digest["List-Unsubscribe"]).group(1)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    visitor.visit(urlsplit(unsubscribe).path, "unsubscribe page")
    one_click = page.request.post(unsubscribe, form={"List-Unsubscribe": "One-Click"})
    assert one_click.status == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert subscription not in due_subscriptions(latest_run_date() + timedelta(days=1))
    visitor.assert_every_page_passed()
