"""django-allauth adapters: accounts are created by admins (seats), never by self sign-up."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """ "Sign in with Salesforce" signs in existing users only (matched by verified email)."""

    def is_open_for_signup(self, request, sociallogin):
        return False
