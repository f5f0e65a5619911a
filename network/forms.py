import os
import re
import secrets

from django import forms
from django.core.exceptions import ValidationError

from network.formrendering import SiteFormMixin, add_visible_text_check

from .formfields import ChoiceIdsMixin, WholeTextMixin
from .models import Municipality, Organisation, SiteImage, User, WorkArea

MAX_PHOTO_BYTES = 5 * 1024 * 1024
# Digits, spaces and the usual separators: +45 12 34 56 78, (+45) 1234-5678.
_PHONE = re.compile(r"[0-9+()\-. ]+")


class SignupExtraForm(ChoiceIdsMixin, forms.Form):
    """The fields allauth's sign-up form adds to e-mail and password."""

    # autocomplete tokens (WCAG 1.3.5): browsers and assistive tools fill them in.
    first_name = forms.CharField(
        label="Fornavn", max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Efternavn", max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    municipality = forms.ModelChoiceField(
        label="Kommune",
        queryset=Municipality.objects.all(),
        required=False,
        empty_label="Ingen kommune / anden arbejdsgiver",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_visible_text_check(self)  # a name of zero-width spaces is no name

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.municipality = self.cleaned_data.get("municipality")
        user.save()


class ProfileForm(SiteFormMixin, WholeTextMixin, ChoiceIdsMixin, forms.ModelForm):
    photo_upload = forms.ImageField(
        label="Nyt foto",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
        help_text="JPEG eller PNG, højst 5 MB.",
    )
    remove_photo = forms.BooleanField(label="Fjern mit foto", required=False)

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "job_title",
            "municipality",
            "organisation",
            "work_areas",
            "bio",
            "phone",
            "profile_visibility",
            "contact_allowed",
        ]
        labels = {"first_name": "Fornavn", "last_name": "Efternavn"}
        widgets = {
            "work_areas": forms.CheckboxSelectMultiple,
            "profile_visibility": forms.RadioSelect,
            "bio": forms.Textarea(attrs={"rows": 5}),
            # autocomplete tokens (WCAG 1.3.5), as on the sign-up form.
            "first_name": forms.TextInput({"autocomplete": "given-name"}),
            "last_name": forms.TextInput({"autocomplete": "family-name"}),
            "job_title": forms.TextInput({"autocomplete": "organization-title"}),
            "phone": forms.TextInput({"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["municipality"].queryset = Municipality.objects.all()
        self.fields["municipality"].empty_label = "Ingen kommune"
        self.fields["organisation"].queryset = Organisation.objects.all()
        self.fields["organisation"].empty_label = "Ingen"
        self.fields["work_areas"].queryset = WorkArea.objects.all()
        # "Kun mig" hides the profile, not the author of what one writes (an outside
        # walk expected their name gone from a public trial action too).
        self.fields["profile_visibility"].help_text = (
            "Gælder din profilside. Dit navn står stadig ved det, du skriver "
            "(prøvehandlinger, opdateringer og kommentarer), for dem, der må se det."
        )
        if not self.instance.photo_id:
            del self.fields["remove_photo"]  # nothing to remove

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        digits = sum(ch.isdigit() for ch in phone)
        if phone and not _PHONE.fullmatch(phone):
            # Letters were told "at least 8 digits" though there were 11 (an outside walk).
            raise ValidationError(
                "Et telefonnummer har kun cifre, mellemrum og evt. +, fx 12 34 56 78 "
                "eller +45 12345678."
            )
        if phone and digits < 8:
            raise ValidationError(
                "Skriv et telefonnummer med mindst 8 cifre, fx 12 34 56 78 eller +45 12345678."
            )
        return phone

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        if upload and upload.size > MAX_PHOTO_BYTES:
            raise ValidationError("Billedet er for stort. Det må højst fylde 5 MB.")
        if upload and getattr(upload, "image", None) is not None:
            if upload.image.format not in {"JPEG", "PNG", "WEBP"}:
                raise ValidationError("Billedet skal være JPEG, PNG eller WebP.")
        return upload

    def save(self, commit=True):
        user = super().save(commit=False)
        upload = self.cleaned_data.get("photo_upload")
        before = user.photo if user.photo_id else None
        if self.cleaned_data.get("remove_photo"):
            user.photo = None
        elif upload:
            # Renditions are served by the web server to anyone who has the address,
            # which is built from the file's name: a name of its own, not guessable
            # from the member's ("mig.jpg"), keeps a "Kun mig" photo to those shown it.
            suffix = os.path.splitext(upload.name)[1].lower()[:5]
            upload.name = f"profil-{secrets.token_urlsafe(16)}{suffix}"
            user.photo = SiteImage.objects.create(
                title=f"Profilfoto: {user.name}", file=upload, uploaded_by_user=user
            )
        if commit:
            user.save()
            self.save_m2m()
            # A photo removed or replaced is gone, file and sizes (Wagtail deletes them
            # with the image): its address kept answering anyone who had it (an
            # outside attacker fetched a removed photo).
            if before is not None and before.pk != user.photo_id:
                before.delete()
        return user


class DeleteAccountForm(SiteFormMixin, forms.Form):
    mode = forms.ChoiceField(
        label="Hvad skal der ske med det, du har skrevet?",
        choices=[
            ("anonymise", "Behold mine prøvehandlinger og kommentarer, men uden mit navn"),
            ("remove", "Slet mine prøvehandlinger og kommentarer, hvor projektet tillader det"),
        ],
        initial="anonymise",
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label="Din adgangskode",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("Adgangskoden er forkert.")
        return password
