"""The monitor's design from coded labels is the design of the 'wave/label' texts.

``MonitorData.design`` no longer writes a 'wave/label' text per row for the survey design to
sort; it crosses codes and names each pair once. These tests build the design the old way,
from the texts, on label columns as users bring them (numbers and text mixed, floats,
accents, numbers as strata, reused labels across waves) and compare.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose

from vpt_monitor import MonitorData, victimisation
from vpt_monitor.stats import SurveyDesign, mean

N = 16


def _columns(stratum: list[Any], cluster: list[Any]) -> dict[str, Any]:
    rng = np.random.default_rng(3)
    return {
        "id": [f"r{i}" for i in range(N)],
        "wave": [2022] * (N // 2) + [2024] * (N // 2),
        "layer": ["rijk"] * N,
        "office": ["ambtenaar"] * N,
        "weight": rng.uniform(1, 3, N),
        "stratum": np.array(stratum, dtype=object),
        "cluster": np.array(cluster, dtype=object),
        "incidents:verbaal": rng.integers(0, 3, N).tolist(),
    }


def _texts(columns: dict[str, Any], name: str) -> np.ndarray:
    return np.array(
        [f"{w}/{v}" for w, v in zip(columns["wave"], columns[name], strict=True)], dtype=object
    )


LABELS = {
    "numbers and text mixed": ([1, "1", "1", 1, "2", "2", 2, 2] * 2, None),
    "floats": ([1.0, 1.0, 1.0, 1.0, 2.5, 2.5, 2.5, 2.5] * 2, None),
    "accents and case": (
        ["Fryslân"] * 4 + ["Zeeland"] * 4 + ["fryslan"] * 4 + ["Zeeland"] * 4,
        None,
    ),
    "reused across waves": (["a"] * 4 + ["b"] * 4 + ["a"] * 4 + ["b"] * 4, None),
    "integer strata": ([3, 3, 3, 3, -1, -1, -1, -1] * 2, None),
}


@pytest.mark.parametrize("case", sorted(LABELS))
def test_the_coded_design_is_the_design_of_the_texts(case: str) -> None:
    stratum, _ = LABELS[case]
    cluster = [f"c{i // 2}" if i % 4 < 2 else i // 2 for i in range(N)]  # text and numbers
    columns = _columns(stratum, cluster)
    data = MonitorData.from_columns(columns)
    coded = data.design
    texts = SurveyDesign(
        weights=data.respondents["weight"],
        strata=_texts(columns, "stratum"),
        clusters=_texts(columns, "cluster"),
    )
    assert coded.strata_labels.tolist() == texts.strata_labels.tolist()
    assert coded.strata_labels.dtype == object
    assert coded.n_psu == texts.n_psu
    assert coded.df == texts.df
    assert np.array_equal(coded.psu, texts.psu)
    assert np.array_equal(coded.psu_stratum, texts.psu_stratum)
    y = data.respondents["weight"] * 0 + np.arange(N) % 3
    a, b = mean(y, coded), mean(y, texts)
    assert_allclose(a.standard_error, b.standard_error, rtol=1e-14)


def test_numbers_and_text_of_one_value_are_one_stratum() -> None:
    # a spreadsheet column with 1 and "1": one stratum, as R's character labels make it
    stratum = [1, "1", "1", 1, "2", "2", 2, 2] * 2
    data = MonitorData.from_columns(_columns(stratum, [f"c{i // 2}" for i in range(N)]))
    assert data.design.strata_labels.tolist() == ["2022/1", "2022/2", "2024/1", "2024/2"]
    assert data.design.df == 8 - 4


def test_a_table_without_rows_is_refused_as_before() -> None:
    columns = _columns([], [])
    columns = {k: v[:0] for k, v in columns.items()}
    data = MonitorData.from_columns(columns)
    with pytest.raises(ValueError, match="empty"):
        _ = data.design


def test_the_headline_figures_do_not_change() -> None:
    stratum = ["x", "x", "y", "y"] * 4
    data = MonitorData.from_columns(_columns(stratum, [f"c{i // 2}" for i in range(N)]))
    table = victimisation(data, by="wave")
    texts = SurveyDesign(
        weights=data.respondents["weight"],
        strata=_texts(_columns(stratum, [f"c{i // 2}" for i in range(N)]), "stratum"),
        clusters=_texts(_columns(stratum, [f"c{i // 2}" for i in range(N)]), "cluster"),
    )
    counts = np.asarray(data.respondents["victimisations"])
    victim = (counts > 0).any(axis=1).astype(float)
    by_texts = mean(victim, texts, by=data.respondents["wave"])
    assert_allclose(table.standard_error, by_texts.standard_error, rtol=1e-13)
