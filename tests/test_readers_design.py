"""Design checks at read time for the two-stage design (code review of issue 10, item 2).

``fpc2`` that varied within a cluster, an ``fpc`` below the PSUs sampled, and ``fpc2`` without
a first stage all passed ``read_monitor`` and failed (or gave wrong variances) later, without
a file or a line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vpt_monitor import MonitorDataError
from vpt_monitor.io import read_monitor

HEADER = "id,wave,layer,office,stratum,cluster"


def _problems(path: Path) -> list[str]:
    with pytest.raises(MonitorDataError) as caught:
        read_monitor(path, lonely_psu="adjust")
    return list(caught.value.problems)


def _file(tmp_path: Path, columns: str, rows: list[str]) -> Path:
    path = tmp_path / "r.csv"
    body = "".join(f"r{k},2016,gemeente,raadslid,{row}\n" for k, row in enumerate(rows))
    path.write_text(f"{HEADER},{columns}\n{body}", encoding="utf-8")
    return path


def test_fpc2_varying_within_a_cluster_is_located(tmp_path: Path) -> None:
    path = _file(tmp_path, "fpc,fpc2", ["A,g1,10,40", "A,g1,10,40", "A,g1,10,45", "A,g2,10,30"])
    (problem,) = _problems(path)
    assert problem == (
        "r.csv line 4: fpc2='45': differs within cluster 'g1' of wave 2016, where r.csv "
        "line 2 has '40'; fpc2 is one number per cluster (the people in its population, or "
        "the fraction sampled)"
    )


def test_fpc2_may_differ_between_waves_for_a_reused_cluster_label(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        f"{HEADER},fpc,fpc2\n"
        "a,2014,gemeente,raadslid,A,g1,10,40\nb,2014,gemeente,raadslid,A,g2,10,40\n"
        "c,2016,gemeente,raadslid,A,g1,10,45\nd,2016,gemeente,raadslid,A,g2,10,45\n",
        encoding="utf-8",
    )
    assert read_monitor(path).respondents["fpc2"].tolist() == [40, 40, 45, 45]


def test_fpc_below_the_psus_sampled_is_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, "fpc", ["A,g1,2", "A,g2,2", "A,g3,2", "B,g4,0.5", "B,g5,0.5"])
    (problem,) = _problems(path)
    assert problem.startswith(
        "r.csv line 2: fpc='2': smaller than the 3 clusters (PSUs) sampled in stratum 'A' of "
        "wave 2016; an fpc above 1 is the number of first-stage units"
    )


def test_fpc2_below_the_people_sampled_in_the_cluster_is_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, "fpc,fpc2", ["A,g1,5,2", "A,g1,5,2", "A,g1,5,2", "A,g2,5,9"])
    (problem,) = _problems(path)
    assert problem.startswith(
        "r.csv line 2: fpc2='2': smaller than the 3 respondents sampled in cluster 'g1'"
    )


def test_fpc2_without_fpc_or_clusters_is_explained(tmp_path: Path) -> None:
    path = _file(tmp_path, "fpc2", ["A,g1,40", "A,g2,40"])
    (problem,) = _problems(path)
    assert problem.startswith("r.csv line 1 (header): column 'fpc2': a second-stage fpc needs")
    assert "add fpc, or drop fpc2" in problem
    path = tmp_path / "n.csv"
    path.write_text(
        "id,wave,layer,office,fpc,fpc2\na,2016,rijk,ambtenaar,10,40\nb,2016,rijk,ambtenaar,10,40\n",
        encoding="utf-8",
    )
    (problem,) = _problems(path)
    assert problem.startswith("n.csv line 1 (header): column 'fpc2': a second-stage fpc needs")
    assert "'cluster' column" in problem


def test_a_census_of_clusters_with_fpc2_reads(tmp_path: Path) -> None:
    # every organisation sampled (fpc = clusters sampled), people sampled within them
    path = _file(tmp_path, "fpc,fpc2", ["A,g1,2,40", "A,g1,2,40", "A,g2,2,30", "A,g2,2,30"])
    data = read_monitor(path)
    assert data.respondents["fpc2"].tolist() == [40, 40, 30, 30]
