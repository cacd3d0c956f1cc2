"""NHS sign-in: staff sign in with their work Microsoft account (Microsoft Entra ID, which
NHSmail uses) through django-allauth's OpenID Connect provider.

`provider.py` is allauth's OpenID Connect provider with two changes: the ID token's signature is
always checked against the provider's published keys, and Entra ID's claim that the domain owner
verified the email counts as a verified email. `claims.py` reads what the ID token says about how
the person signed in. The settings (`NHS_SIGN_IN_*`) build the one app; with none set, nothing
here is used and no button is shown.
"""
