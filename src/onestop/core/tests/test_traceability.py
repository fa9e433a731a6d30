"""The clause traceability report: results joined with the clause list."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from onestop.core import traceability
from onestop.core.traceability import Clause

CLAUSES = [
    Clause("WX 7.3", "platform", "User evaluates the service online after completion"),
    Clause("HM A", "platform", "Satisfaction form | two parts"),
    Clause("LZ 6.4", "platform", "Twelve service categories"),
]


def _lines(*records: tuple[str, list[str]]) -> list[str]:
    return [json.dumps({"test": test, "clauses": clauses}) for test, clauses in records]


def test_features_come_from_the_app_or_the_journey():
    assert traceability.feature_of("src/onestop/evaluations/tests/test_api.py::t") == "evaluations"
    assert (
        traceability.feature_of("tests/e2e/test_evaluation_journeys.py::t") == "browser: evaluation"
    )


def test_rows_coverage_and_rendering():
    lines = _lines(
        ("src/onestop/evaluations/tests/test_api.py::a", ["WX 7.3", "HM A"]),
        ("tests/e2e/test_evaluation_journeys.py::b", ["WX 7.3"]),
        ("", []),
    )
    proven = traceability.read_results([*lines, ""])
    rows = traceability.build(CLAUSES, proven)
    assert [row.covered for row in rows] == [True, True, False]
    assert rows[0].features == ["browser: evaluation", "evaluations"]
    overall = traceability.coverage(rows)[0]
    assert (overall.covered, overall.total) == (2, 3)
    text = traceability.render(rows)
    assert "| LZ 6.4 | Twelve service categories | — | — | **no** |" in text
    assert "Satisfaction form \\| two parts" in text  # table cells escaped
    assert "Not covered: LZ 6.4." in text


def test_the_command_writes_the_report(tmp_path, capsys):
    clauses = tmp_path / "clauses.tsv"
    clauses.write_text(
        "id\tscope\trequirement\n"
        + "".join(f"{c.id}\t{c.scope}\t{c.requirement}\n" for c in CLAUSES),
        encoding="utf-8",
    )
    results = tmp_path / "passed.jsonl"
    results.write_text("\n".join(_lines(("src/onestop/x/tests/t.py::a", ["LZ 6.4"]))))
    out = tmp_path / "traceability.md"
    call_command("traceability", str(results), clauses=str(clauses), out=str(out))
    assert "all clauses: 1/3 (33.3 %)" in capsys.readouterr().out
    assert "| LZ 6.4 |" in out.read_text(encoding="utf-8")


def test_the_command_refuses_missing_results(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("traceability", str(tmp_path / "none.jsonl"))
