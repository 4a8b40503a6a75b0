"""iowq_plots.burst: throughput against the burst size."""

import pytest

from iowq_plots import burst
from iowq_plots.data import Skip

from .runs import draw_figure, build, config, is_png, rich, tiny


def draw(folder, tmp_path, **options):
    return draw_figure(burst, folder, tmp_path, **options)


def test_one_burst_size(tmp_path):
    assert is_png(draw(tiny(str(tmp_path / "run")), tmp_path))


def test_several_burst_sizes(tmp_path):
    assert is_png(draw(rich(str(tmp_path / "run")), tmp_path))


def test_bursts_only_under_signals_are_a_skip(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "burst:64", "storm"), config("naive", "first-worker")])
    with pytest.raises(Skip, match="no burst:N rows with signals none and faults none"):
        draw(folder, tmp_path)
