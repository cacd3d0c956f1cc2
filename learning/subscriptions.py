"""Digest subscriptions: double opt-in for email-only readers, and the links in every email.

An email-only reader's subscription receives nothing until its owner follows the confirmation
link (a signed, timestamped token valid for seven days). Asking for a confirmation records the
request first and only then tries to hand the email to Celery, so a broker that is down loses
nothing: `send_pending_confirmations()`, run with every digest run, sends whatever is still
waiting. Sending claims the subscription with a conditional UPDATE, so running twice sends once.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from convening.models import Programme

from .models import Subscription

# Queued by name: learning/tasks.py declares the task with it (tasks import this module, never
# the reverse).
SEND_CONFIRMATION_TASK = "learning.tasks.send_confirmation_email"

logger = logging.getLogger(__name__)

CONFIRM_SALT = "learning.confirm"
CONFIRM_MAX_AGE = timedelta(days=7)
RESEND_AFTER = timedelta(hours=1)
# Publishing a task must never hold up a page: one attempt, short socket timeouts.
PUBLISH_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 2}


class SubscriptionRefused(ValueError):
    """The reader may not have this subscription (an email address for a hub that is not
    public)."""


def may_subscribe_by_email(programme: Programme) -> bool:
    """Whether an email-only reader may subscribe: only to a public hub, since anyone holding
    the address could read what the digest contains."""
    return programme.hub_visibility == Programme.HubVisibility.PUBLIC


# Tokens ----------------------------------------------------------------------------------------


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=CONFIRM_SALT)


def confirmation_token(subscription: Subscription) -> str:
    return _signer().sign(f"{subscription.pk}.{subscription.unsubscribe_token}")


def subscription_for_confirmation(token: str) -> Subscription:
    """The subscription a confirmation token names. Raises `signing.SignatureExpired` for a
    token older than seven days and `signing.BadSignature` for anything forged or stale."""
    value = _signer().unsign(token, max_age=CONFIRM_MAX_AGE)
    pk, _, unsubscribe_token = value.partition(".")
    subscription = (
        Subscription.objects.filter(
            pk=pk if pk.isdigit() else 0, unsubscribe_token=unsubscribe_token
        )
        .select_related("programme", "innovation")
        .first()
    )
    if subscription is None:
        raise signing.BadSignature("No such subscription")
    return subscription


def confirmation_url(subscription: Subscription) -> str:
    return settings.SITE_URL + reverse("digest_confirm", args=[confirmation_token(subscription)])


def manage_url(subscription: Subscription) -> str:
    return settings.SITE_URL + reverse("digest_manage", args=[subscription.unsubscribe_token])


# Asking for, sending and acting on confirmations -----------------------------------------------


def may_ask_again(subscription: Subscription) -> bool:
    """At most one confirmation email an hour for a subscription."""
    requested = subscription.confirmation_requested_at
    return requested is None or requested <= timezone.now() - RESEND_AFTER


def request_confirmation(subscription: Subscription) -> None:
    """Record that the subscription wants a confirmation email and, once the transaction
    commits, hand it to Celery. If the broker is down the request stays recorded and the next
    digest run sends it."""
    if subscription.user_id is None and not may_subscribe_by_email(subscription.programme):
        raise SubscriptionRefused("This programme's learning cannot be sent to an email address")
    subscription.confirmation_requested_at = timezone.now()
    subscription.save(update_fields=["confirmation_requested_at"])
    transaction.on_commit(partial(_enqueue_confirmation, subscription.pk))


def _enqueue_confirmation(subscription_id: int) -> None:
    from convening.celery import app

    try:
        with app.connection_for_write(transport_options=PUBLISH_TRANSPORT_OPTIONS) as connection:
            app.tasks[SEND_CONFIRMATION_TASK].apply_async(
                args=[subscription_id], retry=False, connection=connection
            )
    except (BrokerError, RedisError, OSError) as error:
        # Recorded as requested and not sent: send_pending_confirmations() picks it up.
        logger.warning("Confirmation email %s not queued: %s", subscription_id, error)


def send_confirmation_email(subscription_id: int) -> bool:
    """Send the confirmation email if the subscription is still waiting for one. Returns
    whether this call sent it. The claim is given back if sending fails, so a retry or the
    next run sends it."""
    subscription = (
        Subscription.objects.awaiting_confirmation_email()
        .filter(pk=subscription_id)
        .select_related("programme", "innovation")
        .first()
    )
    if subscription is None:
        return False
    previous = subscription.confirmation_sent_at
    now = timezone.now()
    claimed = (
        Subscription.objects.awaiting_confirmation_email()
        .filter(pk=subscription_id, confirmation_sent_at=previous)  # None means IS NULL
        .update(confirmation_sent_at=now)
    )
    if not claimed:
        return False
    try:
        _confirmation_message(subscription).send()
    except Exception:
        Subscription.objects.filter(pk=subscription_id, confirmation_sent_at=now).update(
            confirmation_sent_at=previous
        )
        raise
    return True


def send_pending_confirmations() -> int:
    """Send every confirmation email that was asked for and not sent (the broker was down,
    say). Returns how many were sent."""
    waiting = list(
        Subscription.objects.awaiting_confirmation_email()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = 0
    for subscription_id in waiting:
        try:
            sent += send_confirmation_email(subscription_id)
        except Exception:  # one bad address must not stop the others; it stays waiting
            logger.exception("Confirmation email %s failed", subscription_id)
    return sent


def _confirmation_message(subscription: Subscription) -> EmailMultiAlternatives:
    context = {
        "subscription": subscription,
        "scope": scope_name(subscription),
        "confirm_url": confirmation_url(subscription),
        "days": CONFIRM_MAX_AGE.days,
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your learning digest: {scope_name(subscription)}",
        body=render_to_string("learning/email/subscription_confirm.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
    )
    message.attach_alternative(
        render_to_string("learning/email/subscription_confirm.html", context), "text/html"
    )
    return message


def scope_name(subscription: Subscription) -> str:
    if subscription.innovation is not None:
        return f"{subscription.innovation.name} ({subscription.programme.name})"
    return subscription.programme.name


def confirm(subscription: Subscription) -> bool:
    """Confirm the subscription (once). Returns whether this call confirmed it."""
    now = timezone.now()
    confirmed = Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, unsubscribed_at=None
    )
    if confirmed:
        subscription.confirmed_at, subscription.unsubscribed_at = now, None
    return bool(confirmed)


def change(subscription: Subscription, frequency: str, weekday: int | None) -> None:
    """Change how often digests come; "off" stops them."""
    subscription.frequency = frequency
    subscription.weekday = weekday if frequency == Subscription.Frequency.WEEKLY else None
    if frequency == Subscription.Frequency.OFF:
        subscription.unsubscribed_at = subscription.unsubscribed_at or timezone.now()
    else:
        subscription.unsubscribed_at = None
    subscription.save(update_fields=["frequency", "weekday", "unsubscribed_at"])


def unsubscribe(subscription: Subscription) -> None:
    """Stop the subscription. Doing it twice changes nothing the second time."""
    Subscription.objects.filter(pk=subscription.pk).exclude(
        frequency=Subscription.Frequency.OFF
    ).update(frequency=Subscription.Frequency.OFF, unsubscribed_at=timezone.now())
