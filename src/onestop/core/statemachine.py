"""The rule table a workflow's state machine is written as (STYLE.md:
"a table of allowed transitions in one place").

A workflow (orders, complaints) lists its moves as rows: an action, the
statuses it may start from, the status it leads to, the parties that may
make it, and whether it needs a note. ``RuleTable`` answers the questions
every such workflow asks of its table — may anyone do this from here, which
row lets this person do it, on which side do they act — so that each app's
``rules.py`` holds only its table and the conditions the rows cannot
express.

One person may stand on several sides of the same object (an institution's
staff member who is also the user of an order, the service center calling a
complainant back); the table's ``precedence`` decides which side they act
on, the first that qualifies.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence


@dataclasses.dataclass(frozen=True)
class Rule:
    """One row: ``parties`` may do ``action`` from any of ``sources``, which
    leads to ``target``."""

    action: str
    sources: frozenset[str]
    target: str
    parties: frozenset[str]
    # The note is required (a reason, a response, what the other side must supply).
    needs_note: bool = False


def rule(
    action: str,
    sources: Iterable[str],
    target: str,
    parties: Iterable[str],
    *,
    needs_note: bool = False,
) -> Rule:
    """A row, written with lists for readability in the table."""
    return Rule(action, frozenset(sources), target, frozenset(parties), needs_note)


class RuleTable:
    """A workflow's whole state machine and the questions asked of it.

    An action may have several rows when who may do it depends on the
    status (an institution cancels only an order it accepted) or when one
    side needs a note and another does not.
    """

    def __init__(
        self, rules: Iterable[Rule], *, statuses: Iterable[str], precedence: Sequence[str]
    ) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.precedence: tuple[str, ...] = tuple(precedence)
        unranked = {p for r in self.rules for p in r.parties} - set(self.precedence)
        if unranked:
            raise ValueError(f"parties missing from the precedence: {sorted(unranked)}")
        # In table order, each once (the order of a page's buttons and forms).
        self.actions: tuple[str, ...] = tuple(dict.fromkeys(r.action for r in self.rules))
        # From each status, where the object may go (derived; for docs and tests).
        self.transitions: dict[str, frozenset[str]] = {
            status: frozenset(r.target for r in self.rules if status in r.sources)
            for status in statuses
        }

    def rules_for(self, action: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.action == action)

    def can_transition(self, status: str, action: str) -> bool:
        """Whether anyone may do ``action`` from ``status``."""
        return any(status in r.sources for r in self.rules_for(action))

    def rule_for(self, status: str, action: str, parties: Iterable[str]) -> Rule | None:
        """The row that lets one of ``parties`` do ``action`` from ``status``,
        trying the parties in order of precedence."""
        held = set(parties)
        for party in self.precedence:
            if party not in held:
                continue
            for row in self.rules_for(action):
                if status in row.sources and party in row.parties:
                    return row
        return None

    def party_for(self, row: Rule, parties: Iterable[str]) -> str:
        """The side on which the actor does ``row`` (the first that qualifies).

        Raises StopIteration when none of ``parties`` may do it: callers ask
        only about a row ``rule_for`` gave them for the same parties.
        """
        held = set(parties)
        return next(p for p in self.precedence if p in held and p in row.parties)

    def may_ever(self, action: str, parties: Iterable[str]) -> bool:
        """Whether one of ``parties`` appears anywhere in the rows of ``action``."""
        held = set(parties)
        return any(r.parties & held for r in self.rules_for(action))

    def allowed(self, status: str, parties: Iterable[str]) -> list[tuple[Rule, str]]:
        """The moves ``parties`` may make from ``status`` by the table alone,
        in table order, each with the side it is made on."""
        held = frozenset(parties)
        found: list[tuple[Rule, str]] = []
        for action in self.actions:
            row = self.rule_for(status, action, held)
            if row is not None:
                found.append((row, self.party_for(row, held)))
        return found
