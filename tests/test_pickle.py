"""Data, records and results pickle: analysts send them to other processes and keep them.

``multiprocessing`` and ``joblib`` pickle what they send; ``types.MappingProxyType``, which
held the columns, the records' answers and the results' notes, cannot be pickled, so a
``MonitorData`` or an ``EstimateTable`` could not be sent to a worker or kept on disk.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from vpt_monitor import (
    MonitorData,
    change,
    decompose_change,
    model,
    plan_sample,
    trend,
    victimisation,
)
from vpt_monitor.stats import SurveyDesign, chisq_test, proportion


def _delivery() -> MonitorData:
    """Two waves as an agency numbers them: ids 1..n per wave, word strata, named clusters."""
    n = 120
    k = np.arange(n)
    return MonitorData.from_columns(
        {
            "id": [str(i % 60 + 1) for i in range(n)],
            "wave": np.where(k < 60, 2014, 2016),
            "layer": ["gemeente"] * n,
            "office": np.array(["burgemeester", "wethouder", "raadslid"])[k % 3],
            "weight": 3.0 + (k % 7),
            "stratum": np.array(["Noord", "Zuid"])[(k // 10) % 2],
            "cluster": [f"c{i // 10}" for i in range(n)],
            "incidents:verbaal": [
                2 if i % 4 == 0 else (None if i % 9 == 0 else 0) for i in range(n)
            ],
            "incidents:fysiek": (k % 11 == 0).astype(int),
        },
        incidents={
            "respondent_id": ["1", "5", "1"],
            "wave": [2014, 2014, 2016],
            "form": ["verbaal", "verbaal", "verbaal"],
            "reported_internally": ["ja", "nee", ""],
        },
    )


def test_monitor_data_pickles_with_its_columns_read_only_and_its_estimates_the_same() -> None:
    data = _delivery()
    before = victimisation(data, by=("wave", "office"))
    assert data.waves == (2014, 2016)  # the caches filled: they are not sent
    assert data._derived
    copy = pickle.loads(pickle.dumps(data))
    assert copy._derived == {}
    assert copy.waves == (2014, 2016)
    assert len(copy) == len(data)
    for table in ("respondents", "incidents", "organisations", "violations"):
        theirs, ours = getattr(copy, table), getattr(data, table)
        assert set(theirs) == set(ours)
        for name, array in theirs.items():
            assert not array.flags.writeable, (table, name)
            np.testing.assert_array_equal(array, ours[name])
    with pytest.raises(ValueError, match="read-only"):
        copy.respondents["weight"][0] = 1.0
    with pytest.raises(TypeError):
        copy.respondents["weight"] = np.ones(len(copy))  # type: ignore[index]
    after = victimisation(copy, by=("wave", "office"))
    np.testing.assert_array_equal(after.estimate, before.estimate)
    np.testing.assert_array_equal(after.standard_error, before.standard_error)
    assert [r.id for r in copy.to_records()[0]] == [r.id for r in data.to_records()[0]]


def test_records_and_results_pickle_and_print_the_same() -> None:
    data = _delivery()
    table = victimisation(data, by=("wave", "office"))
    design = SurveyDesign(weights=[1.0, 2.0, 3.0, 4.0], strata=["a", "a", "b", "b"])
    results = {
        "records": data.to_records(),
        "table": table,
        "change": change(victimisation(data, by=("wave", "group")), between=(2014, 2016)),
        "trend": trend(victimisation(data, by=("wave", "group"))),
        "model": model(data, "victimised ~ office", wave=2016),
        "decomposition": decompose_change(data, between=(2014, 2016), factor="office"),
        "plan": plan_sample(data, margin=0.1),
        "estimate": proportion([0, 1, 1, 0], design),
        "test": chisq_test([0, 1, 1, 0], [0, 1, 0, 1], design),
    }
    for name, result in results.items():
        copy = pickle.loads(pickle.dumps(result))
        assert str(copy) == str(result), name
        assert repr(copy) == repr(result), name
