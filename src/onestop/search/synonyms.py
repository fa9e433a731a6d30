"""The staff-kept synonym list (WX 7.2.1): 校准/检定, 压力表/压力计, CMA/资质认定."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput, NotFound
from onestop.search import text
from onestop.search.models import SynonymGroup

# Loaded when the index is first built, so a new installation already knows them.
DEFAULT_GROUPS = (
    "校准 检定",
    "压力表 压力计",
    "cma 资质认定",
    "检测 检验",
    "认证 认可",
    "专利 知识产权",
    "电梯 特种设备",
)


def synonym_map() -> dict[str, tuple[str, ...]]:
    """word → every word of its groups (itself included). One query."""
    mapping: dict[str, set[str]] = {}
    for terms in SynonymGroup.objects.values_list("terms", flat=True):
        words = [w.lower() for w in terms.split()]
        for word in words:
            mapping.setdefault(word, set()).update(words)
    return {word: tuple(sorted(words)) for word, words in mapping.items()}


def _clean(terms: str) -> str:
    words = list(
        dict.fromkeys(
            w.lower() for w in terms.replace("，", " ").replace(",", " ").replace("、", " ").split()
        )
    )
    if len(words) < 2:
        raise InvalidInput(_("Enter at least two words that mean the same."), field="terms")
    for word in words:
        if not text.WORD.fullmatch(word) or len(word) > 20:
            raise InvalidInput(
                _("“%(word)s” is not a single word (letters and digits only, at most 20).")
                % {"word": word},
                field="terms",
            )
    return " ".join(words)


def _rebuild_later() -> None:
    from onestop.search.tasks import rebuild_index

    transaction.on_commit(lambda: rebuild_index.delay())


@transaction.atomic
def synonym_group_add(*, actor: User, terms: str) -> SynonymGroup:
    authz.require(actor, authz.Perm.SEARCH_MANAGE)
    group = SynonymGroup.objects.create(terms=_clean(terms), updated_by=actor)
    audit_record(
        actor=actor, action="search.synonyms_add", obj=group, changes={"terms": group.terms}
    )
    _rebuild_later()
    return group


@transaction.atomic
def synonym_group_delete(*, actor: User, group_id: int) -> None:
    authz.require(actor, authz.Perm.SEARCH_MANAGE)
    group = SynonymGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise NotFound()
    audit_record(
        actor=actor, action="search.synonyms_delete", obj=group, changes={"terms": group.terms}
    )
    group.delete()
    _rebuild_later()


def synonyms_load_defaults() -> int:
    """Add the default groups on an empty list; returns how many were added."""
    if SynonymGroup.objects.exists():
        return 0
    SynonymGroup.objects.bulk_create(SynonymGroup(terms=terms) for terms in DEFAULT_GROUPS)
    return len(DEFAULT_GROUPS)
