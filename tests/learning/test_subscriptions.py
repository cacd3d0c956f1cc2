"""Digest subscriptions: double opt-in from the hub, the confirmation email and its token, the
manage and one-click unsubscribe links, a member's own digests, and a broker that is down."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone
from kombu.exceptions import OperationalError

from convening.models import Programme
from learning import subscriptions
from learning.models import Subscription
from learning.tasks import send_confirmation_email as confirmation_task
from tests.conftest import celery_configured
from tests.factories import InnovationFactory, ProgrammeFactory, SubscriptionFactory

SITE_URL = "https://convening.example.org"
HUB = "/learn/open-wards/"
SUBSCRIBE = HUB + "remote-monitoring/subscribe/"
READER = {
    "email": "Reader@Example.org",
    "scope": "innovation",
    "frequency": "weekly",
    "weekday": "2",
}
CONFIRM_LINK = re.compile(re.escape(SITE_URL) + r"(/digests/confirm/[^/\s\"]+/)")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture(autouse=True)
def _tasks_run_at_once():
    """Tasks run in the test's process even where CI sets REDIS_URL, so emails are in the
    outbox when the request returns."""
    with celery_configured(task_always_eager=True):
        yield


@pytest.fixture
def open_programme(db):
    return ProgrammeFactory(
        name="Open wards", slug="open-wards", hub_visibility=Programme.HubVisibility.PUBLIC
    )


@pytest.fixture
def innovation(open_programme):
    return InnovationFactory(
        programme=open_programme, name="Remote monitoring", slug="remote-monitoring"
    )


@pytest.fixture
def subscribe(client, django_capture_on_commit_callbacks):
    """Post the hub's subscribe form, running what happens after the commit."""

    def post(data=READER, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SUBSCRIBE, data, **kwargs)

    return post


def pending(innovation, **fields):
    fields = {"email": "reader@example.org", "frequency": "weekly", "weekday": 2, **fields}
    return SubscriptionFactory(programme=innovation.programme, innovation=innovation, **fields)


def confirm_path(subscription) -> str:
    return f"/digests/confirm/{subscriptions.confirmation_token(subscription)}/"


# Subscribing and the confirmation email ---------------------------------------------------------


def test_subscribing_sends_one_confirmation_email_with_an_absolute_link(subscribe, innovation):
    response = subscribe()
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.confirmation_requested_at is not None
    assert subscription.confirmation_sent_at >= subscription.confirmation_requested_at
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "Remote monitoring" in message.subject
    assert CONFIRM_LINK.search(message.body)
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert CONFIRM_LINK.search(html)
    assert "<script" not in html
    assert "<img" not in html


def test_the_confirmation_link_asks_first_then_confirms_on_post(subscribe, client, innovation):
    subscribe()
    path = CONFIRM_LINK.search(mail.outbox[0].body).group(1)
    page = client.get(path)
    assert page.status_code == 200
    assert re.search(r"<button[^>]*>\s*Confirm subscription\s*</button>", page.content.decode())
    assert Subscription.objects.get().confirmed_at is None  # a GET changes nothing
    response = client.post(path)
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    done = client.get(response["Location"]).content.decode()
    assert "Subscription confirmed" in done
    assert f"/digests/manage/{subscription.unsubscribe_token}/" in done


def test_a_reused_confirmation_link_says_so_and_changes_nothing(client, innovation):
    confirmed_at = timezone.now() - timedelta(days=2)
    subscription = pending(innovation, confirmed_at=confirmed_at)
    for response in (
        client.get(confirm_path(subscription)),
        client.post(confirm_path(subscription)),
    ):
        assert response.status_code == 200
        assert "Subscription already confirmed" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at == confirmed_at


def _forged_tokens(subscription) -> list[str]:
    good = subscriptions.confirmation_token(subscription)
    other_salt = signing.TimestampSigner(salt="elsewhere").sign(
        f"{subscription.pk}.{subscription.unsubscribe_token}"
    )
    wrong_token = subscriptions._signer().sign(f"{subscription.pk}.not-the-token")
    return [good[:-2] + "xx", "nonsense", other_salt, wrong_token, good.replace(":", "", 1)]


def test_forged_confirmation_links_show_a_clear_page_and_change_nothing(client, innovation):
    subscription = pending(innovation)
    for token in _forged_tokens(subscription):
        for response in (
            client.get(f"/digests/confirm/{token}/"),
            client.post(f"/digests/confirm/{token}/"),
        ):
            assert response.status_code == 400, token
            assert "This link is not valid" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_a_confirmation_link_for_a_deleted_subscription_is_not_valid(client, innovation):
    subscription = pending(innovation)
    path = confirm_path(subscription)
    subscription.delete()
    assert client.post(path).status_code == 400


def test_an_expired_confirmation_link_shows_a_clear_page_and_changes_nothing(client, innovation):
    subscription = pending(innovation)
    eight_days_ago = time.time() - 8 * 24 * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        path = confirm_path(subscription)
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 400
        body = response.content.decode()
        assert "This link has expired" in body
        assert "7 days" in body
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_a_six_day_old_link_still_works(client, innovation):
    subscription = pending(innovation)
    six_days_ago = time.time() - 6 * 24 * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=six_days_ago):
        path = confirm_path(subscription)
    assert client.post(path).status_code == 302
    subscription.refresh_from_db()
    assert subscription.is_confirmed


def test_asking_again_resends_at_most_one_confirmation_an_hour(subscribe, client, innovation):
    first = subscribe()
    second = subscribe({**READER, "frequency": "daily"})
    assert len(mail.outbox) == 1
    assert first["Location"] == second["Location"]  # the page says the same either way
    subscription = Subscription.objects.get()
    assert subscription.frequency == "daily"
    Subscription.objects.update(
        confirmation_requested_at=timezone.now() - timedelta(minutes=61),
        confirmation_sent_at=timezone.now() - timedelta(minutes=61),
    )
    subscribe()
    assert len(mail.outbox) == 2


def test_subscribing_a_confirmed_address_sends_nothing_and_says_the_same(subscribe, innovation):
    pending(innovation, confirmed_at=timezone.now())
    response = subscribe()
    assert response.status_code == 302
    assert response["Location"].endswith("?saved=1")
    assert mail.outbox == []


def test_a_stopped_subscription_must_be_confirmed_again_to_restart(subscribe, innovation):
    subscription = pending(
        innovation, confirmed_at=timezone.now(), frequency="off", unsubscribed_at=timezone.now()
    )
    subscribe()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    assert subscription.frequency == "weekly"
    assert len(mail.outbox) == 1
    Client().post(CONFIRM_LINK.search(mail.outbox[0].body).group(1))
    subscription.refresh_from_db()
    assert subscription.is_confirmed
    assert subscription.unsubscribed_at is None


def test_an_invalid_address_is_refused_and_kept(subscribe, innovation):
    response = subscribe({**READER, "email": "reader@@example"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter an email address in the correct format" in body
    assert 'value="reader@@example"' in body
    assert not Subscription.objects.exists()
    assert mail.outbox == []


# Members-only learning never goes to an email address ------------------------------------------


@pytest.mark.parametrize("visibility", ["members", "signed_in"])
def test_an_email_subscription_to_a_hub_that_is_not_public_is_refused(
    client, programme, member, visibility, django_capture_on_commit_callbacks
):
    programme.hub_visibility = visibility
    programme.save()
    InnovationFactory(programme=programme, slug="sauce")
    client.force_login(member)  # a member can read the hub, but an address can be anyone's
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/learn/{programme.slug}/sauce/subscribe/", READER)
    assert response.status_code == 400
    body = response.content.decode()
    assert "only for people who sign in" in body
    assert 'value="Reader@Example.org"' in body
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_request_confirmation_refuses_an_email_only_reader_of_a_members_only_programme(
    programme, member
):
    subscription = SubscriptionFactory(programme=programme)
    with pytest.raises(subscriptions.SubscriptionRefused):
        subscriptions.request_confirmation(subscription)
    subscription.refresh_from_db()
    assert subscription.confirmation_requested_at is None
    theirs = SubscriptionFactory(programme=programme, user=member, email=member.email)
    subscriptions.request_confirmation(theirs)  # a member's own subscription is fine
    assert theirs.confirmation_requested_at is not None


# Sending is claimed, safe to run twice, and survives a broker that is down --------------------


def test_sending_twice_sends_once(innovation):
    subscription = pending(innovation, confirmation_requested_at=timezone.now())
    assert subscriptions.send_confirmation_email(subscription.pk) is True
    assert subscriptions.send_confirmation_email(subscription.pk) is False
    confirmation_task(subscription.pk)
    assert subscriptions.send_pending_confirmations() == 0
    assert len(mail.outbox) == 1


def test_nothing_is_sent_to_a_confirmed_or_never_requested_subscription(innovation):
    confirmed = pending(
        innovation, confirmed_at=timezone.now(), confirmation_requested_at=timezone.now()
    )
    never = pending(innovation, email="other@example.org")
    assert subscriptions.send_confirmation_email(confirmed.pk) is False
    assert subscriptions.send_confirmation_email(never.pk) is False
    assert mail.outbox == []


def test_a_failed_send_gives_its_claim_back_for_the_next_run(innovation):
    subscription = pending(innovation, confirmation_requested_at=timezone.now())
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError
    ):
        with pytest.raises(ConnectionRefusedError):
            subscriptions.send_confirmation_email(subscription.pk)
        assert subscriptions.send_pending_confirmations() == 0  # logged, the others go on
    subscription.refresh_from_db()
    assert subscription.confirmation_sent_at is None
    assert subscriptions.send_pending_confirmations() == 1
    assert len(mail.outbox) == 1


def _assert_saved_and_sent_later(response, elapsed: float, caplog) -> None:
    assert "not queued" in caplog.text
    assert response.status_code == 302
    assert elapsed < 5, f"the page took {elapsed:.1f} s with the broker down"
    subscription = Subscription.objects.get()
    assert subscription.confirmation_requested_at is not None
    assert subscription.confirmation_sent_at is None
    assert mail.outbox == []
    assert subscriptions.send_pending_confirmations() == 1
    assert subscriptions.send_pending_confirmations() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.org"]


def test_a_broker_that_refuses_the_task_loses_no_confirmation(subscribe, innovation, caplog):
    with mock.patch.object(
        confirmation_task, "apply_async", side_effect=OperationalError("Connection refused")
    ):
        started = time.monotonic()
        response = subscribe()
        elapsed = time.monotonic() - started
    _assert_saved_and_sent_later(response, elapsed, caplog)


@pytest.fixture
def redis_down():
    """Celery publishing for real, to a Redis that refuses connections."""
    with celery_configured(broker_url="redis://127.0.0.1:1/0", task_always_eager=False):
        yield


def test_redis_down_when_someone_subscribes_the_page_answers_quickly(
    subscribe, innovation, redis_down, caplog
):
    started = time.monotonic()
    response = subscribe()
    elapsed = time.monotonic() - started
    _assert_saved_and_sent_later(response, elapsed, caplog)


# Changing and stopping by the link in every email ----------------------------------------------


def manage_path(subscription) -> str:
    return f"/digests/manage/{subscription.unsubscribe_token}/"


def unsubscribe_path(subscription) -> str:
    return f"/digests/unsubscribe/{subscription.unsubscribe_token}/"


def test_the_manage_page_changes_the_day_and_frequency(client, innovation):
    subscription = pending(innovation, confirmed_at=timezone.now())
    page = client.get(manage_path(subscription)).content.decode()
    assert "Remote monitoring (Open wards)" in page
    assert "Weekly, on Wednesday" in page
    response = client.post(manage_path(subscription), {"frequency": "weekly", "weekday": "4"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.frequency, subscription.weekday) == ("weekly", 4)
    assert "Changes saved" in client.get(response["Location"]).content.decode()
    client.post(manage_path(subscription), {"frequency": "daily", "weekday": "4"})
    subscription.refresh_from_db()
    assert (subscription.frequency, subscription.weekday) == ("daily", None)


def test_stopping_and_restarting_from_the_manage_page(client, innovation):
    subscription = pending(innovation, confirmed_at=timezone.now())
    client.post(manage_path(subscription), {"frequency": "off"})
    subscription.refresh_from_db()
    assert subscription.frequency == "off"
    assert subscription.unsubscribed_at is not None
    assert not Subscription.objects.active().exists()
    client.post(manage_path(subscription), {"frequency": "daily"})
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None
    assert Subscription.objects.active().get() == subscription


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"frequency": "weekly", "weekday": ""}, "Choose the day of the week"),
        ({"frequency": "hourly"}, "Choose daily, weekly or stop"),
        ({"frequency": "weekly", "weekday": "9"}, "Choose a day of the week"),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(client, innovation, data, message):
    subscription = pending(innovation, confirmed_at=timezone.now())
    response = client.post(manage_path(subscription), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    subscription.refresh_from_db()
    assert (subscription.frequency, subscription.weekday) == ("weekly", 2)


@pytest.mark.parametrize("kind", ["manage", "unsubscribe"])
def test_forged_manage_and_unsubscribe_links_are_not_found_and_change_nothing(
    client, innovation, kind
):
    subscription = pending(innovation, confirmed_at=timezone.now())
    for token in (
        subscription.unsubscribe_token[:-1] + "A",
        "x",
        subscriptions.confirmation_token(subscription),
    ):
        path = f"/digests/{kind}/{token}/"
        for response in (client.get(path), client.post(path, {"frequency": "off"})):
            assert response.status_code == 404, path
            assert "This link is not valid" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.frequency == "weekly"
    assert subscription.unsubscribed_at is None


def test_one_click_unsubscribe_needs_no_sign_in_or_csrf_token_and_twice_is_fine(innovation):
    subscription = pending(innovation, confirmed_at=timezone.now())
    mail_client = Client(enforce_csrf_checks=True)
    page = mail_client.get(unsubscribe_path(subscription))
    assert re.search(r"<button[^>]*>\s*Unsubscribe\s*</button>", page.content.decode())
    subscription.refresh_from_db()
    assert subscription.frequency == "weekly"  # a GET (a mail scanner, say) changes nothing
    response = mail_client.post(unsubscribe_path(subscription), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.frequency == "off"
    stopped_at = subscription.unsubscribed_at
    assert stopped_at is not None
    again = mail_client.post(unsubscribe_path(subscription), {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 302
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at == stopped_at
    done = mail_client.get(again["Location"]).content.decode()
    assert "You are unsubscribed" in done
    assert manage_path(subscription) in done


# A member's own digests ------------------------------------------------------------------------

DIGESTS = "/accounts/digests/"


def test_a_member_subscribes_to_their_programme_confirmed_at_once(as_user, programme, member):
    client = as_user(member)
    page = client.get(DIGESTS).content.decode()
    assert "You have no digests yet." in page
    assert f'value="programme-{programme.pk}"' in page
    response = client.post(
        DIGESTS, {"scope": f"programme-{programme.pk}", "frequency": "weekly", "weekday": "0"}
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.user == member
    assert subscription.email == member.email
    assert subscription.is_confirmed
    assert (subscription.innovation, subscription.weekday) == (None, 0)
    assert mail.outbox == []
    listed = client.get(DIGESTS).content.decode()
    assert "Weekly, on Monday" in listed
    assert manage_path(subscription) in listed


def test_a_member_subscribes_to_one_innovation_and_changes_it(as_user, programme, member):
    innovation = InnovationFactory(programme=programme, name="Falls sensors")
    client = as_user(member)
    data = {"scope": f"innovation-{innovation.pk}", "frequency": "daily"}
    client.post(DIGESTS, data)
    client.post(DIGESTS, {**data, "frequency": "weekly", "weekday": "3"})
    subscription = Subscription.objects.get()
    assert (subscription.innovation, subscription.frequency, subscription.weekday) == (
        innovation,
        "weekly",
        3,
    )


def test_a_members_own_email_subscription_is_taken_over_not_doubled(as_user, programme, member):
    programme.hub_visibility = "public"
    programme.save()
    SubscriptionFactory(programme=programme, email=member.email.upper(), frequency="daily")
    as_user(member).post(DIGESTS, {"scope": f"programme-{programme.pk}", "frequency": "daily"})
    subscription = Subscription.objects.get()
    assert subscription.user == member
    assert subscription.is_confirmed


def test_the_digests_page_lists_only_ones_own(as_user, programme, member, lead):
    SubscriptionFactory(programme=programme, user=lead, email=lead.email)
    mine = SubscriptionFactory(programme=programme, user=member, email=member.email)
    page = as_user(member).get(DIGESTS).content.decode()
    assert manage_path(mine) in page
    assert page.count("/digests/manage/") == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope": "", "frequency": "daily"}, "Choose what you want to hear about"),
        (
            {"scope": "programme-{other}", "frequency": "daily"},
            "Choose what you want to hear about",
        ),
        ({"scope": "innovation-{other_innovation}", "frequency": "daily"}, "Choose what you"),
        ({"scope": "programme-{programme}", "frequency": "weekly"}, "Choose the day of the week"),
        ({"scope": "programme-{programme}", "frequency": "off"}, "Choose daily or weekly"),
    ],
)
def test_a_member_cannot_subscribe_to_another_programme_or_without_a_day(
    as_user, programme, member, data, message
):
    other = ProgrammeFactory(hub_visibility="public")
    ids = {
        "programme": programme.pk,
        "other": other.pk,
        "other_innovation": InnovationFactory(programme=other).pk,
    }
    response = as_user(member).post(
        DIGESTS, {key: value.format(**ids) for key, value in data.items()}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscription.objects.exists()
