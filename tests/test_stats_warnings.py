"""Every warning of vpt_monitor.stats points at the caller's line (issue 10.12)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from vpt_monitor.stats import SurveyDesign, rake


def _brr_with_fpc() -> object:
    design = SurveyDesign(
        weights=np.ones(8),
        strata=np.repeat([0, 1], 4),
        clusters=np.repeat(np.arange(4), 2),
        fpc=np.full(8, 10.0),
    )
    return design.replicate("brr")


def _bootstrap_with_fpc() -> object:
    design = SurveyDesign(weights=np.ones(6), strata=[1, 1, 1, 2, 2, 2], fpc=np.full(6, 10.0))
    return design.replicate("bootstrap", replicates=5, seed=1)


def _replicate_two_stage() -> object:
    design = SurveyDesign(
        weights=np.ones(6),
        strata=[1, 1, 1, 2, 2, 2],
        clusters=[1, 1, 2, 3, 3, 4],
        fpc=np.full(6, 10.0),
        fpc2=np.full(6, 10.0),
        lonely_psu="certainty",
    )
    return design.replicate("jkn")


def _rake_without_convergence() -> object:
    return rake(
        SurveyDesign(weights=np.ones(3)),
        {
            "office": (["m", "m", "a"], {"m": 10, "a": 10}),
            "sex": (["f", "f", "v"], {"f": 5, "v": 15}),
        },
        max_iter=3,
    )


def _brr_stored_matrix() -> object:
    design = SurveyDesign(
        weights=np.ones(48), strata=np.repeat(np.arange(24), 2), clusters=np.arange(48)
    )
    return design.replicate("brr")


WARNINGS: dict[str, tuple[Callable[[], object], str]] = {
    "brr_fpc": (_brr_with_fpc, "BRR ignores the finite-population correction"),
    "bootstrap_fpc": (_bootstrap_with_fpc, "bootstrap ignores the finite-population"),
    "two_stage": (_replicate_two_stage, "second-stage fpc is dropped"),
    "rake": (_rake_without_convergence, "raking did not converge"),
    "brr_stored_matrix": (_brr_stored_matrix, "Hadamard matrix is one it stores"),
}


@pytest.mark.parametrize("name", WARNINGS)
def test_warning_points_at_the_caller(name: str) -> None:
    make, message = WARNINGS[name]
    with pytest.warns(UserWarning, match=message) as record:
        make()
    assert len(record) == 1
    assert record[0].filename == __file__
