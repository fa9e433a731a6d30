"""Writes: technical-support requests and their answers (WX 4.1.2 c), and
new versions of the operating rules (LZ 6.5.2). Every step is audited."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import Role, User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.documents.models import DocumentKind
from onestop.documents.services import document_store
from onestop.monitoring.models import OperatingRules, SupportEvent, SupportRequest, SupportStatus
from onestop.monitoring.rules_defaults import DEFAULTS
from onestop.notifications.services import notify

# The support workflow: action -> (statuses it may start from, where it leads).
# Only system administrators act on a request; a second answer to an answered
# request is allowed (a follow-up), nothing moves a closed one.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "answer": (frozenset({SupportStatus.OPEN, SupportStatus.ANSWERED}), SupportStatus.ANSWERED),
    "close": (frozenset({SupportStatus.OPEN, SupportStatus.ANSWERED}), SupportStatus.CLOSED),
}


def can_transition(request: SupportRequest, action: str) -> bool:
    sources, _target = TRANSITIONS[action]
    return request.status in sources


def _local_path(page: str) -> str:
    """Only the path and query of the page the requester came from: a URL
    elsewhere, or a host name, says nothing about this platform."""
    parts = urlsplit(page.strip())
    if parts.scheme not in ("", "http", "https") or not parts.path.startswith("/"):
        return ""
    return (parts.path + (f"?{parts.query}" if parts.query else ""))[:300]


def support_request_submit(
    *,
    requester: User,
    subject: str,
    description: str,
    page: str = "",
    user_agent: str = "",
    screenshot: UploadedFile[bytes] | None = None,
) -> SupportRequest:
    """A staff member asks for technical support (WX 4.1.2 c). Their roles and
    region are taken from their role assignments, not from the form; the
    screenshot is stored privately like any other upload."""
    authz.require(requester, Perm.WORKBENCH_ACCESS)
    subject, description = subject.strip(), description.strip()
    if not subject or not description:
        raise InvalidInput(_("Give a subject and describe the problem."))
    held = authz.assignments(requester)
    region = next((a.region for a in held if a.region is not None), None)
    roles = ", ".join(sorted({str(Role(a.role).label) for a in held}))
    with transaction.atomic():
        document = (
            document_store(
                owner=requester, kind=DocumentKind.OTHER, upload=screenshot, region=region
            )
            if screenshot is not None
            else None
        )
        request = SupportRequest.objects.create(
            requester=requester,
            subject=subject[:120],
            description=description,
            screenshot=document,
            roles=roles[:200],
            region=region,
            page=_local_path(page),
            user_agent=user_agent[:300],
        )
        SupportEvent.objects.create(request=request, actor=requester, to_status=request.status)
        audit_record(
            action="monitoring.support_submit",
            actor=requester,
            obj=request,
            changes={"subject": request.subject, "page": request.page},
        )
    return request


def _move(*, actor: User, request: SupportRequest, action: str, note: str) -> SupportRequest:
    authz.require(actor, Perm.SYSTEM_MONITOR)
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if not can_transition(locked, action):
            raise InvalidTransition()
        before = locked.status
        locked.status = TRANSITIONS[action][1]
        if action == "answer":
            locked.reply = note
        locked.save(update_fields=["status", "reply", "updated_at"])
        SupportEvent.objects.create(
            request=locked, actor=actor, from_status=before, to_status=locked.status, note=note
        )
        audit_record(
            action=f"monitoring.support_{action}",
            actor=actor,
            obj=locked,
            changes={"status": [before, locked.status]},
        )
        url = reverse("monitoring:support_detail", kwargs={"pk": locked.pk})
        title = (
            _("Your technical support request “%(subject)s” has been answered")
            if action == "answer"
            else _("Your technical support request “%(subject)s” has been closed")
        ) % {"subject": locked.subject}
        notify(
            recipients=[locked.requester], kind=f"support_{action}", title=title, body=note, url=url
        )
    return locked


def support_request_answer(*, actor: User, request: SupportRequest, reply: str) -> SupportRequest:
    """A system administrator answers; the requester finds the reply in their inbox."""
    reply = reply.strip()
    if not reply:
        raise InvalidInput(_("Write a reply."), field="reply")
    return _move(actor=actor, request=request, action="answer", note=reply)


def support_request_close(
    *, actor: User, request: SupportRequest, note: str = ""
) -> SupportRequest:
    """A system administrator closes a request (solved, or nothing more to do)."""
    return _move(actor=actor, request=request, action="close", note=note.strip())


def rules_publish(
    *, actor: User | None, daily_work: str, post_responsibility: str, service_work: str
) -> OperatingRules:
    """A new version of the operating rules (LZ 6.5.2); earlier versions stay.
    ``actor`` None is the platform itself (the first version, by migration)."""
    if actor is not None:
        authz.require(actor, Perm.SYSTEM_MONITOR)
    sections = {
        "daily_work": daily_work.strip(),
        "post_responsibility": post_responsibility.strip(),
        "service_work": service_work.strip(),
    }
    missing = next((name for name, text in sections.items() if not text), None)
    if missing is not None:
        raise InvalidInput(_("Every section needs its text."), field=missing)
    with transaction.atomic():
        version = OperatingRules.objects.create(editor=actor, **sections)
        audit_record(
            action="monitoring.rules_publish",
            actor=actor,
            obj=version,
            changes={"version": version.pk},
        )
    return version


def rules_seed_defaults() -> OperatingRules | None:
    """The first version from the standards' text, when there is none yet
    (for the demo loader and tests that flush the migration's row)."""
    if OperatingRules.objects.exists():
        return None
    return rules_publish(actor=None, **DEFAULTS)
