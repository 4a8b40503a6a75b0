"""iowq_plots.outcomes_heatmap: strategies x configurations, coloured by the stuck rate."""

import math

import matplotlib.pyplot as plt
import pytest

from iowq_plots import outcomes_heatmap as figure
from iowq_plots.data import NOT_RUN, RAN, SCHEDULE_IDLE, Skip, load_run

from .runs import args, build, config, draw_figure, is_png, not_run, rich, schedule_idle, vocabulary

FW = ("first-worker", "none", "none")


def data(folder, **options):
    return figure.data(load_run(folder), args(**options))


def test_a_stuck_cell_is_coloured_by_its_stuck_rate_and_says_why(tmp_path):
    row, trials = config("pre-patch", "first-worker", ok=0.7, hung=0.3, rate=0.5, kind="no-worker")
    heatmap = data(build(str(tmp_path / "run"), [(row, trials), config("naive", "first-worker")]))
    cell = heatmap.cells[("pre-patch", FW)]
    assert cell.state == RAN and cell.value == row["stuck_rate"] == 0.5
    assert cell.text == "ok .7\nhung .3\nno-wkr 1/2"
    assert heatmap.cells[("naive", FW)] == figure.Cell(RAN, 0.0, "ok 1")
    assert heatmap.rate_column == "stuck_rate"


def test_a_row_whose_items_crashed_or_failed_is_as_red_as_one_that_hung(tmp_path):
    crashed, crashed_trials = config("nio-threadpool", "first-worker", ok=0.0, rate=0.0)
    crashed.update(items_ok=0, items_crashed=crashed["items_submitted"])
    failed, failed_trials = config("naive", "first-worker", ok=0.0, failed=1.0, rate=0.0)
    exit_hung, exit_trials = config("retry-via-workqueue", "first-worker", rate=1.0)
    heatmap = data(build(str(tmp_path / "run"), [(crashed, crashed_trials), (failed, failed_trials), (exit_hung, exit_trials)]))
    assert heatmap.cells[("nio-threadpool", FW)].value == 1.0, "every item crashed: not a healthy 0"
    assert heatmap.cells[("naive", FW)].value == 1.0
    assert heatmap.cells[("retry-via-workqueue", FW)].value == 1.0, "every item ok, every exit hung"


def test_rows_that_did_not_run_or_whose_schedule_never_acted_are_grey(tmp_path):
    heatmap = data(build(str(tmp_path / "run"), [
        config("naive", "first-worker", "periodic:100"),
        not_run("kernel", "first-worker", "periodic:100", note="kernel anchor unavailable: no io_uring"),
        schedule_idle("eager", "first-worker", "periodic:100"),
    ]))
    column = ("first-worker", "periodic:100", "none")
    kernel, eager = heatmap.cells[("kernel", column)], heatmap.cells[("eager", column)]
    assert (kernel.state, kernel.text) == (NOT_RUN, "n/a") and math.isnan(kernel.value)
    assert (eager.state, eager.text) == (SCHEDULE_IDLE, "no signal\nsent") and math.isnan(eager.value)


@pytest.mark.parametrize("outcomes,text", [
    (dict(ok=0, cancelled=1), "cancel 1"),
    (dict(ok=0.5, failed=0.3, cancelled=0.2), "ok .5\nfail .3 +"),
    (dict(ok=0.999, failed=0.001, n=1000), "ok 1\nfail <.01"),
])
def test_cell_text_gives_the_largest_shares(tmp_path, outcomes, text):
    row, _ = config("naive", "first-worker", **outcomes)
    assert figure.cell_text(row) == text


def test_crashed_items_and_the_peer_hang_kinds_are_named(tmp_path):
    row, _ = config("nio-threadpool", "first-worker", ok=0.0, rate=0.0)
    row.update(items_ok=0, items_crashed=10)
    assert figure.cell_text(row) == "crash 1"
    row, _ = config("dispatch", "first-worker", ok=0.0, hung=1.0, kind="creation-retrying")
    row["hangs_creation_retrying"] = 2
    assert figure.cell_text(row) == "hung 1\ncr-retry 2/2"


def test_an_exit_hang_without_kinds_is_named(tmp_path):
    row, _ = config("retry-via-workqueue", "exit-under-fire", rate=0.0)
    row.update(exit_hangs=2, stuck_rate="")
    assert figure.cell_text(row) == "ok 1\nexit-hung 2/2"


def test_columns_scenario_major_in_the_vocabulary_order(tmp_path):
    heatmap = data(build(str(tmp_path / "run"), [
        config("naive", "steady:100", "storm"), config("naive", "burst:64"), config("naive", "burst:8", "poisson:10"),
        config("naive", "first-worker", "periodic:100", "eagain:0.1"), config("naive", "first-worker", "storm"),
        config("naive", "first-worker"), config("naive", "burst:8"),
    ]))
    assert heatmap.panels == [[FW, ("first-worker", "storm", "none"), ("first-worker", "periodic:100", "eagain:0.1"),
                               ("burst:8", "none", "none"), ("burst:8", "poisson:10", "none"),
                               ("burst:64", "none", "none"), ("steady:100", "storm", "none")]]


def test_strategies_in_the_vocabulary_order_and_absent_cells_empty(tmp_path):
    words = vocabulary(("kernel", "kernel"), ("eager", "classic"), ("naive", "classic"))
    folder = build(str(tmp_path / "run"), [config(s, "first-worker") for s in ("naive", "eager", "new", "kernel")]
                   + [config("naive", "burst:4")], vocabulary=words)
    heatmap = data(folder)
    assert heatmap.strategies == ["kernel", "eager", "naive", "new"]
    assert ("naive", ("burst:4", "none", "none")) in heatmap.cells
    assert ("eager", ("burst:4", "none", "none")) not in heatmap.cells


def columns_of(*sizes):
    return [(f"s{i}", f"periodic:{r}", "none") for i, n in enumerate(sizes) for r in range(n)]


def test_a_wide_sweep_is_cut_between_scenarios_when_that_costs_no_panel():
    columns = columns_of(10, 10, 30, 4)
    panels = figure.panels_of(columns, max_columns=24)
    assert [len(p) for p in panels] == [20, 24, 10]
    assert [sorted({c[0] for c in p}) for p in panels] == [["s0", "s1"], ["s2"], ["s2", "s3"]]
    assert [c for p in panels for c in p] == columns


def test_a_wide_sweep_is_cut_anywhere_rather_than_take_more_panels():
    columns = columns_of(12, 12, 12, 12, 12)
    panels = figure.panels_of(columns, max_columns=20)
    assert [len(p) for p in panels] == [20, 20, 20]
    assert [c for p in panels for c in p] == columns


def test_ten_strategies_by_sixty_configurations_stay_legible(tmp_path, monkeypatch):
    figures = []
    monkeypatch.setattr(figure, "save", lambda fig, path: figures.append(fig))
    strategies = ["naive", "pre-patch", "retry-via-workqueue", "eager", "retry-5.15", "retry-5.16", "retry-6.11",
                  "retry-6.14", "retry-6.19", "kernel"]
    scenarios = ["first-worker", "burst:64", "chain:8", "steady:1000", "exit-under-fire"]
    schedules = ["none", "one-shot", "storm", "periodic:1000", "poisson:1000", "fatal:5ms"]
    configs = [config(st, sc, si, fa) for st in strategies for sc in scenarios for si in schedules
               for fa in ("none", "eagain:0.1")]
    draw_figure(figure, build(str(tmp_path / "run"), configs), tmp_path)
    fig = figures[0]
    heatmap_axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert [len(ax.get_xticklabels()) for ax in heatmap_axes] == [20, 20, 20]  # 60 columns
    assert [t.get_text() for t in heatmap_axes[0].get_yticklabels()] == strategies
    width, height = fig.get_size_inches()
    assert width < 20 and height < 20
    plt.close(fig)


def test_an_older_run_is_coloured_by_its_hang_rate(tmp_path):
    heatmap = data(build(str(tmp_path / "run"), [config("pre-patch", "first-worker", ok=0, hung=1)], old=True))
    assert heatmap.rate_column == "hang_rate"
    assert heatmap.cells[("pre-patch", FW)] == figure.Cell(RAN, 1.0, "hung 1")


def test_one_scenario(tmp_path):
    heatmap = data(rich(str(tmp_path / "run")), outcomes_scenario="burst:16")
    assert [c for p in heatmap.panels for c in p] == [("burst:16", "none", "none")]
    assert is_png(draw_figure(figure, rich(str(tmp_path / "rich")), tmp_path))


@pytest.mark.parametrize("configs,options,message", [
    ([config("naive", "first-worker")], {"outcomes_scenario": "chain:9"}, "--outcomes-scenario"),
    ([], {}, "no strategy rows"),
])
def test_nothing_to_draw_is_a_skip(tmp_path, configs, options, message):
    with pytest.raises(Skip, match=message):
        data(build(str(tmp_path / "run"), configs), **options)
