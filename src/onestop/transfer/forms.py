from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    """The workbook to import; its size, format and rows are checked by the service."""

    file = forms.FileField(
        label=_("Excel file (.xlsx, at most 10 MB and 20,000 rows)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )
