"""Evaluations: online and offline, bad answers by dimension and question,
"not solved", and the reasons of the rectification cases."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from onestop.evaluations.models import CaseStatus, SurveyForm
from onestop.evaluations.surveys import DIMENSIONS, question_dimension
from onestop.reporting.tables import Cell, Table
from onestop.summaries.analysis.common import share

ONLINE_SOURCE = "online"


@dataclasses.dataclass
class Questionnaire:
    """One questionnaire's questions by key and the values its scales call bad."""

    form: SurveyForm
    questions: dict[str, dict[str, Any]]
    bad_values: dict[str, set[str]]
    part_titles: dict[str, str]

    @classmethod
    def of(cls, form: SurveyForm) -> Questionnaire:
        definition = form.definition
        return cls(
            form=form,
            questions={q["key"]: q for q in form.questions()},
            bad_values={
                kind: {step["value"] for step in definition.get(kind, []) if step.get("bad")}
                for kind in ("scale", "yes_no")
            },
            part_titles={p["key"]: p.get("title", p["key"]) for p in definition["parts"]},
        )

    def is_bad(self, question: dict[str, Any], value: object) -> bool:
        return value in self.bad_values.get(question["type"], set())


def channels(evaluations: list[tuple[Any, ...]]) -> Table:
    """Online evaluations and those of services handled at offline stations
    (a proxy order, or a demand taken by phone, letter, visit or at a station)."""
    counts = {"online": [0, 0], "offline": [0, 0]}
    for _form, _answers, _comment, bad, station, order_source, demand_source in evaluations:
        source = order_source or demand_source or ONLINE_SOURCE
        channel = "offline" if station is not None or source != ONLINE_SOURCE else "online"
        counts[channel][0] += 1
        counts[channel][1] += int(bool(bad))
    labels = {"online": _("Online platform"), "offline": _("Offline stations")}
    rows: list[list[Cell]] = []
    for channel in ("online", "offline"):
        total, bad = counts[channel]
        rows.append([labels[channel], total, bad, share(bad, total)])
    total = sum(c[0] for c in counts.values())
    bad = sum(c[1] for c in counts.values())
    rows.append([pgettext("table row", "Total"), total, bad, share(bad, total)])
    return Table(
        key="channels",
        title=_("Online and offline evaluations"),
        columns=[
            pgettext("evaluation channel", "Channel"),
            _("Evaluations"),
            _("Dissatisfied or not solved"),
            _("Share (%)"),
        ],
        rows=rows,
    )


def bad_answers(evaluations: list[tuple[Any, ...]], forms: dict[int, Questionnaire]) -> list[Table]:
    """Bad answers by dimension, by question, and the "not solved" answers by subject."""
    answered: Counter[str] = Counter()
    bad: Counter[str] = Counter()
    by_question: Counter[tuple[int, str]] = Counter()
    solved_asked: Counter[str] = Counter()
    not_solved: Counter[str] = Counter()
    for form_id, given, *_rest in evaluations:
        questionnaire = forms[form_id]
        for key, value in (given or {}).items():
            question = questionnaire.questions.get(key)
            if question is None:
                continue
            dimension = question_dimension(question)
            answered[dimension] += 1
            is_bad = questionnaire.is_bad(question, value)
            if question["type"] == "yes_no":
                solved_asked[question["subject"]] += 1
                not_solved[question["subject"]] += int(is_bad)
            if is_bad:
                bad[dimension] += 1
                by_question[(form_id, key)] += 1
    dimensions = Table(
        key="dimensions",
        title=_("Dissatisfied answers by dimension"),
        columns=[
            _("Dimension"),
            pgettext("statistics", "Answers"),
            _("Dissatisfied answers"),
            _("Share (%)"),
        ],
        rows=[
            [label, answered[key], bad[key], share(bad[key], answered[key])]
            for key, label in DIMENSIONS.items()
            if answered[key]
        ],
        note=_("“Problem solved” counts the answers “no”."),
    )
    question_rows: list[list[Cell]] = []
    for (form_id, key), count in sorted(
        by_question.items(), key=lambda pair: (-pair[1], pair[0][0], pair[0][1])
    ):
        questionnaire = forms[form_id]
        question = questionnaire.questions[key]
        question_rows.append(
            [
                questionnaire.form.title,
                questionnaire.part_titles.get(question["part"], question["part"]),
                question["text"],
                DIMENSIONS.get(question_dimension(question), question_dimension(question)),
                count,
            ]
        )
    questions = Table(
        key="questions",
        title=_("Dissatisfied answers by question"),
        columns=[
            _("Questionnaire"),
            _("Part"),
            _("Question"),
            _("Dimension"),
            _("Dissatisfied answers"),
        ],
        rows=question_rows,
    )
    subjects = {"center": _("Service center"), "institution": _("Service institutions")}
    solved = Table(
        key="not_solved",
        title=_("Problems not solved"),
        columns=[_("Evaluated"), _("Asked"), _("Not solved"), _("Share (%)")],
        rows=[
            [
                subjects.get(subject, subject),
                solved_asked[subject],
                not_solved[subject],
                share(not_solved[subject], solved_asked[subject]),
            ]
            for subject in sorted(solved_asked)
        ],
    )
    return [dimensions, questions, solved]


def rectification(cases: Iterable[tuple[Any, ...]], forms: dict[int, Questionnaire]) -> Table:
    """The reasons of the rectification cases (a case counts once under each
    dimension it was opened for) and how many were closed (WX 8.1.3 整改)."""
    opened: Counter[str] = Counter()
    closed: Counter[str] = Counter()
    total = total_closed = 0
    for reasons, status, form_id in cases:
        total += 1
        total_closed += int(status == CaseStatus.CLOSED)
        questionnaire = forms.get(form_id)
        dimensions = set()
        for key in reasons or []:
            question = questionnaire.questions.get(key) if questionnaire else None
            dimensions.add(question_dimension(question) if question else "overall")
        for dimension in dimensions:
            opened[dimension] += 1
            closed[dimension] += int(status == CaseStatus.CLOSED)
    rows: list[list[Cell]] = [
        [label, opened[key], closed[key], opened[key] - closed[key]]
        for key, label in DIMENSIONS.items()
        if opened[key]
    ]
    rows.append([_("All cases"), total, total_closed, total - total_closed])
    return Table(
        key="rectification",
        title=_("Rectification cases by reason"),
        columns=[_("Reason"), _("Cases"), _("Closed"), _("Still open")],
        rows=rows,
        note=_("A case opened for several reasons is counted under each of them."),
    )


# --- complaints and terms ---------------------------------------------------------
