"""iowq_plots.fidelity: the model against the live kernel, from fidelity.csv."""

import math
import os

import matplotlib.pyplot as plt
import pytest

from iowq_plots import fidelity as figure
from iowq_plots import render
from iowq_plots.data import Skip, load_run

from .runs import args, build, config, draw_figure, fidelity, fidelity_row, is_png, tiny, write_fidelity

CHAIN, BURST = "chain:16", "burst:64"


def data(folder):
    return figure.data(load_run(folder), args())


def marks(column):
    """(side, half) -> its mark."""
    return {(m.side, m.half): m for m in column.marks}


def drawn_figure(folder, tmp_path, monkeypatch):
    figures = []
    monkeypatch.setattr(figure, "save", lambda fig, path: figures.append(fig))
    draw_figure(figure, folder, tmp_path)
    return figures[0]


def test_each_side_is_drawn_at_its_rate_and_interval(tmp_path):
    folder = fidelity(str(tmp_path / "run"), [
        fidelity_row(CHAIN, "periodic:100000", kernel=(6, 1.0, 0.6097, 1.0), model=(6, 0.1667, 0.0301, 0.5635),
                     next=(5, 0.2, 0.0362, 0.6245), verdict="disagree", reason="stuck 0.17 against 1.00"),
        fidelity_row(CHAIN, "periodic:100000", "yes", kernel=(3, 1.0, 0.4385, 1.0), model=(6, 0.9, 0.8, 1.0)),
        fidelity_row(CHAIN, "periodic:100000", "no", kernel=(2, 0.5, 0.0945, 0.9055)),
        fidelity_row(CHAIN, "periodic:1000", kernel=(5, 0.0, 0.0, 0.4345)),
        fidelity_row(BURST, "poisson:10000"),
    ])
    drawn = data(folder)
    assert list(drawn.panels) == [CHAIN, BURST]  # the CSV's order, not the vocabulary's
    assert [c.signals for c in drawn.panels[CHAIN]] == ["periodic:100000", "periodic:1000"]
    hung = marks(drawn.panels[CHAIN][0])
    assert list(hung) == [("kernel", "all"), ("model", "all"), ("next", "all"), ("kernel", "yes"), ("kernel", "no")]
    assert hung[("kernel", "all")] == figure.Mark("kernel", "all", "kernel", 1.0, 0.6097, 1.0, 6)
    assert hung[("model", "all")] == figure.Mark("model", "all", "retry-6.14", 0.1667, 0.0301, 0.5635, 6)
    assert hung[("next", "all")] == figure.Mark("next", "all", "retry-6.19", 0.2, 0.0362, 0.6245, 5)
    assert hung[("kernel", "yes")] == figure.Mark("kernel", "yes", "kernel", 1.0, 0.4385, 1.0, 3)
    assert hung[("kernel", "no")] == figure.Mark("kernel", "no", "kernel", 0.5, 0.0945, 0.9055, 2)
    # The presets repeat on the halves' rows: drawn once, from the row of all trials (not its 0.9).
    assert [m.rate for m in drawn.panels[CHAIN][0].marks if m.side == "model"] == [0.1667]
    assert drawn.not_measured == 0 and drawn.kernel_release == ""


def test_the_figure_draws_what_data_returns(tmp_path, monkeypatch):
    folder = fidelity(str(tmp_path / "run"))
    drawn = data(folder)
    fig = drawn_figure(folder, tmp_path, monkeypatch)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == [f"scenario {s}" for s in drawn.panels]
    for ax, columns in zip(axes, drawn.panels.values()):
        assert [t.get_text() for t in ax.get_xticklabels()] == ["1k", "100k", "Poisson 10k"]
        points = sorted((round(c.lines[0].get_xdata()[0], 6), c.lines[0].get_ydata()[0]) for c in ax.containers)
        expected = sorted((round(i + figure.OFFSETS[(m.side, m.half)], 6), m.rate)
                          for i, column in enumerate(columns) for m in column.marks)
        assert points == expected
        bars = [c for c in ax.containers if c.has_yerr]
        assert len(bars) == sum(m.half == "all" for column in columns for m in column.marks)  # halves: no bars
        for c in bars:
            (segment,) = c.lines[2][0].get_segments()
            x, y = c.lines[0].get_xdata()[0], c.lines[0].get_ydata()[0]
            m = next(m for i, column in enumerate(columns) for m in column.marks
                     if math.isclose(i + figure.OFFSETS[(m.side, m.half)], x))
            assert (segment[0][1], segment[1][1]) == pytest.approx((m.low, m.high)) and y == m.rate
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["kernel: the running kernel, all trials (n=6)", "retry-6.14: model of the running kernel (n=6)",
                      "retry-6.19: next preset (the fix the kernel lacks) (n=6)",
                      "kernel: handler with SA_RESTART (n=3)", "kernel: handler without SA_RESTART (n=3)"]
    plt.close(fig)


def test_empty_cells_are_not_drawn(tmp_path, monkeypatch):
    folder = fidelity(str(tmp_path / "run"), [
        fidelity_row(CHAIN, "periodic:1000", kernel=(6, "", "", ""), next=None, verdict=""),
        fidelity_row(CHAIN, "periodic:1000", "yes", kernel=(3, 0.3333, "", "")),
        fidelity_row(CHAIN, "periodic:1000", "no", kernel=("", "", "", "")),
        fidelity_row(CHAIN, "periodic:10000", model=("", "", "", ""), next=(6, 0.5, 0.2, 0.8)),
    ])
    drawn = data(folder)
    sparse, other = drawn.panels[CHAIN]
    # Only the model and the SA_RESTART half were measured; the half's empty interval is no bar.
    assert list(marks(sparse)) == [("model", "all"), ("kernel", "yes")]
    half = marks(sparse)[("kernel", "yes")]
    assert (half.rate, half.low, half.high, half.n) == (0.3333, 0.3333, 0.3333, 3)
    assert list(marks(other)) == [("kernel", "all"), ("next", "all")]
    assert drawn.not_measured == 4  # 1k: the kernel (all, no) and next; 10k: the model
    fig = drawn_figure(folder, tmp_path, monkeypatch)
    (ax,) = [ax for ax in fig.axes if ax.get_visible()]
    ys = sorted(c.lines[0].get_ydata()[0] for c in ax.containers)
    assert ys == [0.0, 0.0, 0.3333, 0.5]  # model and kernel of 10k at 0; nothing drawn for the empty cells
    assert "Not drawn: 4 cells not measured (empty in fidelity.csv)." in fig.get_supxlabel().replace("\n", " ")
    plt.close(fig)


def test_the_verdict_under_each_schedule_is_the_csvs(tmp_path, monkeypatch):
    folder = fidelity(str(tmp_path / "run"), [
        fidelity_row(CHAIN, "periodic:1000", verdict="agree"),
        fidelity_row(CHAIN, "periodic:100000", verdict="disagree", reason="outcomes ok>hung against hung"),
        fidelity_row(CHAIN, "periodic:100000", "yes", verdict="agree"),  # a half's verdict is not the schedule's
        fidelity_row(CHAIN, "poisson:10000", verdict=""),
        fidelity_row(BURST, "periodic:10000", verdict="disagree", reason="stuck 0.50 against 0.00"),
    ])
    drawn = data(folder)
    assert [(c.label, c.verdict, c.reason) for c in drawn.panels[CHAIN]] == [
        ("1k", "agree", ""), ("100k", "disagree", "outcomes ok>hung against hung"), ("Poisson 10k", "", "")]
    assert [(c.label, c.verdict) for c in drawn.panels[BURST]] == [("10k", "disagree")]
    fig = drawn_figure(folder, tmp_path, monkeypatch)
    chain, burst = [ax for ax in fig.axes if ax.get_visible()]
    texts = [(t.get_text(), t.get_color()) for t in chain.texts]
    assert texts == [("agree", figure.VERDICT_COLORS["agree"]), ("disagree", figure.VERDICT_COLORS["disagree"]),
                     ("not compared", figure.OTHER_VERDICT_COLOR)]
    assert [t.get_text() for t in burst.texts] == ["disagree"]
    assert [t.xy[0] for t in chain.texts] == [0, 1, 2]  # under its schedule's tick
    caption = fig.get_supxlabel().replace("\n", " ")
    assert ("Disagreements: chain:16 100k: outcomes ok>hung against hung; burst:64 10k: stuck 0.50 against 0.00."
            in caption)
    plt.close(fig)


@pytest.mark.parametrize("signals,label", [("periodic:1000", "1k"), ("periodic:10000", "10k"),
                                           ("periodic:100000", "100k"), ("poisson:10000", "Poisson 10k"),
                                           ("periodic:500", "500"), ("periodic:2500", "2.5k"),
                                           ("periodic:1000000", "1M"), ("storm", "storm")])
def test_schedule_labels(signals, label):
    assert figure.schedule_label(signals) == label


def test_a_run_without_fidelity_csv_skips_the_figure(tmp_path, capsys):
    folder = tiny(str(tmp_path / "run"))
    with pytest.raises(Skip, match="no fidelity.csv"):
        data(folder)
    os.makedirs(os.path.join(folder, "plots"))
    stale = os.path.join(folder, "plots", figure.FILENAME)
    open(stale, "wb").write(b"old")
    written, broken = render.render(load_run(folder), args())
    assert broken == 0 and stale not in written and not os.path.exists(stale)
    assert "skipped fidelity.png: no fidelity.csv" in capsys.readouterr().out


def test_a_fidelity_csv_with_nothing_measured_is_a_skip(tmp_path):
    folder = fidelity(str(tmp_path / "run"), [fidelity_row(CHAIN, "periodic:1000", kernel=None, model=None,
                                                           next=None, verdict="")])
    with pytest.raises(Skip, match="no measured stuck rate"):
        data(folder)
    with pytest.raises(Skip, match="has no rows"):
        data(write_fidelity(folder, []))


def test_presets_absent_from_summary_csv_still_get_a_style(tmp_path):
    folder = build(str(tmp_path / "run"), [config("kernel", CHAIN, "periodic:1000")])
    write_fidelity(folder, [fidelity_row(CHAIN, "periodic:1000")])
    assert is_png(draw_figure(figure, folder, tmp_path))


def test_draws_a_fidelity_run_and_writes_it_with_the_others(tmp_path):
    folder = fidelity(str(tmp_path / "run"))
    assert is_png(draw_figure(figure, folder, tmp_path))
    written, broken = render.render(load_run(folder), args())
    assert broken == 0 and os.path.join(folder, "plots", figure.FILENAME) in written
