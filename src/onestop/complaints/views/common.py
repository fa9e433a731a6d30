"""What the three doors' pages share: the forms of the allowed moves and
running one move (success → back to the page with a message; a refusal →
the page again with the form and its error)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from onestop.complaints import rules, services
from onestop.complaints.forms import ActionForm
from onestop.complaints.models import Complaint
from onestop.core.errors import DomainError, InvalidInput
from onestop.core.http import AuthenticatedRequest

PAGE_SIZE = 20

Render = Callable[[dict[str, ActionForm], int], HttpResponse]


def page_of(request: AuthenticatedRequest, items: Any) -> Page[Any]:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def action_forms(
    actions: Iterable[tuple[rules.Rule, str]], bound: dict[str, ActionForm]
) -> list[ActionForm]:
    return [bound.get(rule.action) or ActionForm(rule=rule, party=party) for rule, party in actions]


def orphan_errors(bound: dict[str, ActionForm], shown: Iterable[str]) -> list[str]:
    """Errors of a form whose section is gone (the complaint moved on meanwhile)."""
    visible = set(shown)
    return [
        str(error)
        for action, form in bound.items()
        if action not in visible
        for errors in form.errors.values()
        for error in errors
    ]


def act(
    request: AuthenticatedRequest,
    *,
    complaint: Complaint,
    action: str,
    sides: frozenset[str],
    held: frozenset[str],
    render: Render,
    back: str,
) -> HttpResponse:
    if action not in rules.ACTIONS:
        raise InvalidInput(_("Unknown action."))
    matched = rules.rule_for(complaint.status, action, held)
    if matched is not None:
        rule, party = matched, rules.party_for(matched, held)
    else:  # the service says why not; the form only needs a shape
        rule = rules.rules_for(action)[0]
        party = sorted(rule.parties)[0]
    form = ActionForm(request.POST, rule=rule, party=party)
    if not form.is_valid():
        return render({action: form}, 400)
    data = form.cleaned_data
    try:
        services.complaint_act(
            actor=request.user,
            complaint=complaint,
            action=action,
            note=data.get("note", ""),
            satisfaction=data.get("satisfaction") or "",
            upheld=data.get("upheld"),
            acting_as=sides,
        )
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return render({action: form}, exc.status)
    messages.success(request, _("Done: %(action)s.") % {"action": rules.ACTION_LABELS[action]})
    return HttpResponseRedirect(back)
