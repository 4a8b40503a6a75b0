"""iowq_plots.data: reading a results folder, names and their order, calibration."""

import math

import pytest

from iowq_plots import data
from iowq_plots.data import DataError, Skip

from .runs import tiny


def test_load_csv_names_the_missing_columns_and_strips_cells(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(" a , b \n 1 , 2 \n")
    assert data.load_csv(str(path), ["a", "b"]) == [{"a": "1", "b": "2"}]
    with pytest.raises(DataError, match=r"missing required columns: c, d$"):
        data.load_csv(str(path), ["a", "c", "d"])


def test_load_csv_missing_and_empty_files(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        data.load_csv(str(tmp_path / "nowhere.csv"), [])
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match="empty file"):
        data.load_csv(str(tmp_path / "empty.csv"), [])


def test_num_and_finite():
    assert data.num("2.5") == 2.5
    assert math.isnan(data.num("")) and math.isnan(data.num(None)) and math.isnan(data.num("x"))
    assert data.finite(1.0) and not data.finite(math.nan) and not data.finite(math.inf) and not data.finite(1)


def test_schedules_and_faults_order():
    schedules = ["fatal:5ms", "poisson:1000", "periodic:100", "storm", "poisson:100", "one-shot", "none", "odd"]
    assert sorted(schedules, key=data.schedule_key) == [
        "none", "one-shot", "storm", "periodic:100", "poisson:100", "poisson:1000", "fatal:5ms", "odd"]
    assert data.parse_schedule("poisson:2e3") == ("poisson", 2000.0)
    assert data.parse_schedule("none") == ("none", 0.0)
    assert sorted(["eagain:0.1", "none", "enomem:0.1"], key=data.faults_key) == ["none", "eagain:0.1", "enomem:0.1"]
    assert data.scenario_size("burst:64") == 64 and data.scenario_size("first-worker") is None


def test_pick_scenario():
    rows = [{"scenario": "burst:64"}, {"scenario": "first-worker"}, {"scenario": "burst:64"}]
    assert data.scenarios_of(rows) == ["burst:64", "first-worker"]
    assert data.pick_scenario(rows, None, "--scenario") is None
    assert data.pick_scenario(rows, "first-worker", "--scenario") == "first-worker"
    with pytest.raises(Skip, match=r"'chain:9' \(--scenario\) is not in this run \(present: burst:64, first-worker\)"):
        data.pick_scenario(rows, "chain:9", "--scenario")


def test_load_run_keeps_calibration_out_of_the_strategies(tmp_path):
    run = data.load_run(tiny(str(tmp_path / "run")))
    assert run.strategies() == ["naive", "pre-patch"]
    assert all(r["strategy"] != "calibration" for r in run.summary + run.trials)
    assert run.calibration_p50("futex-handoff") == 4.2
    assert run.calibration_p50("thread-create") == 8.5
    assert run.calibration_p50("nothing") is None


def test_load_run_missing_folder(tmp_path):
    with pytest.raises(DataError, match="no such directory"):
        data.load_run(str(tmp_path / "nowhere"))
