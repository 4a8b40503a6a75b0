"""iowq_plots.data: reading a results folder, names and their order, calibration."""

import json
import math
import os

import pytest

from iowq_plots import data
from iowq_plots.data import DataError, Skip, Vocabulary

from .runs import CALIBRATION_COLUMNS, VOCABULARY, build, config, fake_bench, tiny, vocabulary, write_calibration


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


def test_storm_from_attempt_k_is_a_storm():
    assert data.parse_schedule("storm:3") == ("storm", None)
    assert data.parse_schedule("storm+fatal:5ms") == ("other", None)


def test_scenarios_in_the_vocabulary_order_then_by_size():
    words = Vocabulary.from_json(VOCABULARY, "test")  # first-worker, burst:N, steady:RATE
    scenarios = ["steady:100", "chain:4", "burst:64", "burst:8", "first-worker", "burst:1024"]
    assert sorted(scenarios, key=words.scenario_key) == [
        "first-worker", "burst:8", "burst:64", "burst:1024", "steady:100", "chain:4"]


@pytest.mark.parametrize("row,state", [
    ({"hang_rate": "0.2", "note": ""}, data.RAN),
    ({"hang_rate": "0.0", "note": "3 of 10 trials left out: the timed schedule sent no signal inside them"}, data.RAN),
    ({"hang_rate": "", "note": "not applicable: the kernel cannot inject eagain"}, data.NOT_RUN),
    ({"hang_rate": "", "note": "kernel anchor unavailable: no io_uring"}, data.NOT_RUN),
    ({"hang_rate": "", "note": ""}, data.NOT_RUN),
    ({"hang_rate": "", "note": "timed schedule sent no signal inside any of the 5 trials"}, data.SCHEDULE_IDLE),
    ({"hang_rate": "0.0", "note": "timed schedule delivered no signal in any trial"}, data.SCHEDULE_IDLE),
])
def test_what_a_row_measured(row, state):
    assert data.row_state(row) == state


def test_has_column():
    assert data.has_column([{"a": "1"}], "a") and not data.has_column([{"a": "1"}], "b")
    assert not data.has_column([], "a")


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


# ------------------------------------------------------------------------------------ the vocabulary

def test_the_vocabulary_orders_the_strategies(tmp_path):
    words = vocabulary(("kernel", "kernel"), ("retry-6.19", "lineage"), ("pre-patch", "classic"), ("naive", "classic"))
    folder = build(str(tmp_path / "run"), [config(s, "first-worker") for s in
                                           ("naive", "pre-patch", "someone-new", "kernel", "retry-6.19", "another")],
                   vocabulary=words)
    run = data.load_run(folder)
    assert run.strategies() == ["kernel", "retry-6.19", "pre-patch", "naive", "another", "someone-new"]
    assert run.unknown_strategies() == ["another", "someone-new"]
    assert run.vocabulary.family("retry-6.19") == "lineage" and run.vocabulary.family("another") is None
    assert run.vocabulary.names("classic") == ["pre-patch", "naive"]


def test_the_vocabulary_keeps_summaries_and_forms():
    words = Vocabulary.from_json(VOCABULARY, "meta.json")
    assert words.strategies[0] == data.Strategy("naive", "classic", "naive, made up")
    assert words.scenarios[1] == {"form": "burst:N", "summary": "..."}
    assert [s.family for s in words.strategies].count("lineage") == 5


@pytest.mark.parametrize("value,message", [
    ([], "not a JSON object"),
    ({"scenarios": []}, 'no "strategies" list'),
    ({"strategies": []}, 'no "strategies" list'),
    ({"strategies": [{"name": "naive", "family": "classic"}, {"name": "eager"}]},
     'strategies\\[1\\] needs a "name" and a "family"'),
    ({"strategies": [{"name": "naive", "family": "classic"}, {"name": "naive", "family": "peer"}]},
     "names strategy 'naive' twice"),
    ({"strategies": [{"name": "naive", "family": "classic"}], "signals": "none"}, '"signals" is not a list'),
])
def test_a_malformed_vocabulary_is_named(value, message):
    with pytest.raises(DataError, match="^meta.json: .*" + message):
        Vocabulary.from_json(value, "meta.json")


def test_a_malformed_meta_json(tmp_path):
    folder = tiny(str(tmp_path / "run"))
    with open(os.path.join(folder, "meta.json"), "w") as handle:
        handle.write("{not json")
    with pytest.raises(DataError, match="meta.json: not readable as JSON"):
        data.load_run(folder)


def test_find_bench_in_order(tmp_path):
    repo = tmp_path / "repo"
    nowhere = str(tmp_path / "no-bench")
    assert data.find_bench(str(repo), {}) == (None, ["$IOWQ_BENCH (not set)", str(repo / ".build/release/bench"),
                                                     str(repo / ".build/debug/bench")])
    assert data.find_bench(str(repo), {"IOWQ_BENCH": nowhere})[0] is None
    debug = fake_bench(str(repo / ".build/debug/bench"), VOCABULARY)
    assert data.find_bench(str(repo), {"IOWQ_BENCH": nowhere})[0] == debug
    release = fake_bench(str(repo / ".build/release/bench"), VOCABULARY)
    assert data.find_bench(str(repo), {})[0] == release
    chosen = fake_bench(str(tmp_path / "mine"), VOCABULARY)
    assert data.find_bench(str(repo), {"IOWQ_BENCH": chosen})[0] == chosen


def test_no_vocabulary_and_no_bench_is_one_clear_error(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker")], vocabulary=None)
    environ = {"IOWQ_BENCH": str(tmp_path / "no-bench")}
    with pytest.raises(DataError) as caught:
        data.load_run(folder, repo_root=str(tmp_path / "repo"), environ=environ)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f'{folder}/meta.json has no "vocabulary"')
    assert str(tmp_path / "no-bench") in message and str(tmp_path / "repo/.build/debug/bench") in message
    assert "swift build -c release --product bench" in message and "set IOWQ_BENCH" in message
    os.remove(os.path.join(folder, "meta.json"))
    with pytest.raises(DataError, match="meta.json: no such file, and no bench binary"):
        data.load_run(folder, repo_root=str(tmp_path / "repo"), environ=environ)


def test_no_vocabulary_asks_bench_list_json(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker"), config("kernel", "first-worker")],
                   vocabulary=None)
    bench = fake_bench(str(tmp_path / "repo/.build/release/bench"),
                       vocabulary(("kernel", "kernel"), ("naive", "classic")))
    run = data.load_run(folder, repo_root=str(tmp_path / "repo"), environ={})
    assert run.strategies() == ["kernel", "naive"]
    assert json.loads(open(bench + ".args").read()) == ["list", "--json"]


@pytest.mark.parametrize("stdout,stderr,status,message", [
    ("", "Error: Unknown option '--json'", 64, "failed \\(exit 64: Error: Unknown option '--json'\\); build bench"),
    ("Strategies (--strategy):", "", 0, "did not print JSON"),
    ('{"strategies": [{"name": "naive"}]}', "", 0, "list --json: vocabulary strategies\\[0\\] needs"),
])
def test_a_bench_that_cannot_tell_is_one_clear_error(tmp_path, stdout, stderr, status, message):
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker")], vocabulary=None)
    bench = fake_bench(str(tmp_path / "bench"), stdout=stdout, stderr=stderr, status=status)
    with pytest.raises(DataError, match=message) as caught:
        data.load_run(folder, repo_root=str(tmp_path / "repo"), environ={"IOWQ_BENCH": bench})
    assert "\n" not in str(caught.value)


# ----------------------------------------------------------------------------------------- calibration

@pytest.mark.parametrize("layout", ["file", "summary"])
def test_calibration_from_its_file_or_the_old_summary_rows(tmp_path, layout):
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker")], calibration=layout)
    run = data.load_run(folder)
    assert os.path.exists(os.path.join(folder, "calibration.csv")) == (layout == "file")
    assert run.calibration == {
        "futex-handoff": {"samples": "2000", "p50_us": "4.2", "p90_us": "5.0", "p99_us": "28.4", "max_us": "90.1"},
        "thread-create": {"samples": "500", "p50_us": "8.5", "p90_us": "12.0", "p99_us": "40.0", "max_us": "4993.0"},
    }
    assert run.calibration_p50("thread-create") == 8.5
    assert run.strategies() == ["naive"] and all(r["strategy"] == "naive" for r in run.summary)


def test_calibration_csv_wins_over_summary_rows(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker")], calibration="summary")
    write_calibration(folder, [dict(scenario="thread-create", items_submitted=9, latency_p50_us=77.0,
                                    latency_p90_us=80, latency_p99_us=90, latency_max_us=99)])
    run = data.load_run(folder)
    assert run.calibration_p50("thread-create") == 77.0
    assert run.calibration_p50("futex-handoff") is None


def test_no_calibration(tmp_path):
    run = data.load_run(build(str(tmp_path / "run"), [config("naive", "first-worker")], calibration=None))
    assert run.calibration == {} and run.calibration_p50("thread-create") is None


def test_calibration_is_never_a_strategy_even_when_named(tmp_path):
    words = vocabulary(("calibration", "classic"), ("naive", "classic"))
    run = data.load_run(build(str(tmp_path / "run"), [config("naive", "first-worker")], words, calibration="summary"))
    assert run.strategies() == ["naive"]


def test_calibration_csv_missing_columns(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker")], calibration=None)
    write_calibration(folder, columns=[c for c in CALIBRATION_COLUMNS if c != "p50_us"])
    with pytest.raises(DataError, match="calibration.csv: missing required columns: p50_us$"):
        data.load_run(folder)
