"""iowq_plots.latency_ecdf: empirical latency CDFs from histograms/*.hgrm."""

import os

import matplotlib.pyplot as plt
import pytest

from iowq_plots import latency_ecdf as figure
from iowq_plots.data import Skip, load_run

from .runs import args, build, config, draw_figure, is_png, not_run, rich, tiny


def data(folder, **options):
    return figure.data(load_run(folder), args(**options))


def test_each_curve_is_its_histogram_ending_at_the_max(tmp_path):
    naive, trials = config("naive", "steady:2000", n=40)
    folder = build(str(tmp_path / "run"), [(naive, trials), config("pre-patch", "steady:2000", n=40, scale=3)])
    drawn = data(folder)
    assert (drawn.scenario, drawn.signals, drawn.faults) == ("steady:2000", "none", "none")
    assert list(drawn.ecdfs) == ["naive", "pre-patch"]
    ecdf = drawn.ecdfs["naive"]
    latencies = sorted(naive["_latencies"])
    assert ecdf.n == len(latencies) == 40
    assert list(ecdf.values) == sorted(set(latencies))
    assert list(ecdf.counts) == [sum(1 for v in latencies if v <= x) for x in ecdf.values]
    assert (ecdf.values[-1], ecdf.fractions[-1]) == (max(latencies), 1.0)
    xs, fs = figure.curve(ecdf)
    assert (xs[0], fs[0]) == (min(latencies), 0.0) and (xs[-1], fs[-1]) == (max(latencies), 1.0)


@pytest.mark.parametrize("scenarios,chosen", [
    (["first-worker", "burst:64", "steady:500", "steady:2000"], "steady:500"),
    (["first-worker", "burst:8", "burst:64"], "burst:8"),
    (["chain:4", "first-worker"], "first-worker"),
])
def test_the_default_configuration(tmp_path, scenarios, chosen):
    configs = [config("naive", s) for s in scenarios] + [config("naive", "steady:9", "storm")]
    assert data(build(str(tmp_path / "run"), configs)).scenario == chosen


def test_options_pick_the_configuration(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "chain:4"),
                                           config("naive", "chain:4", "storm", "eagain:0.1"),
                                           config("eager", "chain:4", "storm", "eagain:0.1", scale=2)])
    drawn = data(folder, scenario="chain:4", latency_signals="storm", latency_faults="eagain:0.1")
    assert (drawn.signals, drawn.faults, list(drawn.ecdfs)) == ("storm", "eagain:0.1", ["naive", "eager"])
    with pytest.raises(Skip, match=r"chain:4 has no rows with signals one-shot .*present: none/none, storm/eagain:0.1"):
        data(folder, scenario="chain:4", latency_signals="one-shot")


def test_strategies_without_a_histogram_say_why(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "burst:4"), config("pre-patch", "burst:4", ok=0, hung=1),
                                           not_run("kernel", "burst:4")])
    drawn = data(folder)
    assert list(drawn.ecdfs) == ["naive"]
    assert drawn.without == {"pre-patch": "no ok item", "kernel": "did not run"}


def test_the_legend_gives_n(tmp_path, monkeypatch):
    figures = []
    monkeypatch.setattr(figure, "save", lambda fig, path: figures.append(fig))
    draw_figure(figure, build(str(tmp_path / "run"), [config("naive", "burst:64", n=64),
                                                      config("eager", "burst:64", n=32, ok=0.5, failed=0.5)]),
                tmp_path)
    assert [t.get_text() for t in figures[0].legends[0].get_texts()] == ["naive (n=64)", "eager (n=16)"]
    plt.close(figures[0])


def test_draws_runs(tmp_path):
    assert is_png(draw_figure(figure, tiny(str(tmp_path / "tiny")), tmp_path))
    assert is_png(draw_figure(figure, rich(str(tmp_path / "rich")), tmp_path, scenario="first-worker"))


def test_no_histograms_is_a_skip(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "burst:4")], old=True)
    assert not os.path.exists(os.path.join(folder, "histograms"))
    with pytest.raises(Skip, match=r"no histograms/\*.hgrm for burst:4.*naive: no histogram"):
        data(folder)


@pytest.mark.parametrize("options,message", [
    ({}, "no steady:\\*, burst:\\* or first-worker rows with signals none"),
    ({"scenario": "chain:99"}, "'chain:99' \\(--scenario\\)"),
])
def test_nothing_to_draw_is_a_skip(tmp_path, options, message):
    folder = build(str(tmp_path / "run"), [config("naive", "chain:4")])
    with pytest.raises(Skip, match=message):
        data(folder, **options)
