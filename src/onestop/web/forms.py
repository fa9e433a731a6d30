from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import NotFound
from onestop.regions import selectors
from onestop.regions.models import Region


class RegionForm(forms.Form):
    code = forms.CharField(label=_("Region"), max_length=20)

    def clean_code(self) -> Region:
        try:
            return selectors.region_get(code=self.cleaned_data["code"])
        except NotFound as exc:
            raise forms.ValidationError(exc.message) from exc
