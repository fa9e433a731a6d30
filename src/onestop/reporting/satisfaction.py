"""Satisfaction by dimension and by question (WX 8.1.1: flow, efficiency,
attitude; HM Appendix A), from the answers counted per questionnaire,
question and answer value. The questionnaire's own scale gives each answer
its score (5..1) and whether it is a bad answer."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from onestop.evaluations.surveys import question_dimension
from onestop.reporting import figures as f
from onestop.reporting.sections import Figures, mean, share
from onestop.reporting.tables import Cell, Table

# A scale answer scoring at least this counts as satisfied (满意, 非常满意).
SATISFIED_SCORE = 4
DIMENSION_ORDER = ("flow", "efficiency", "professionalism", "attitude", "overall", "solved")


def dimension_labels() -> dict[str, str]:
    """The reporting dimensions in the UI language."""
    return {
        "flow": _("Service flow"),
        "efficiency": _("Efficiency (timely response and completion)"),
        "professionalism": _("Professionalism"),
        "attitude": _("Service attitude"),
        "overall": _("Overall rating"),
        "solved": _("Problem solved"),
    }


@dataclasses.dataclass
class Tally:
    answers: int = 0
    scored: int = 0
    score: int = 0
    satisfied: int = 0
    bad: int = 0

    def add(self, step: dict[str, Any], kind: str, count: int) -> None:
        self.answers += count
        if step.get("bad"):
            self.bad += count
        if kind == "scale":
            self.scored += count
            self.score += int(step["score"]) * count
            if int(step["score"]) >= SATISFIED_SCORE:
                self.satisfied += count
        elif not step.get("bad"):
            self.satisfied += count  # "yes, solved"


def _tallies(figures: Figures) -> dict[tuple[int, str], Tally]:
    """(form id, question key) -> the tally of its answers."""
    steps = {
        form_id: {
            kind: {step["value"]: step for step in form["definition"].get(kind, [])}
            for kind in ("scale", "yes_no")
        }
        for form_id, form in figures.forms.items()
    }
    kinds = {
        (form_id, str(q["key"])): q["type"]
        for form_id, form in figures.forms.items()
        for part in form["definition"]["parts"]
        for q in part["questions"]
    }
    tallies: dict[tuple[int, str], Tally] = defaultdict(Tally)
    for answer, count in figures.by_key(f.ANSWER).items():
        form_part, question, value = [*answer.split(":", 2), "", ""][:3]
        if not form_part.isdigit():
            continue
        form_id = int(form_part)
        kind = kinds.get((form_id, question))
        step = steps.get(form_id, {}).get(kind or "", {}).get(value)
        if kind is None or step is None:
            continue  # a question or answer the questionnaire does not know
        tallies[(form_id, question)].add(step, kind, count)
    return tallies


def _questions(figures: Figures) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """(form id, form, question with its part title) in questionnaire order."""
    out = []
    forms = sorted(figures.forms.items(), key=lambda item: (item[1]["title"], item[1]["version"]))
    for form_id, form in forms:
        for part in form["definition"]["parts"]:
            for question in part["questions"]:
                out.append((form_id, form, {**question, "part_title": part.get("title", "")}))
    return out


def dimensions_table(figures: Figures) -> Table:
    tallies = _tallies(figures)
    by_dimension: dict[str, Tally] = defaultdict(Tally)
    for form_id, _form, question in _questions(figures):
        tally = tallies.get((form_id, str(question["key"])))
        if tally is not None:
            total = by_dimension[question_dimension(question)]
            for field in dataclasses.fields(Tally):
                setattr(total, field.name, getattr(total, field.name) + getattr(tally, field.name))
    labels = dimension_labels()
    rows: list[list[Cell]] = []
    for dimension in DIMENSION_ORDER:
        tally = by_dimension.get(dimension, Tally())
        rows.append(
            [
                labels[dimension],
                tally.answers,
                mean(tally.score, tally.scored),
                share(tally.satisfied, tally.answers),
                share(tally.bad, tally.answers),
            ]
        )
    return Table(
        key="satisfaction",
        title=_("Satisfaction by dimension"),
        columns=[
            _("Dimension"),
            pgettext("statistics", "Answers"),
            _("Mean score (1 to 5)"),
            _("Satisfied (%)"),
            _("Dissatisfied (%)"),
        ],
        rows=rows,
        note=_(
            'Satisfied: satisfied or very satisfied; for "problem solved", the share of yes '
            "answers. Both parts of the HM questionnaire (service center, institution) count."
        ),
    )


def questions_table(figures: Figures) -> Table:
    tallies = _tallies(figures)
    labels = dimension_labels()
    rows: list[list[Cell]] = []
    for form_id, form, question in _questions(figures):
        tally = tallies.get((form_id, str(question["key"])))
        if tally is None or not tally.answers:
            continue
        rows.append(
            [
                f"{form['title']} v{form['version']}",
                question["part_title"],
                question["text"],
                labels.get(question_dimension(question), question_dimension(question)),
                tally.answers,
                mean(tally.score, tally.scored),
                share(tally.satisfied, tally.answers),
            ]
        )
    return Table(
        key="satisfaction_questions",
        title=_("Satisfaction by question"),
        columns=[
            _("Questionnaire"),
            _("Part"),
            _("Question"),
            _("Dimension"),
            pgettext("statistics", "Answers"),
            _("Mean score (1 to 5)"),
            _("Satisfied (%)"),
        ],
        rows=rows,
    )
