"""The admin's user forms with the member's own fields (job title, municipality,
organisation), so an editor who creates an account for a coordinator can place them
in a municipality at once; before, only the member could, on their own profile, and
until then the cockpit counted them as "uden kommune"."""

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import CreateView, EditView, UserViewSet

from network.models import Municipality, Organisation

MEMBER_FIELDS = ("job_title", "municipality", "organisation")
_LEAVE_EMPTY = "Lad stå tomt: medlemmet får en mail med et link til selv at vælge sin adgangskode."


class _MemberFieldsMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.all()
        self.fields["municipality"].empty_label = "Ingen kommune"
        self.fields["organisation"].queryset = Organisation.objects.all()
        self.fields["organisation"].empty_label = "Ingen"


class MemberCreationForm(_MemberFieldsMixin, UserCreationForm):
    # The member chooses their own password through the welcome mail's link; an editor
    # may still set one (Wagtail's fields stay), but need not invent and pass one on.
    password_required = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password1" in self.fields:
            self.fields["password1"].help_text = _LEAVE_EMPTY

    def save(self, commit=True):
        user = super().save(commit=False)
        if not self.cleaned_data.get("password1"):
            user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user

    class Meta(UserCreationForm.Meta):
        fields = set(UserCreationForm.Meta.fields) | set(MEMBER_FIELDS)


class MemberEditForm(_MemberFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = set(UserEditForm.Meta.fields) | set(MEMBER_FIELDS)


def vouch_for_address(user) -> None:
    """An address an editor typed in for a member counts as confirmed: without it the
    member, who has no way to tell allauth the editor checked it, was sent to *Tjek
    din indbakke* at every login until they confirmed it by yet another mail."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def send_welcome(user, inviter) -> None:
    """One mail with a link to choose a password (allauth's password reset link), so
    the editor needs to pass on no password and the member needs no second mail."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    from network.mail import queue_mail

    link = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    queue_mail(
        "Du har fået en konto på Beskæftigelsesnetværket",
        "network/mail/welcome.txt",
        {
            "name": user.first_name,
            "inviter": inviter.get_full_name() or "en redaktør",
            "email": user.email,
            "link": link,
        },
        [user.email],
    )


class MemberCreateView(CreateView):
    def save_instance(self):
        user = super().save_instance()
        vouch_for_address(user)
        send_welcome(user, self.request.user)
        return user

    def get_success_message(self, instance=None):
        return f"{instance} er oprettet og har fået en mail med et link til at vælge adgangskode."


class MemberEditView(EditView):
    def save_instance(self):
        user = super().save_instance()
        if "email" in self.form.changed_data:
            vouch_for_address(user)
        return user


class MemberViewSet(UserViewSet):
    add_view_class = MemberCreateView
    edit_view_class = MemberEditView

    def get_form_class(self, for_update=False):
        return MemberEditForm if for_update else MemberCreationForm
