"""Admin widgets of the network's reference data."""

from __future__ import annotations

from django import forms


class MunicipalitiesByRegion(forms.CheckboxSelectMultiple):
    """The 98 municipalities as checkboxes, one group per region (a fieldset with the
    region as its legend), instead of a 98-line list picked with Ctrl-click."""

    template_name = "network/widgets/municipalities_by_region.html"

    def optgroups(self, name, value, attrs=None):
        from .models import Municipality

        region_of = dict(Municipality.objects.values_list("pk", "region__name"))
        groups: dict[str, list] = {}
        chosen = {str(v) for v in value}
        index = 0
        for option_value, option_label in self.choices:
            key = getattr(option_value, "value", option_value)
            if key in (None, ""):
                continue
            members = groups.setdefault(region_of.get(key, "Andre"), [])
            members.append(
                self.create_option(
                    name,
                    option_value,
                    option_label,
                    str(key) in chosen,
                    index,
                    subindex=len(members),
                    attrs=attrs,
                )
            )
            index += 1
        return [(region, options, i) for i, (region, options) in enumerate(sorted(groups.items()))]
