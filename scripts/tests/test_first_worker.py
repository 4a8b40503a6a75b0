"""iowq_plots.first_worker: every trial's first-worker time, beside the calibrated pthread_create."""

import matplotlib.pyplot as plt
import pytest

from iowq_plots import first_worker as figure
from iowq_plots.data import Skip, load_run

from .runs import args, build, config, draw_figure, is_png, rich, schedule_idle, tiny


def data(folder):
    return figure.data(load_run(folder), args())


def test_each_strategy_has_its_trials_times_empties_dropped(tmp_path):
    naive, naive_trials = config("naive", "first-worker", first_worker=(31.5, 412.25))
    folder = build(str(tmp_path / "run"), [
        (naive, naive_trials),
        config("kernel", "first-worker", first_worker=None),
        config("pre-patch", "first-worker", first_worker=("", 290.0)),
        config("naive", "first-worker", faults="eagain:0.1", first_worker=(1.0, 2.0)),  # faults: not shown
        config("naive", "burst:4", first_worker=(3.0, 4.0)),  # another scenario
    ])
    drawn = data(folder)
    assert drawn.panels == {"none": {"naive": [31.5, 412.25], "pre-patch": [290.0], "kernel": []}}
    assert [float(t["first_worker_us"]) for t in naive_trials] == drawn.panels["none"]["naive"]
    assert drawn.create_p50 == 8.5 and drawn.idle_trials == 0 and drawn.without_times == []


def test_trials_whose_schedule_did_not_act_are_left_out(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker", "periodic:100", first_worker=(40.0, 50.0)),
                                           schedule_idle("eager", "first-worker", "periodic:100")])
    drawn = data(folder)
    assert drawn.panels == {"periodic:100": {"naive": [40.0, 50.0], "eager": []}}
    assert drawn.idle_trials == 2


def test_schedules_with_no_time_have_no_panel(tmp_path, capsys):
    configs = [config("pre-patch", "first-worker", "storm", ok=0, hung=1, first_worker=None)]
    configs += [config("naive", "first-worker", s) for s in ("none", "one-shot", "periodic:10", "poisson:10",
                                                             "periodic:100")]
    drawn = data(build(str(tmp_path / "run"), configs))
    assert drawn.without_times == ["storm"]
    assert list(drawn.panels) == ["none", "one-shot", "periodic:10", "periodic:100"]
    assert "first_worker.png shows 4 of 5 signal schedules" in capsys.readouterr().out


def test_both_modes_and_the_reference_are_in_view(tmp_path, monkeypatch):
    figures = []
    monkeypatch.setattr(figure, "save", lambda fig, path: figures.append(fig))
    draw_figure(figure, build(str(tmp_path / "run"), [config("naive", "first-worker", first_worker=(27.0, 455.0))]),
                tmp_path)
    ax = figures[0].axes[0]
    low, high = ax.get_ylim()
    assert low < 8.5 and high > 455.0 and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["naive\nn=2"]
    plt.close(figures[0])


def test_draws_runs_with_and_without_calibration(tmp_path):
    assert is_png(draw_figure(figure, tiny(str(tmp_path / "tiny")), tmp_path))
    assert is_png(draw_figure(figure, rich(str(tmp_path / "rich")), tmp_path))
    folder = build(str(tmp_path / "bare"), [config("naive", "first-worker")], calibration=None)
    assert data(folder).create_p50 is None
    assert is_png(draw_figure(figure, folder, tmp_path))


@pytest.mark.parametrize("configs,old,message", [
    ([config("naive", "burst:4")], False, "no first-worker trials with faults none"),
    ([config("pre-patch", "first-worker", "storm", ok=0, hung=1, first_worker=None)], False,
     "no first-worker trial has a first_worker_us"),
    ([config("naive", "first-worker")], True, "trials.csv has no first_worker_us column"),
])
def test_nothing_to_draw_is_a_skip(tmp_path, configs, old, message):
    with pytest.raises(Skip, match=message):
        data(build(str(tmp_path / "run"), configs, old=old))
