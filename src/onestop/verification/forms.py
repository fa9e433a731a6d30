from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.regions.selectors import region_choices
from onestop.verification.models import RejectReason
from onestop.workbench.forms import DateInput

_UPLOAD_HELP = _("PDF, JPEG or PNG, at most 10 MB.")
_KEEP_HELP = _("Leave empty to keep the file you sent before.")


def _upload(label: str, *, keep: bool) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=not keep,
        help_text=_KEEP_HELP if keep else _UPLOAD_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class IndividualForm(forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=30)
    id_number = forms.CharField(label=_("ID number"), max_length=18, min_length=18)

    def __init__(
        self, *args: object, keep_files: bool = False, masked_id: str = "", **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if masked_id:
            # The number is never sent back in clear; blank keeps the one on file.
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _(
                "On file: %(masked)s. Leave empty to keep it."
            ) % {"masked": masked_id}
        self.fields["id_card"] = _upload(
            str(_("Scan of the ID card (both sides)")), keep=keep_files
        )


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=_("Enterprise name"), max_length=100)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18, min_length=18)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=30)
    address = forms.CharField(label=_("Address"), max_length=200)
    region = forms.ModelChoiceField(label=_("Region"), queryset=region_choices())
    industry = forms.CharField(label=_("Industry"), max_length=50)

    def __init__(self, *args: object, keep_files: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["licence"] = _upload(str(_("Business licence")), keep=keep_files)
        self.fields["qualification"] = _upload(str(_("Qualification certificate")), keep=keep_files)
        self.fields["pledge"] = _upload(str(_("Signed integrity pledge")), keep=keep_files)


class NameChangeForm(forms.Form):
    new_name = forms.CharField(label=_("New name"), max_length=100)
    changed_on = forms.DateField(label=_("Date of the change"), widget=DateInput())

    def __init__(self, *args: object, keep_files: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["licence"] = _upload(str(_("New business licence")), keep=keep_files)


class RejectForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label=_("Reasons"), choices=RejectReason.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note to the applicant"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
