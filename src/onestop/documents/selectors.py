"""Who may read a document (SPEC §3.8, HM 6.3).

The rule, in ``document_can_read``:

1. the owner may read their own document;
2. staff holding VERIFICATION_REVIEW or PERSONAL_DATA_VIEW may read documents
   whose region lies in their scope for that permission (a document without a
   region only for staff whose scope is everywhere);
3. so may anyone a registered reader predicate accepts (see
   ``register_reader``);
4. nobody else. They get NotFound (404), the same answer as for a UUID that
   does not exist, so guessing URLs does not even confirm that a document
   exists. Deleted documents are not found for anyone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.twofactor import session_is_verified
from onestop.core.errors import NotFound
from onestop.documents.models import Document

ReaderPredicate = Callable[[Any, Document], bool]

# Staff permissions that include reading submitted documents in one's regions.
STAFF_READ_PERMS = (Perm.VERIFICATION_REVIEW, Perm.PERSONAL_DATA_VIEW)

_readers: list[ReaderPredicate] = []


def register_reader(predicate: ReaderPredicate) -> ReaderPredicate:
    """Let another module grant read access: ``predicate(user, document) -> bool``.

    Register from the module's ``AppConfig.ready()`` (it works as a decorator
    too). A predicate is asked only after the owner and staff rules said no,
    for an authenticated user and a live document; it should answer from the
    document's fields (``owner_id``, ``kind``, ``region_id``) with at most a
    query or two, and return False for anything it does not know about. An
    exception is not swallowed: failing closed with a 500 beats granting by
    accident. Reads it grants are audited like any other non-owner read.

    Example (enterprises app): members read the documents their enterprise's
    owner uploaded::

        @register_reader
        def enterprise_member_reads(user, document):
            return enterprise_selectors.shares_enterprise(user, document.owner_id)
    """
    if predicate not in _readers:
        _readers.append(predicate)
    return predicate


def unregister_reader(predicate: ReaderPredicate) -> None:
    """Undo ``register_reader`` (for tests)."""
    if predicate in _readers:
        _readers.remove(predicate)


def document_can_read(user: Any, document: Document) -> bool:
    if not getattr(user, "is_authenticated", False) or document.deleted_at is not None:
        return False
    if document.owner_id == user.pk:
        return True
    # Staff reads need the second factor, like every workbench page (SPEC §5).
    if session_is_verified(user) and any(
        authz.region_scope(user, perm).covers(document.region) for perm in STAFF_READ_PERMS
    ):
        return True
    return any(predicate(user, document) for predicate in _readers)


def document_get_for(*, user: Any, public_id: uuid.UUID | str) -> Document:
    """The document behind a public id, if ``user`` may read it; else NotFound.

    One query for the document and its region, plus the user's role
    assignments once per request when they are not the owner.
    """
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound() from None
    try:
        document = Document.objects.select_related("region").get(
            public_id=key, deleted_at__isnull=True
        )
    except Document.DoesNotExist:
        raise NotFound() from None
    if not document_can_read(user, document):
        raise NotFound()
    return document
