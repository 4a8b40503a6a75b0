"""iowq_plots.hang_vs_delivered_rate: stuck rate against the delivered signal rate."""

import matplotlib.pyplot as plt
import pytest

from iowq_plots import hang_vs_delivered_rate as figure
from iowq_plots.data import Skip, load_run

from .runs import args, build, config, draw_figure, is_png, not_run, rich, schedule_idle, tiny


def data(folder, **options):
    return figure.data(load_run(folder), args(**options))


def test_each_point_is_a_row_at_its_delivered_rate(tmp_path):
    folder = build(str(tmp_path / "run"), [
        config("pre-patch", "first-worker", "periodic:1000", delivered=640.5, rate=0.4, ok=0.6, hung=0.4),
        config("pre-patch", "first-worker", "periodic:100", delivered=71.25, rate=0.2, ok=0.8, hung=0.2),
        config("pre-patch", "first-worker", "poisson:1000", delivered=820.0, rate=0.6, ok=0.4, hung=0.6),
        config("naive", "first-worker", "periodic:1000", delivered=700.0),
    ])
    drawn = data(folder)
    assert list(drawn.panels) == ["first-worker"]
    series = {(s.strategy, s.kind): s for s in drawn.panels["first-worker"]}
    assert list(series) == [("naive", "periodic"), ("pre-patch", "periodic"), ("pre-patch", "poisson")]
    low, high = series[("pre-patch", "periodic")].points
    assert (low.x, high.x) == (71.25, 640.5)  # signals_delivered_per_s, rising, not the nominal 100 and 1000
    assert (low.signals, high.signals) == ("periodic:100", "periodic:1000")
    assert (low.y, high.y) == (0.2, 0.4)  # stuck_rate
    assert (low.low, low.high, high.low, high.high) == pytest.approx((0.0, 0.5, 0.1, 0.7))
    assert low.n == high.n == 2
    assert [(p.x, p.y) for p in series[("pre-patch", "poisson")].points] == [(820.0, 0.6)]
    assert [(p.x, p.y) for p in series[("naive", "periodic")].points] == [(700.0, 0.0)]
    assert not drawn.left_out


def test_rows_without_a_delivered_rate_are_left_out_and_counted(tmp_path):
    folder = build(str(tmp_path / "run"), [
        config("naive", "first-worker", "periodic:1000"),
        not_run("kernel", "first-worker", "periodic:1000", note="kernel anchor unavailable: made up"),
        schedule_idle("eager", "first-worker", "periodic:1000"),
        config("pre-patch", "first-worker", "periodic:1000", delivered=0.0),
        config("pre-patch", "first-worker", "periodic:10", note="timed schedule delivered no signal in any trial"),
        config("naive", "first-worker", "periodic:1000", faults="eagain:0.1"),  # faults: not this figure's
        config("naive", "first-worker", "storm"),  # no rate: not this figure's
    ])
    drawn = data(folder)
    assert [s.strategy for s in drawn.panels["first-worker"]] == ["naive"]
    assert drawn.left_out == {figure.DID_NOT_RUN: 1, figure.NO_SIGNAL: 3}


def test_the_figure_says_what_it_left_out(tmp_path, monkeypatch):
    figures = []
    monkeypatch.setattr(figure, "save", lambda fig, path: figures.append(fig))
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker", "periodic:1000"),
                                           not_run("kernel", "first-worker", "periodic:1000")])
    draw_figure(figure, folder, tmp_path)
    caption = figures[0].get_supxlabel().replace("\n", " ")
    assert "Not drawn: 1 row that did not run." in caption
    legend = [t.get_text() for t in figures[0].legends[0].get_texts()]
    assert legend == ["naive (n=2)"]
    plt.close(figures[0])


def test_one_panel_per_scenario_in_the_vocabulary_order(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "steady:100", "poisson:50"),
                                           config("naive", "burst:4", "periodic:100"),
                                           config("naive", "first-worker", "periodic:100"),
                                           config("naive", "burst:64", "none")])
    assert list(data(folder).panels) == ["first-worker", "burst:4", "steady:100"]
    assert list(data(folder, hang_scenario="burst:4").panels) == ["burst:4"]


def test_draws_rich_runs(tmp_path):
    assert is_png(draw_figure(figure, rich(str(tmp_path / "run")), tmp_path))
    assert is_png(draw_figure(figure, tiny(str(tmp_path / "tiny")), tmp_path))


@pytest.mark.parametrize("configs,options,message", [
    ([config("naive", "first-worker", "storm")], {}, "no periodic:RATE or poisson:RATE rows with faults none"),
    ([config("naive", "first-worker", "periodic:100")], {"hang_scenario": "chain:9"}, "--hang-scenario"),
    ([config("naive", "first-worker", "periodic:100"), config("naive", "burst:4")], {"hang_scenario": "burst:4"},
     "rows with faults none in scenario burst:4"),
    ([schedule_idle("naive", "first-worker", "periodic:100")], {}, "no timed row delivered a signal"),
])
def test_nothing_to_draw_is_a_skip(tmp_path, configs, options, message):
    with pytest.raises(Skip, match=message):
        data(build(str(tmp_path / "run"), configs), **options)


def test_a_run_without_the_delivered_rate_is_a_skip(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker", "periodic:100")], old=True)
    with pytest.raises(Skip, match="summary.csv has no stuck_rate column"):
        data(folder)
