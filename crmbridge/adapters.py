"""django-allauth adapters: accounts are created by admins (seats), never by self sign-up."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.shortcuts import render

# allauth's views of the Salesforce login, which cannot work without its connected app.
SALESFORCE_LOGIN_VIEWS = {"salesforce_login", "salesforce_callback"}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """ "Sign in with Salesforce" signs in existing users only (matched by verified email)."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def get_provider(self, request, provider, client_id=None):
        """A page that says the Salesforce login is not set up, instead of a server error.

        Without SALESFORCE_LOGIN_CLIENT_ID there is no login app: allauth's login and callback
        views would fail with SocialApp.DoesNotExist (a 500).
        """
        try:
            return super().get_provider(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            match = getattr(request, "resolver_match", None)
            if match is None or match.url_name not in SALESFORCE_LOGIN_VIEWS:
                raise
            page = render(request, "socialaccount/not_set_up.html", status=404)
            raise ImmediateHttpResponse(page) from None
