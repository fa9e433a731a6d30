from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from onestop.documents.forms import DocumentFileField


class SupportRequestForm(forms.Form):
    subject = forms.CharField(label=_("Request subject"), max_length=120)
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you did, what you expected and what happened instead."),
    )
    screenshot = DocumentFileField(label=_("Screenshot (optional)"), required=False)
    # The page the request was made from (filled in by the page, not typed).
    page = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _section(label: StrOrPromise) -> forms.CharField:
    return forms.CharField(label=label, max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))


class RulesForm(forms.Form):
    """The three sections of LZ 6.5.2; filled with the latest version."""

    daily_work = _section(_("Daily work rules"))
    post_responsibility = _section(_("Post responsibility management"))
    service_work = _section(_("Service work management"))
