"""The second stage of a two-stage design: units within PSUs and their variance factors."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from vpt_monitor.stats._arrays import read_only
from vpt_monitor.stats._labels import factorize, show
from vpt_monitor.stats._validation import as_float_array, as_positive

__all__ = ["SecondStage"]

IntArray = NDArray[np.intp]
FloatArray = NDArray[np.float64]


class SecondStage:
    """Second-stage units within PSUs and the variance factor of each PSU's second stage."""

    __slots__ = ("centred", "n_ssu", "psu_scale", "ssu", "ssu_count", "ssu_psu")

    def __init__(
        self,
        ssu: IntArray,
        ssu_psu: IntArray,
        ssu_count: FloatArray,
        psu_scale: FloatArray,
        centred: NDArray[np.bool_],
    ) -> None:
        self.ssu = read_only(ssu)
        self.n_ssu = len(ssu_psu)
        self.ssu_psu = read_only(ssu_psu)
        self.ssu_count = read_only(ssu_count)
        self.psu_scale = read_only(psu_scale)
        self.centred = read_only(centred)

    @classmethod
    def build(
        cls,
        psu: IntArray,
        first_fraction: FloatArray,
        ssu: ArrayLike | None,
        fpc2: ArrayLike,
        n: int,
        lonely_psu: str,
        psu_labels: Any = None,
    ) -> SecondStage:
        """Code the second-stage units and work out each PSU's variance factor.

        ``psu_labels`` name the PSUs in messages (their codes otherwise).
        """

        def name(i: int) -> str:
            label = i if psu_labels is None else psu_labels[i]
            return f"cluster {show(label)}"

        n_psu = len(first_fraction)
        if ssu is None:
            unit = np.arange(n, dtype=np.intp)
        else:
            local, local_labels = factorize("ssu", ssu, n)
            pair = psu.astype(np.int64) * max(len(local_labels), 1) + local
            _, unit = np.unique(pair, return_inverse=True)
            unit = unit.astype(np.intp)
        n_ssu = int(unit.max()) + 1
        ssu_psu = np.zeros(n_ssu, dtype=np.intp)
        ssu_psu[unit] = psu
        count = np.bincount(ssu_psu, minlength=n_psu).astype(np.float64)

        f = as_float_array("fpc2", fpc2)
        if f.shape != (n,):
            raise ValueError(f"'fpc2' has shape {f.shape} but 'weights' has {n} values")
        f = as_positive("fpc2", f)
        first = np.zeros(n_psu)
        first[psu[::-1]] = f[::-1]
        varies = f != first[psu]
        if varies.any():
            row = int(np.argmax(varies))
            raise ValueError(
                f"'fpc2' must be constant within a PSU; {name(int(psu[row]))} has "
                f"fpc2={first[psu[row]]:g} and fpc2={f[row]:g} (index {row})"
            )
        population = np.where(first > 1, first, count / first)
        small = population < count * (1 - 1e-12)
        if small.any():
            i = int(np.argmax(small))
            raise ValueError(
                f"'fpc2' is smaller than the sample in {name(i)}: {population[i]:g} units "
                f"in its population but {count[i]:g} sampled"
            )
        fraction = np.minimum(count / population, 1.0)
        lonely = (count == 1) & (fraction < 1) & (first_fraction > 0)
        if lonely.any() and lonely_psu == "average":
            i = int(np.argmax(lonely))
            raise ValueError(
                f"{name(i)} has only one second-stage unit; lonely_psu='average' has no other "
                "second-stage strata in the PSU to average over (R survey gives NaN there); "
                "choose lonely_psu='adjust', 'certainty' or 'remove'"
            )
        if lonely.any() and lonely_psu == "fail":
            i = int(np.argmax(lonely))
            raise ValueError(
                f"{name(i)} has only one second-stage unit, so its within-PSU variance "
                "cannot be estimated; choose lonely_psu='adjust', 'certainty' or 'remove'"
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(
                count > 1,
                first_fraction * (1 - fraction) * count / (count - 1),
                first_fraction * (1 - fraction) if lonely_psu == "adjust" else 0.0,
            )
        centred = (count > 1) | (lonely_psu != "adjust")
        return cls(unit, ssu_psu, count, scale, centred)
