from django import forms
from django.utils.translation import gettext_lazy as _


class InviteForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number of the person to invite"),
        max_length=11,
        min_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
