from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib import messages
from django.db import transaction
from django.shortcuts import render

from .models import NAME_MAX, Invitation, User

MFA_STAGE = "allauth.mfa.stages.AuthenticateStage"


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up (people join a programme by invitation), and our own wording."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "Enter a correct email address and password",
        "enter_current_password": "Enter your current password",
        "incorrect_code": "The code is not right. Check it and try again",
        "incorrect_password": "The password is not right",
        "too_many_login_attempts": (
            "Too many sign-in attempts with wrong details. Wait 5 minutes, then try again"
        ),
        "rate_limited": "Too many requests. Wait a minute, then try again",
        "unknown_email": "No account uses this email address",
    }

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_login_stages(self) -> list[str]:
        # MFA done by the identity provider of NHS sign-in stands in for our own code.
        return [
            "convening.signin.stages.AuthenticateUnlessProviderDidStage"
            if stage == MFA_STAGE
            else stage
            for stage in super().get_login_stages()
        ]


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """NHS sign-in, for invited people only.

    A first sign-in with a work account is joined to the account with the same email, when the
    identity provider has verified that email. Someone with no account but a pending invitation
    to that email gets an account and joins every programme they were invited to. Anyone else
    is told to ask for an invitation, as on the rest of the service.
    """

    def pre_social_login(self, request, sociallogin) -> None:
        # Connecting from the account page joins the work account to whoever is signed in:
        # they have proved both, whatever email the work account has.
        if sociallogin.is_existing or sociallogin.state.get("process") == AuthProcess.CONNECT:
            return
        email = verified_email(sociallogin)
        if email is None:
            raise ImmediateHttpResponse(_refuse(request, "unverified", sociallogin))
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and user.is_active:
            sociallogin.connect(request, user)
        elif user is not None or not Invitation.objects.pending().for_email(email).exists():
            raise ImmediateHttpResponse(_refuse(request, "no_invitation", sociallogin, email))

    def is_open_for_signup(self, request, sociallogin) -> bool:
        email = verified_email(sociallogin)
        return email is not None and Invitation.objects.pending().for_email(email).exists()

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        full_name = " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        user.name = (data.get("name") or full_name or "")[:NAME_MAX]
        return user

    def save_user(self, request, sociallogin, form=None):
        with transaction.atomic():
            user = super().save_user(request, sociallogin, form)
            memberships = Invitation.accept_pending_for(user)
        for membership in memberships:
            messages.success(
                request,
                f"Welcome to {membership.programme.name}. "
                f"You are a {membership.get_role_display().lower()}.",
            )
        return user


def verified_email(sociallogin) -> str | None:
    """The email the identity provider says it verified, if any."""
    verified = (address.email for address in sociallogin.email_addresses if address.verified)
    return next(verified, None)


def _refuse(request, reason: str, sociallogin, email: str = ""):
    context = {"reason": reason, "email": email, "provider_name": sociallogin.provider.name}
    return render(request, "socialaccount/nhs_sign_in_refused.html", context, status=403)
