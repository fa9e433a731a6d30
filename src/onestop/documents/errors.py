"""Why an upload was refused. Each carries the HTTP status a view should answer with.

Callers that take several uploads in one form can catch ``UploadRejected`` for
the content problems (shown next to the file field) and let
``UploadQuotaExceeded`` (429) reach the page as it is.
"""

from django.utils.translation import gettext_lazy as _

from onestop.core.errors import DomainError, InvalidInput


class UploadRejected(InvalidInput):
    """The file itself is not acceptable; nothing was stored."""

    code = "upload_rejected"
    status = 400
    default_message = _("The file cannot be accepted.")


class UploadEmpty(UploadRejected):
    code = "upload_empty"
    default_message = _("The file is empty.")


class UploadTooLarge(UploadRejected):
    code = "upload_too_large"
    status = 413
    default_message = _("The file is larger than %(limit_mb)s MB.")


class UploadTypeNotAllowed(UploadRejected):
    code = "upload_type_not_allowed"
    status = 415
    default_message = _("Only PDF, JPEG and PNG files are accepted.")


class UploadCorrupt(UploadRejected):
    code = "upload_corrupt"
    default_message = _("The file is damaged or incomplete. Please scan or save it again.")


class UploadImageTooLarge(UploadRejected):
    """Too many pixels: the image would take too much memory to decode."""

    code = "upload_image_too_large"
    status = 413
    default_message = _(
        "The image is too large (more than %(limit_mp)s million pixels). "
        "Please scan it at a lower resolution."
    )


class UploadActiveContent(UploadRejected):
    code = "upload_active_content"
    default_message = _(
        "The PDF contains scripts, automatic actions or embedded files, which are not "
        "accepted. Please print it to a new PDF or scan the paper copy."
    )


class UploadQuotaExceeded(DomainError):
    code = "upload_quota_exceeded"
    status = 429
    default_message = _(
        "You have uploaded %(limit)s files today, the daily limit. Please try again tomorrow."
    )


class DocumentUnavailable(DomainError):
    """The row exists but its file does not: an operations problem, logged."""

    code = "document_unavailable"
    status = 404
    default_message = _("The file of this document is not available. Please contact us.")
