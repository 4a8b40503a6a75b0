"""iowq_plots.render: every figure into plots/, skips and failures reported per figure."""

import csv
import os
import shutil

from iowq_plots import data, hang_vs_delivered_rate, render
from iowq_plots.data import load_run

from .runs import PNGS, args, assert_pngs, build, config, tiny


def test_every_figure_in_order(tmp_path):
    folder = tiny(str(tmp_path / "run"))
    written, broken = render.render(load_run(folder), args())
    assert broken == 0
    assert written == [os.path.join(folder, "plots", name) for name in PNGS]
    assert_pngs(folder)


def test_a_skipped_figure_removes_its_stale_file(tmp_path, capsys):
    folder = build(str(tmp_path / "run"), [config("eager", "hashed:4")])
    os.makedirs(os.path.join(folder, "plots"))
    stale = os.path.join(folder, "plots", "throughput_vs_burst.png")
    open(stale, "wb").write(b"old")
    written, broken = render.render(load_run(folder), args())
    assert broken == 0 and len(written) == 1 and not os.path.exists(stale)
    assert "skipped throughput_vs_burst.png: no burst:N rows" in capsys.readouterr().out


def test_a_broken_figure_spares_the_others(tmp_path, capsys, monkeypatch):
    def broken_plot(*_):
        raise ZeroDivisionError("made up")

    monkeypatch.setattr(hang_vs_delivered_rate, "plot", broken_plot)
    folder = tiny(str(tmp_path / "run"))
    written, broken = render.render(load_run(folder), args())
    assert broken == 1 and len(written) == 4
    assert "hang_vs_delivered_rate.png failed: ZeroDivisionError: made up" in capsys.readouterr().err


def test_strategies_the_vocabulary_does_not_name_are_noted(tmp_path, capsys):
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker"), config("someone-new", "first-worker")])
    written, broken = render.render(load_run(folder), args())
    assert broken == 0
    assert "note: not in the run's vocabulary, drawn last: someone-new" in capsys.readouterr().out


def as_merged(folder, hosts):
    """Rewrite a made-up run as bench merge writes several hosts: every row once per host, with
    kernel_release and emulated, histograms in a folder per host, calibration rows per host."""
    def rewrite(name):
        path = os.path.join(folder, name)
        with open(path) as handle:
            rows = list(csv.DictReader(handle))
        columns = list(rows[0].keys()) + ["kernel_release", "emulated"]
        with open(path, "w", newline="") as handle:
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            for release, emulated in hosts:
                for row in rows:
                    writer.writerow(dict(row, kernel_release=release, emulated="1" if emulated else "0"))
    for name in ("summary.csv", "trials.csv", "calibration.csv"):
        rewrite(name)
    histograms = os.path.join(folder, "histograms")
    files = os.listdir(histograms)
    for host in hosts:
        os.makedirs(os.path.join(histograms, data.host_folder(host)))
        for name in files:
            shutil.copy(os.path.join(histograms, name), os.path.join(histograms, data.host_folder(host), name))
    for name in files:
        os.remove(os.path.join(histograms, name))
    return folder


def test_a_run_of_several_kernels_gets_a_set_of_figures_per_kernel(tmp_path, capsys):
    hosts = [("6.1.0-56-amd64", True), ("6.18.44+x", False)]
    folder = as_merged(tiny(str(tmp_path / "run")), hosts)
    run = load_run(folder)
    parts = data.split_by_host(run)
    assert [label for label, _ in parts] == ["6.1.0-56-amd64 (emulated)", "6.18.44+x"]
    for (_, part), host in zip(parts, hosts):
        assert len(part.summary) * 2 == len(run.summary)
        assert {data.host_of(r) for r in part.summary + part.trials} == {host}
    written, broken = render.render(run, args())
    assert broken == 0
    assert written == [os.path.join(folder, "plots", folder_name, name)
                       for folder_name in ("6.1.0-56-amd64-emulated", "6.18.44-x") for name in PNGS]
    # the latency figure found each host's histograms in its own folder
    assert "skipped latency_ecdf" not in capsys.readouterr().out


def test_a_run_of_one_kernel_is_drawn_as_it_is(tmp_path):
    run = load_run(tiny(str(tmp_path / "run")))
    assert data.split_by_host(run) == [("", run)]
    merged_of_one = load_run(as_merged(tiny(str(tmp_path / "one")), [("6.18.44", False)]))
    assert [label for label, _ in data.split_by_host(merged_of_one)] == [""]
