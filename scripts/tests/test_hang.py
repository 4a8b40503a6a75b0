"""iowq_plots.hang: hang rate against the signal schedule."""

import pytest

from iowq_plots import hang
from iowq_plots.data import Skip

from .runs import draw_figure, build, config, is_png, rich, tiny


def draw(folder, tmp_path, **options):
    return draw_figure(hang, folder, tmp_path, **options)


def test_schedules_without_a_rate(tmp_path):
    assert is_png(draw(tiny(str(tmp_path / "run")), tmp_path))


def test_rates_and_faults(tmp_path):
    assert is_png(draw(rich(str(tmp_path / "run")), tmp_path))


def test_another_scenario(tmp_path):
    assert is_png(draw(tiny(str(tmp_path / "run")), tmp_path, hang_scenario="burst:64"))


def test_unknown_scenario_is_a_skip(tmp_path):
    with pytest.raises(Skip, match="--hang-scenario"):
        draw(tiny(str(tmp_path / "run")), tmp_path, hang_scenario="chain:9")


@pytest.mark.parametrize("layout", ["file", "summary"])
def test_only_calibration_is_a_skip(tmp_path, layout):
    with pytest.raises(Skip, match="no strategy rows"):
        draw(build(str(tmp_path / "run"), [], calibration=layout), tmp_path)


def test_no_hang_rates_is_a_skip(tmp_path):
    summary, trials = config("naive", "first-worker")
    summary.update(hang_rate="")
    with pytest.raises(Skip, match="no hang rates for scenario first-worker"):
        draw(build(str(tmp_path / "run"), [(summary, trials)]), tmp_path)
