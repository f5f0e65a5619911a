from django import forms

from network.formfields import ChoiceIdsMixin
from network.models import Municipality, Region, WorkArea

from .models import Subscriber


def _choice_errors(noun: str) -> dict:
    message = f"Vælg {noun} fra listen."
    return {"invalid_choice": message, "invalid_pk_value": message, "invalid_list": message}


class InterestsForm(ChoiceIdsMixin, forms.Form):
    """Work areas, and optionally the places a subscriber wants news from."""

    work_areas = forms.ModelMultipleChoiceField(
        label="Arbejdsområder",
        queryset=WorkArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Vælg de områder, du vil have nyt fra. Du kan altid ændre dem.",
        error_messages={
            "required": "Vælg mindst ét arbejdsområde.",
            **_choice_errors("arbejdsområder"),
        },
    )
    regions = forms.ModelMultipleChoiceField(
        label="Regioner",
        queryset=Region.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages=_choice_errors("regioner"),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label="Kommuner",
        queryset=Municipality.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages=_choice_errors("kommuner"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, subscriber: Subscriber) -> dict:
        return {
            "work_areas": list(subscriber.work_areas.all()),
            "regions": list(subscriber.regions.all()),
            "municipalities": list(subscriber.municipalities.all()),
            "paused": subscriber.status == "paused",
        }


class SubscribeForm(InterestsForm):
    email = forms.EmailField(
        label="Din e-mailadresse",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Skriv din e-mailadresse.",
            "invalid": "Skriv en gyldig e-mailadresse, fx navn@kommune.dk.",
            "max_length": "E-mailadressen er for lang.",
        },
    )

    field_order = ["email", "work_areas", "regions", "municipalities"]


class PreferencesForm(InterestsForm):
    paused = forms.BooleanField(
        label="Hold pause med nyhedsbrevet",
        required=False,
        help_text="Du får ingen mails, mens pausen er slået til. Dine valg bliver gemt.",
    )
