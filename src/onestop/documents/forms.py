"""Form pieces for modules that take document uploads."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.documents.inspection import limit_mb
from onestop.documents.services import upload_max_bytes, uploads_per_day

ACCEPT = ".pdf,.jpg,.jpeg,.png"


def _help_text() -> str:
    return gettext(
        "PDF, JPEG or PNG, at most %(limit_mb)s MB. The file is checked by its content; "
        "at most %(per_day)s uploads a day."
    ) % {"limit_mb": limit_mb(upload_max_bytes()), "per_day": uploads_per_day()}


class DocumentFileField(forms.FileField):
    """A file input for ``documents.services.document_store``.

    The browser is told which types to offer and the user the limits; the
    form refuses an upload that says it is too large before it reaches the
    service. The real checks (content type, PDF scan, re-encoding, quota) are
    the service's: call it from the form's view and show its ``UploadRejected``
    message on this field, e.g. ``form.add_error("licence", exc.message)``.
    """

    widget = forms.FileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", lazy(_help_text, str)())
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ACCEPT
        return attrs

    def to_python(self, data: Any) -> UploadedFile[bytes] | None:
        upload = cast("UploadedFile[bytes] | None", super().to_python(data))
        if upload is not None and upload.size is not None and upload.size > upload_max_bytes():
            raise ValidationError(
                _("The file is larger than %(limit_mb)s MB."),
                code="upload_too_large",
                params={"limit_mb": limit_mb(upload_max_bytes())},
            )
        return upload
