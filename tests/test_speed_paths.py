"""The shortcuts taken for speed give what the long way gave (the report's end-to-end time).

Each shortcut is checked twice: that it is taken (the work is not done again, pandas is not
imported, no label is looked at one by one) and that its answer is the long way's, on data
written by hand the way agencies deliver them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from vpt_monitor import MonitorData, victimisation
from vpt_monitor.data import cells
from vpt_monitor.indicators import _common
from vpt_monitor.stats import _labels

SRC = Path(__file__).resolve().parents[1] / "src"


def _delivery() -> MonitorData:
    """Two waves, both groups, a form not asked of the office holders in 2014, gaps."""
    return MonitorData.from_columns(
        {
            "id": ["a", "b", "c", "d", "e", "f", "g", "h"],
            "wave": [2014, 2014, 2014, 2014, 2016, 2016, 2016, 2016],
            "layer": ["gemeente"] * 8,
            "office": ["raadslid", "burgemeester", "ambtenaar", "ambtenaar"] * 2,
            "stratum": ["Noord", "Noord", "Zuid", "Zuid", "Noord", "Noord", "Zuid", "Zuid"],
            "cluster": ["Assen", "Emmen", "Breda", "Tilburg"] * 2,
            "weight": [1.0, 2.0, 1.5, 3.0, 1.0, 1.0, 2.0, 2.5],
            "incidents:verbaal": [1, 0, 0, None, 2, 0, None, 1],
            "incidents:fysiek": [None, None, 1, 0, 0, 1, 0, None],
        }
    )


def test_the_waves_are_found_once_and_kept() -> None:
    data = _delivery()
    assert data.waves == (2014, 2016)
    assert data.waves is data.waves


def test_an_indicators_codes_are_made_once_per_data_and_read_only() -> None:
    data = _delivery()
    first = _common.Unit(data).column("wave")
    assert first.tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert _common.Unit(data).column("wave") is first
    assert not first.flags.writeable
    assert _common.Unit(data).column("group").tolist() == [0, 0, 1, 1] * 2


def test_a_table_set_anew_forgets_what_was_derived_from_the_old_one() -> None:
    # a reviewer: data.respondents is an attribute a caller can set; the waves and codes
    # kept from the old table would have described rows that are no longer there
    data = _delivery()
    assert data.waves == (2014, 2016)
    assert _common.Unit(data).column("wave").tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    later = {**data.respondents, "wave": np.full(len(data), 2018)}
    data.respondents = later  # type: ignore[misc]
    assert data.waves == (2018,)
    assert _common.Unit(data).column("wave").tolist() == [0] * 8
    data.source = "a note"  # any other attribute keeps them
    assert data.waves is data.waves


def test_any_of_is_the_matrix_rule_member_by_member() -> None:
    data = _delivery()
    unit = _common.Unit(data)
    matrix = np.array(
        [[1, -1], [0, -1], [0, 1], [-1, 0], [2, 0], [0, 1], [-1, 0], [1, -1]], dtype=np.int64
    )
    yes, answered, notes = _common.any_of(unit, matrix, "forms", ("verbaal", "fysiek"))
    # the rule written whole: asked per questionnaire (wave x group), then per row
    known = matrix >= 0
    codes, count = _common._questionnaires(unit)
    per_cell = np.stack(
        [np.bincount(codes, weights=known[:, k], minlength=count) > 0 for k in range(2)], axis=1
    )
    asked = per_cell[codes]
    expected_yes = ((matrix > 0) & asked).any(axis=1)
    complete = (known | ~asked).all(axis=1) & asked.any(axis=1)
    assert yes.tolist() == expected_yes.tolist()
    assert answered.tolist() == (expected_yes | complete).tolist()
    # the office holders of 2014 were not asked "fysiek": their "no" to verbal is an answer
    assert answered.tolist() == [True, True, True, False, True, True, False, True]
    assert notes == {"not_asked_by_group": {2014: {"politiek-ambtsdrager": ("fysiek",)}}}
    assert victimisation(data, by="wave").estimate.tolist() == pytest.approx([2.5 / 4.5, 1.0])


def test_text_labels_are_coded_without_looking_at_each_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[object] = []
    kind = _labels._kind

    def counted(value: object) -> int:
        seen.append(value)
        return kind(value)

    monkeypatch.setattr(_labels, "_kind", counted)
    strata = np.array(["Zuid", "Noord", "Zuid", "Oost"], dtype=object)
    codes, labels = _labels.factorize("strata", strata, 4)
    assert codes.tolist() == [2, 0, 2, 1]
    assert labels.tolist() == ["Noord", "Oost", "Zuid"]
    assert seen == []
    # a mixture still takes the rule label by label: numbers first, then text
    codes, labels = _labels.factorize("strata", np.array(["b", 7, "a"], dtype=object), 3)
    assert (codes.tolist(), labels.tolist()) == ([2, 0, 1], [7, "a", "b"])
    with pytest.raises(ValueError, match=r"'strata' has a missing value \(None\) at index 1"):
        _labels.factorize("strata", np.array(["a", None], dtype=object), 2)


def test_text_is_factorised_as_pandas_does_without_importing_it() -> None:
    pd = pytest.importorskip("pandas")
    values = np.array(["Zuid", "Noord", "Zuid", "Oost", "Noord", "zuid"], dtype=object)
    found = cells._first_appearance_sorted(values)
    assert found is not None
    codes, distinct = found
    expected_codes, expected = pd.factorize(values)
    assert codes.tolist() == expected_codes.tolist() == [0, 1, 0, 2, 1, 3]
    assert distinct.tolist() == expected.tolist()
    # missing labels and numbers are left to pandas (or the rule for them)
    assert cells._first_appearance_sorted(np.array(["a", None], dtype=object)) is None
    assert cells._first_appearance_sorted(np.array(["a", 1], dtype=object)) is None


def test_a_design_of_text_labels_does_not_import_pandas() -> None:
    script = textwrap.dedent(
        """
        import sys
        from vpt_monitor import MonitorData
        data = MonitorData.from_columns({
            "id": ["a", "b", "c", "d"], "wave": [2016] * 4, "layer": ["gemeente"] * 4,
            "office": ["raadslid"] * 4, "stratum": ["Noord", "Noord", "Zuid", "Zuid"],
            "cluster": ["Assen", "Emmen", "Breda", "Tilburg"], "weight": [1.0, 2.0, 1.0, 2.0]})
        print(data.design.n_psu, data.design.n_strata, "pandas" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": ""},
        check=True,
    )
    assert done.stdout.split() == ["4", "2", "False"]
