"""What an identity provider's ID token tells us about a sign-in."""

from __future__ import annotations

from django.conf import settings


def did_multi_factor(id_token: dict) -> bool:
    """Whether the identity provider says the person used more than one factor.

    The standard `amr` claim (RFC 8176) lists "mfa"; Entra ID's v1.0 tokens send it. Entra's
    v2.0 tokens carry no `amr`, so a tenant may instead require MFA through a Conditional
    Access authentication context, which the token names in `acrs` when it was satisfied.
    """
    methods = id_token.get("amr") or []
    if isinstance(methods, str):
        methods = [methods]
    if "mfa" in methods:
        return True
    context = settings.NHS_SIGN_IN_MFA_AUTH_CONTEXT
    contexts = id_token.get("acrs") or []
    return bool(context) and isinstance(contexts, list) and context in contexts


def says_verified(claims: dict, name: str) -> bool:
    """A boolean claim that may come as true or as the text "true"."""
    value = claims.get(name)
    return value is True or (isinstance(value, str) and value.lower() == "true")
