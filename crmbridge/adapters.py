"""django-allauth adapters: accounts are created by admins (seats), never by self sign-up.

"Sign in with Salesforce" signs in seat holders only: `pre_social_login` finds the seat of the
Salesforce user who signed in (by their user id, then by a verified email) and signs its holder
in, linking the Salesforce login to them; anyone without a seat, or signing in to another org
than the connected one, gets the "no seat" page and no account. allauth's own lookup by email
is off (SOCIALACCOUNT_EMAIL_AUTHENTICATION): the seat decides, not whichever local user has
that email.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from django.shortcuts import render

from integrations.selectors import salesforce_login_org_allowed, seat_for_salesforce_login

# allauth's views of the Salesforce login, which cannot work without its connected app.
SALESFORCE_LOGIN_VIEWS = {"salesforce_login", "salesforce_callback"}


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """ "Sign in with Salesforce" signs in seat holders only."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        """Sign in as the holder of the login's seat, or answer with the "no seat" page."""
        if sociallogin.state.get("process", AuthProcess.LOGIN) != AuthProcess.LOGIN:
            return
        if not salesforce_login_org_allowed(
            organization_id=sociallogin.account.extra_data.get("organization_id") or ""
        ):
            page = render(request, "socialaccount/no_seat.html", {"other_org": True}, status=403)
            raise ImmediateHttpResponse(page)
        seat = seat_for_salesforce_login(
            salesforce_user_id=salesforce_user_id(sociallogin.account.uid),
            verified_emails=[item.email for item in sociallogin.email_addresses if item.verified],
        )
        if seat is None:
            page = render(request, "socialaccount/no_seat.html", status=403)
            raise ImmediateHttpResponse(page)
        if not sociallogin.is_existing:
            sociallogin.connect(request, seat.user)
        elif sociallogin.user.pk != seat.user.pk:  # the seat went to another local user
            sociallogin.account.user = seat.user
            sociallogin.account.save(update_fields=["user"])
            sociallogin.user = seat.user

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


def salesforce_user_id(uid: str) -> str:
    """The Salesforce user id in allauth's uid of a Salesforce login: the userinfo's
    `user_id`, or the last part of an identity URL (OpenID's `sub`, .../id/<org>/<user>)."""
    return uid.rstrip("/").rsplit("/", 1)[-1]
