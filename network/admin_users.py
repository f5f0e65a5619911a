"""The admin's user forms with the member's own fields (job title, municipality,
organisation), so an editor who creates an account for a coordinator can place them
in a municipality at once; before, only the member could, on their own profile, and
until then the cockpit counted them as "uden kommune"."""

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from network.models import Municipality, Organisation

MEMBER_FIELDS = ("job_title", "municipality", "organisation")


class _MemberFieldsMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.all()
        self.fields["municipality"].empty_label = "Ingen kommune"
        self.fields["organisation"].queryset = Organisation.objects.all()
        self.fields["organisation"].empty_label = "Ingen"


class MemberCreationForm(_MemberFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = set(UserCreationForm.Meta.fields) | set(MEMBER_FIELDS)


class MemberEditForm(_MemberFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = set(UserEditForm.Meta.fields) | set(MEMBER_FIELDS)


class MemberViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return MemberEditForm if for_update else MemberCreationForm
