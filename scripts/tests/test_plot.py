"""The command line, scripts/plot.py, on small made-up results folders: pytest scripts/tests"""

import os

import pytest

import plot

from .runs import (CALIBRATION, PNGS, SUMMARY_COLUMNS, TRIAL_COLUMNS, assert_pngs, build, config, fake_bench, fidelity,
                   rich, run, tiny, vocabulary, write, write_calibration)


def test_tiny_folder_writes_every_figure(tmp_path):
    folder = tiny(str(tmp_path / "run"))
    result = run(folder)
    assert result.returncode == 0, result.stderr
    assert_pngs(folder)
    for name in PNGS:
        assert os.path.join(folder, "plots", name) in result.stdout


def test_rich_folder_with_rates_lineage_and_kernel(tmp_path):
    folder = rich(str(tmp_path / "run"))
    result = run(folder, "--scenario", "first-worker", "--outcomes-scenario", "first-worker")
    assert result.returncode == 0, result.stderr
    assert_pngs(folder)


def test_a_fidelity_run_writes_fidelity_png(tmp_path):
    folder = fidelity(str(tmp_path / "run"))
    result = run(folder)
    assert result.returncode == 0, result.stderr
    assert_pngs(folder, ["fidelity.png", "hang_vs_delivered_rate.png", "outcomes_heatmap.png"])


def test_help_lists_every_figure():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for name in PNGS + ["fidelity.png"]:
        assert name in result.stdout


def test_absent_data_skips_figures_without_crashing(tmp_path):
    # Only calibration and one hashed row: no timed schedule, no burst, no steady, no first-worker.
    folder = build(str(tmp_path / "run"), [config("eager", "hashed:4")])
    os.makedirs(os.path.join(folder, "plots"))
    stale = os.path.join(folder, "plots", "throughput_vs_burst.png")
    open(stale, "wb").write(b"old")
    result = run(folder)
    assert result.returncode == 0, result.stderr
    for name in ("hang_vs_delivered_rate.png", "latency_ecdf.png", "throughput_vs_burst.png", "first_worker.png",
                 "fidelity.png"):
        assert f"skipped {name}" in result.stdout
    assert not os.path.exists(stale)
    assert_pngs(folder, ["outcomes_heatmap.png"])


def test_a_run_before_the_new_columns_skips_what_it_lacks(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker", "periodic:100"),
                                           config("naive", "burst:4")], old=True)
    result = run(folder)
    assert result.returncode == 0, result.stderr
    assert "skipped hang_vs_delivered_rate.png: summary.csv has no stuck_rate column" in result.stdout
    assert "skipped latency_ecdf.png: no histograms/*.hgrm" in result.stdout
    assert "skipped first_worker.png: trials.csv has no first_worker_us column" in result.stdout
    assert_pngs(folder, ["outcomes_heatmap.png", "throughput_vs_burst.png"])


def test_unknown_scenario_option_is_a_skip(tmp_path):
    folder = tiny(str(tmp_path / "run"))
    result = run(folder, "--scenario", "chain:99")
    assert result.returncode == 0, result.stderr
    assert "skipped latency_ecdf.png" in result.stdout and "chain:99" in result.stdout


def test_missing_folder(tmp_path):
    result = run(str(tmp_path / "nowhere"))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no such directory" in lines[0]


def test_missing_csv(tmp_path):
    folder = tiny(str(tmp_path / "run"))
    os.remove(os.path.join(folder, "trials.csv"))
    result = run(folder)
    assert result.returncode != 0
    assert "trials.csv" in result.stderr and "no such file" in result.stderr
    assert not os.path.exists(os.path.join(folder, "plots"))


@pytest.mark.parametrize("file,drop", [("summary.csv", ["hang_rate_ci_low", "latency_p999_us"]),
                                       ("trials.csv", ["throughput_items_per_s"])])
def test_missing_columns_are_named(tmp_path, file, drop):
    folder = str(tmp_path / "run")
    summary_columns = [c for c in SUMMARY_COLUMNS if not (file == "summary.csv" and c in drop)]
    trial_columns = [c for c in TRIAL_COLUMNS if not (file == "trials.csv" and c in drop)]
    s, t = config("naive", "first-worker")
    write(folder, CALIBRATION + [s], t, summary_columns, trial_columns)
    result = run(folder)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert file in lines[0] and "missing required columns" in lines[0]
    for column in drop:
        assert column in lines[0]


def test_no_vocabulary_and_no_bench(tmp_path, monkeypatch, capsys):
    # In-process, so that the repo's own .build/*/bench (CI builds one) is not found.
    folder = build(str(tmp_path / "old"), [config("naive", "first-worker")], vocabulary=None)
    monkeypatch.setenv("IOWQ_BENCH", str(tmp_path / "no-bench"))
    assert plot.main([folder], repo_root=str(tmp_path / "repo")) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("plot.py: error: ") and 'meta.json has no "vocabulary"' in lines[0]
    assert "swift build -c release --product bench" in lines[0] and "IOWQ_BENCH" in lines[0]
    assert not os.path.exists(os.path.join(folder, "plots"))


def test_no_vocabulary_asks_the_bench_of_iowq_bench(tmp_path):
    folder = build(str(tmp_path / "old"), [config("naive", "first-worker"), config("pre-patch", "burst:4")],
                   vocabulary=None)
    bench = fake_bench(str(tmp_path / "bench"), vocabulary(("pre-patch", "classic"), ("naive", "classic")))
    result = run(folder, IOWQ_BENCH=bench)
    assert result.returncode == 0, result.stderr
    assert_pngs(folder, ["latency_ecdf.png", "outcomes_heatmap.png", "first_worker.png"])


def test_an_older_run_with_calibration_in_summary_csv(tmp_path):
    folder = build(str(tmp_path / "old"), [config("naive", "first-worker"), config("naive", "burst:4"),
                                           config("naive", "steady:100"), config("naive", "burst:4", "periodic:100")],
                   calibration="summary")
    result = run(folder)
    assert result.returncode == 0, result.stderr
    assert_pngs(folder)


def test_calibration_csv_missing_columns_is_one_line(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker")], calibration=None)
    write_calibration(folder, columns=["calibration", "samples", "p50_us"])
    result = run(folder)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "calibration.csv: missing required columns: p90_us, p99_us, max_us" in lines[0]
