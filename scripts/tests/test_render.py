"""iowq_plots.render: every figure into plots/, skips and failures reported per figure."""

import os

from iowq_plots import hang_vs_delivered_rate, render
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
