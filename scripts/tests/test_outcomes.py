"""iowq_plots.outcomes: ok / cancelled / failed / hung per strategy."""

import matplotlib.pyplot as plt
import pytest

from iowq_plots import outcomes
from iowq_plots.data import Skip

from .runs import draw_figure, build, config, is_png, rich, tiny, vocabulary


def draw(folder, tmp_path, **options):
    return draw_figure(outcomes, folder, tmp_path, **options)


def test_mean_over_scenarios(tmp_path):
    assert is_png(draw(rich(str(tmp_path / "run")), tmp_path))


def test_one_scenario(tmp_path):
    assert is_png(draw(tiny(str(tmp_path / "run")), tmp_path, outcomes_scenario="first-worker"))


def test_unaccounted_items(tmp_path):
    summary, trials = config("naive", "first-worker")
    summary.update(items_ok=5)
    assert is_png(draw(build(str(tmp_path / "run"), [(summary, trials)]), tmp_path))


def test_unknown_scenario_is_a_skip(tmp_path):
    with pytest.raises(Skip, match="--outcomes-scenario"):
        draw(tiny(str(tmp_path / "run")), tmp_path, outcomes_scenario="chain:9")


def test_nothing_submitted_is_a_skip(tmp_path):
    with pytest.raises(Skip, match="no rows with items submitted"):
        draw(build(str(tmp_path / "run"), [config("naive", "first-worker", n=0)]), tmp_path)


def test_strategies_in_the_vocabulary_order(tmp_path, monkeypatch):
    figures = []
    monkeypatch.setattr(outcomes, "save", lambda fig, path: figures.append(fig))
    words = vocabulary(("kernel", "kernel"), ("eager", "classic"), ("naive", "classic"))
    folder = build(str(tmp_path / "run"), [config(s, "first-worker") for s in ("naive", "eager", "new", "kernel")],
                   vocabulary=words)
    draw(folder, tmp_path)
    assert [t.get_text() for t in figures[0].axes[0].get_yticklabels()] == ["kernel", "eager", "naive", "new"]
    plt.close(figures[0])
