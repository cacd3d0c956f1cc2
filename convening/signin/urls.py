"""The provider's sign-in and callback, at the addresses allauth gives OpenID Connect apps:
/accounts/oidc/<provider_id>/login/ and /accounts/oidc/<provider_id>/login/callback/."""

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path

from .provider import NhsSignInAdapter


def _provider_view(view_class: type[OAuth2LoginView] | type[OAuth2CallbackView]):
    """One of allauth's OAuth 2 views with our adapter; 404 when no app is configured."""

    @login_not_required
    def view(request: HttpRequest, provider_id: str) -> HttpResponse:
        try:
            return view_class.adapter_view(NhsSignInAdapter(request, provider_id))(request)
        except SocialApp.DoesNotExist as error:
            raise Http404 from error

    return view


login = _provider_view(OAuth2LoginView)
callback = _provider_view(OAuth2CallbackView)


urlpatterns = [
    path(
        "oidc/<str:provider_id>/",
        include(
            [
                path("login/", login, name="openid_connect_login"),
                path("login/callback/", callback, name="openid_connect_callback"),
            ]
        ),
    )
]
