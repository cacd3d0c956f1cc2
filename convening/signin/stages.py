"""The second-factor step of allauth's sign-in, aware of MFA done by the identity provider."""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.stages import AuthenticateStage

from .claims import did_multi_factor

# How a session records that the identity provider did the second factor.
IDENTITY_PROVIDER = "identity_provider"


class AuthenticateUnlessProviderDidStage(AuthenticateStage):
    """Ask for the code from the authenticator app, unless this is a sign-in with the work
    account whose ID token says MFA was done. Then the session records the provider's MFA as
    its second factor, which the lead MFA rule (RequireMfaMiddleware) accepts."""

    def handle(self) -> tuple:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None and self.login.user is not None:
            id_token = sociallogin.account.extra_data.get("id_token") or {}
            if did_multi_factor(id_token):
                record_authentication(
                    self.request,
                    self.login.user,
                    "mfa",
                    type=IDENTITY_PROVIDER,
                    provider=sociallogin.account.provider,
                )
                return None, True
        return super().handle()


def passed_second_factor(request, user) -> bool:
    """Whether this session's sign-in included a second factor, ours or the provider's."""
    records = get_authentication_records(request, user)
    return any(record.get("method") == "mfa" for record in records)
