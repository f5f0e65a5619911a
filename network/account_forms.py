"""allauth's password-reset and sign-up forms, where an address pending a change does
not count as anyone's (settings.ACCOUNT_FORMS).

With ACCOUNT_CHANGE_EMAIL, the address a member types as their new one is stored,
unverified, beside their login address until they confirm it. allauth counted it as
theirs: a password reset asked for that address was mailed there with a link for the
member's account (an outside attacker took over an account whose owner had typed a
colleague's address, or mistyped their own), and the address's real owner could not
sign up ("the account exists"). Here an address is someone's when it is their login
address or one they have verified. (A module of its own: allauth's forms import
network.forms for the sign-up fields.)
"""

from allauth.account.forms import ResetPasswordForm, SignupForm
from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction

from .models import User


def owners_of(email: str) -> set[int]:
    """The accounts whose login address `email` is, or who have verified it."""
    owners = set(User.objects.filter(email__iexact=email).values_list("pk", flat=True))
    owners |= set(
        EmailAddress.objects.filter(email__iexact=email, verified=True).values_list(
            "user_id", flat=True
        )
    )
    return owners


class SiteResetPasswordForm(ResetPasswordForm):
    def clean_email(self):
        email = super().clean_email()
        owners = owners_of(email)
        # Nobody else's reset link goes to an address only pending on their account;
        # the mail sent is the one for an unknown address (no enumeration either way).
        self.users = [user for user in self.users if user.pk in owners]
        return email


class SiteSignupForm(SignupForm):
    def validate_unique_email(self, value):
        if not owners_of(value):
            # Pending on another account, or nowhere: free to sign up with. Whoever
            # confirms it first has it; allauth refuses the other confirmation.
            self.account_already_exists = False
            return value
        return super().validate_unique_email(value)

    def try_save(self, request):
        # The same sign-up sent twice at once (Enter pressed twice): both passed the
        # check, the second hit the unique address and answered 500. It is answered
        # as a sign-up with an address that has an account: "check your inbox".
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            self.account_already_exists = True
            return super().try_save(request)
