"""allauth's OpenID Connect provider, checking more than allauth does by default."""

from __future__ import annotations

import json

from allauth.account.models import EmailAddress
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings

from .claims import says_verified


class NhsSignInAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token: str) -> dict:
        # allauth skips the signature when the token came straight from the token endpoint,
        # which the standard allows over TLS. We rely on the token's `amr` for the MFA rule,
        # so it is checked against the provider's published keys every time.
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


class NhsSignInProvider(OpenIDConnectProvider):
    """Registered in place of allauth's OpenID Connect provider (SOCIALACCOUNT_PROVIDERS)."""

    oauth2_adapter_class = NhsSignInAdapter
    # allauth builds the provider's URLs from `<package>.urls`.
    package = "convening.signin"

    def get_auth_params(self) -> dict:
        params = super().get_auth_params()
        context = settings.NHS_SIGN_IN_MFA_AUTH_CONTEXT
        if context:
            # Ask Entra ID for the authentication context whose policy requires MFA.
            essential = {"essential": True, "value": context}
            params["claims"] = json.dumps({"id_token": {"acrs": essential}})
        return params

    def extract_email_addresses(self, data: dict) -> list[EmailAddress]:
        """The person's email, verified when the userinfo or the ID token says
        `email_verified`, or the ID token has Entra ID's `xms_edov` (the email's domain is
        verified by the tenant that owns it)."""
        addresses = super().extract_email_addresses(data)
        id_token = data.get("id_token") or {}
        verified = (
            says_verified(data.get("userinfo") or {}, "email_verified")
            or says_verified(id_token, "email_verified")
            or says_verified(id_token, "xms_edov")
        )
        for address in addresses:
            address.verified = verified
        return addresses


provider_classes = [NhsSignInProvider]
