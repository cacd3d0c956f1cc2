"""A real OpenID Connect provider on 127.0.0.1, for the NHS sign-in tests.

Built with Authlib's authorisation server (code flow with PKCE, OpenID Connect ID tokens signed
with RS256) and served by Flask on werkzeug's server in a thread. It publishes discovery, its
keys (JWKS), and the authorise, token and userinfo endpoints, like Microsoft Entra ID does.

There is no sign-in form: the authorise endpoint signs in whoever the test has put in
`provider.person`, as if they had typed their password (and done MFA when `amr` says so), and
sends the browser straight back with a code.
"""

from __future__ import annotations

import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo, UserInfoEndpoint
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

SCOPES = "openid profile email"


@dataclass
class Person:
    """Who signs in at the provider, and what it says about them."""

    sub: str
    email: str
    name: str = "Sam Okafor"
    email_verified: bool | None = True
    amr: list[str] = field(default_factory=lambda: ["pwd"])
    # Entra ID's "email domain owner verified" claim, when the test wants it.
    xms_edov: bool | None = None


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    token_endpoint_auth_method: str = "client_secret_post"
    client_metadata: dict = field(default_factory=dict)

    # The parts of Authlib's ClientMixin this provider needs.
    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(word for word in scope.split() if word in SCOPES.split())

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint != "token" or method == self.token_endpoint_auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorisationCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> list[str] | None:
        return self.person.amr or None


@dataclass
class AccessToken:
    access_token: str
    client: Client
    person: Person
    scope: str
    issued_at: int
    expires_in: int

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return time.time() > self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return False

    def get_user(self) -> Person:
        return self.person

    def get_client(self) -> Client:
        return self.client

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client.client_id


def claims_for(person: Person, scope: str) -> UserInfo:
    claims = {"sub": person.sub}
    if "profile" in scope:
        claims["name"] = person.name
    if "email" in scope:
        claims["email"] = person.email
        if person.email_verified is not None:
            claims["email_verified"] = person.email_verified
    return UserInfo(claims)


class LoopbackIdentityProvider:
    """Start with `start()`, stop with `stop()`; `issuer` is its address."""

    def __init__(self, *, client_id: str, client_secret: str, redirect_uri: str):
        self.client = Client(client_id, client_secret, [redirect_uri])
        self.person: Person | None = None
        # Claims added to every ID token, as Entra ID adds its own (`acrs`, for one).
        self.extra_id_token_claims: dict = {}
        self.key = RSAKey.generate_key(2048, parameters={"kid": "loopback-1", "use": "sig"})
        # The key that signs ID tokens: the published one, unless a test swaps in a forger's.
        self.signing_key = self.key
        self.codes: dict[str, AuthorisationCode] = {}
        self.tokens: dict[str, AccessToken] = {}
        self.userinfo_requests = 0
        self.app = self._build_app()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LoopbackIdentityProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def sign_with_unpublished_key(self) -> None:
        """From now on, sign ID tokens with a key that is not in the JWKS (a forgery)."""
        self.signing_key = RSAKey.generate_key(2048, parameters={"kid": "loopback-1", "use": "sig"})

    # The Flask app --------------------------------------------------------------------------

    def _build_app(self) -> Flask:
        app = Flask(__name__)
        server = AuthorizationServer(app, query_client=self._query_client, save_token=self._save)
        server.register_grant(
            self._code_grant(), [CodeChallenge(required=True), self._openid_code()]
        )
        protector = ResourceProtector()
        protector.register_token_validator(self._token_validator())
        server.register_endpoint(self._userinfo_endpoint(protector))

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=f"{self.issuer}/authorize",
                token_endpoint=f"{self.issuer}/token",
                userinfo_endpoint=f"{self.issuer}/userinfo",
                jwks_uri=f"{self.issuer}/keys",
                response_types_supported=["code"],
                subject_types_supported=["pairwise"],
                id_token_signing_alg_values_supported=["RS256"],
                scopes_supported=SCOPES.split(),
                token_endpoint_auth_methods_supported=["client_secret_post"],
                code_challenge_methods_supported=["S256"],
                claims_supported=["sub", "name", "email", "email_verified", "amr"],
            )

        @app.get("/keys")
        def keys():
            return jsonify(KeySet([self.key]).as_dict(private=False))

        @app.get("/authorize")
        def authorize():
            # Validates the request (client, redirect address, PKCE) before granting it.
            grant = server.get_consent_grant(end_user=self.person)
            return server.create_authorization_response(grant=grant, grant_user=self.person)

        @app.post("/token")
        def token():
            return server.create_token_response()

        @app.route("/userinfo", methods=["GET", "POST"])
        def userinfo():
            self.userinfo_requests += 1
            return server.create_endpoint_response("userinfo")

        return app

    def _query_client(self, client_id: str) -> Client | None:
        return self.client if client_id == self.client.client_id else None

    def _save(self, token: dict, request) -> None:
        self.tokens[token["access_token"]] = AccessToken(
            access_token=token["access_token"],
            client=request.client,
            person=request.user,
            scope=token["scope"],
            issued_at=int(time.time()),
            expires_in=token["expires_in"],
        )

    def _code_grant(self):
        provider = self

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post"]

            def save_authorization_code(self, code, request):
                payload = request.payload
                provider.codes[code] = AuthorisationCode(
                    code=code,
                    client_id=request.client.client_id,
                    redirect_uri=payload.redirect_uri,
                    scope=payload.scope,
                    person=request.user,
                    nonce=payload.data.get("nonce"),
                    code_challenge=payload.data.get("code_challenge"),
                    code_challenge_method=payload.data.get("code_challenge_method"),
                )

            def query_authorization_code(self, code, client):
                found = provider.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.person

        return CodeGrant

    def _openid_code(self) -> OpenIDCode:
        provider = self

        class Code(OpenIDCode):
            def exists_nonce(self, nonce, request):
                return any(code.nonce == nonce for code in provider.codes.values())

            def resolve_client_private_key(self, client):
                return provider.signing_key

            def get_client_algorithm(self, client):
                return "RS256"

            def get_encode_header(self, client):
                return {"alg": "RS256", "kid": provider.signing_key.kid}

            def get_client_claims(self, client):
                return {"iss": provider.issuer, "aud": [client.client_id]}

            def generate_user_info(self, user, scope):
                claims = claims_for(user, scope)
                if user.xms_edov is not None:
                    claims["xms_edov"] = user.xms_edov
                claims.update(provider.extra_id_token_claims)
                return claims

        return Code(require_nonce=False)

    def _token_validator(self) -> BearerTokenValidator:
        provider = self

        class Validator(BearerTokenValidator):
            def authenticate_token(self, token_string):
                return provider.tokens.get(token_string)

        return Validator()

    def _userinfo_endpoint(self, protector: ResourceProtector) -> UserInfoEndpoint:
        class Endpoint(UserInfoEndpoint):
            def generate_user_info(self, user, scope):
                return claims_for(user, scope)

        return Endpoint(resource_protector=protector)


CLIENT_ID = "convening-tests"
CLIENT_SECRET = "loopback-secret-for-tests-only"


@contextmanager
def nhs_sign_in_against(settings, site_url: str = "http://testserver"):
    """Run a loopback provider and point NHS sign-in at it, as the environment would."""
    provider = LoopbackIdentityProvider(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=f"{site_url}/accounts/oidc/nhs/login/callback/",
    ).start()
    app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            **app,
            "APPS": [
                {
                    "provider_id": "nhs",
                    "name": "NHS work account",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {
                        "server_url": provider.issuer,
                        "token_auth_method": "client_secret_post",
                    },
                }
            ],
        }
    }
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"]}
    directives["form-action"] = [*directives["form-action"], provider.issuer]
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    try:
        yield provider
    finally:
        provider.stop()
