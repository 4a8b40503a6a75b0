"""iowq_plots.first_worker: first-worker latency over the calibrated pthread_create."""

import pytest

from iowq_plots import first_worker
from iowq_plots.data import Skip

from .runs import draw_figure, build, config, is_png, rich, tiny


def draw(folder, tmp_path, **options):
    return draw_figure(first_worker, folder, tmp_path, **options)


def test_ratios_and_failed_strategies(tmp_path):
    assert is_png(draw(tiny(str(tmp_path / "run")), tmp_path))


def test_many_strategies_and_schedules(tmp_path, capsys):
    assert is_png(draw(rich(str(tmp_path / "run")), tmp_path))
    assert "first-worker figure shows 4 of 7 signal schedules" in capsys.readouterr().out


def test_times():
    assert [first_worker.times(r) for r in (1.234, 12.34, 123.4)] == ["1.23×", "12.3×", "123×"]


def test_no_calibration_is_a_skip(tmp_path):
    folder = build(str(tmp_path / "run"), [config("naive", "first-worker")], calibration=None)
    with pytest.raises(Skip, match="no calibration thread-create"):
        draw(folder, tmp_path)


def test_no_first_worker_rows_is_a_skip(tmp_path):
    with pytest.raises(Skip, match="no first-worker rows"):
        draw(build(str(tmp_path / "run"), [config("naive", "burst:4")]), tmp_path)


def test_no_completed_item_is_a_skip(tmp_path):
    folder = build(str(tmp_path / "run"), [config("pre-patch", "first-worker", "storm", ok=0, hung=1)])
    with pytest.raises(Skip, match="no first-worker row completed an item"):
        draw(folder, tmp_path)
