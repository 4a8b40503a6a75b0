"""iowq_plots.cdf: the latency CDF from the summary percentiles."""

import pytest

from iowq_plots import cdf
from iowq_plots.data import Skip

from .runs import draw_figure, build, config, is_png, rich, tiny


def draw(folder, tmp_path, **options):
    return draw_figure(cdf, folder, tmp_path, **options)


def test_steady_by_default(tmp_path):
    assert is_png(draw(tiny(str(tmp_path / "run")), tmp_path))


def test_more_than_six_panels_are_cut(tmp_path, capsys):
    assert is_png(draw(rich(str(tmp_path / "run")), tmp_path, scenario="first-worker"))
    assert "latency CDF shows 6 of 14 signal/fault combinations" in capsys.readouterr().out


def test_another_scenario_with_latency_when_no_steady_or_first_worker(tmp_path, capsys):
    folder = build(str(tmp_path / "run"), [config("eager", "chain:4", ok=0, failed=1), config("eager", "hashed:4")])
    assert is_png(draw(folder, tmp_path))
    assert "latency CDF uses hashed:4" in capsys.readouterr().out


def test_no_completed_items_is_a_skip(tmp_path):
    folder = build(str(tmp_path / "run"), [config("pre-patch", "first-worker", "storm", ok=0, hung=1)])
    with pytest.raises(Skip, match="no completed items"):
        draw(folder, tmp_path)


def test_unknown_scenario_is_a_skip(tmp_path):
    with pytest.raises(Skip, match="'chain:99' \\(--scenario\\)"):
        draw(tiny(str(tmp_path / "run")), tmp_path, scenario="chain:99")
