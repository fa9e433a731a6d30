"""Authentication events into the audit trail (Django's own signals)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from onestop.audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="auth.login", actor=user, obj=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="auth.logout", actor=user, obj=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # Never record the password; the username is what was typed.
    audit_record(
        action="auth.login_failed",
        actor_label=str(credentials.get("username", ""))[:150],
        changes={"username": str(credentials.get("username", ""))[:150]},
    )
