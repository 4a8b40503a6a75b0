"""First-worker time per trial (trials.csv first_worker_us), one point per trial, beside pthread_create.

A median hides that the strategies creating on demand are bimodal on a small VM (tens of µs, or
hundreds when the new thread waits for a CPU), so every trial is a point, on a log axis that keeps
both modes apart, with the run's calibrated pthread_create p50 as the floor to compare with.
"""

from __future__ import annotations

import math
import statistics
import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
from matplotlib.transforms import blended_transform_factory as blend

from .data import Skip, finite, has_column, num, schedule_key
from .style import plain_log_ticks, save

FILENAME = "first_worker.png"
SCENARIO = "first-worker"
MAX_PANELS = 4
GOLDEN = (math.sqrt(5) - 1) / 2  # spreads a strip's points evenly and reproducibly


@dataclass
class FirstWorkerData:
    panels: dict[str, dict[str, list[float]]]  # signals -> strategy -> first_worker_us of its trials
    idle_trials: int  # trials left out: their timed schedule sent nothing inside the work
    without_times: list[str]  # schedules under which no trial has a time (no worker ever ran): no panel
    create_p50: float | None


def data(run, args) -> FirstWorkerData:
    trials = [t for t in run.trials if t["scenario"] == SCENARIO and t["faults"] == "none"]
    if not trials:
        raise Skip(f"no {SCENARIO} trials with faults none")
    if not has_column(trials, "first_worker_us"):
        raise Skip("trials.csv has no first_worker_us column (a run before it was written)")
    strategies = run.strategies_of(trials)
    panels, idle = {}, 0
    for signals in sorted({t["signals"] for t in trials}, key=schedule_key):
        panel = panels[signals] = {s: [] for s in strategies if any(
            t["strategy"] == s and t["signals"] == signals for t in trials)}
        for t in trials:
            if t["signals"] != signals:
                continue
            if t.get("schedule_acted") == "0":
                idle += 1
                continue
            value = num(t["first_worker_us"])
            if finite(value):
                panel[t["strategy"]].append(value)
    without_times = [signals for signals, panel in panels.items() if not any(panel.values())]
    panels = {signals: panel for signals, panel in panels.items() if signals not in without_times}
    if not panels:
        raise Skip(f"no {SCENARIO} trial has a first_worker_us (no worker ran, or the strategy cannot see it)")
    if len(panels) > MAX_PANELS:
        print(f"note: {FILENAME} shows {MAX_PANELS} of {len(panels)} signal schedules")
        panels = dict(list(panels.items())[:MAX_PANELS])
    return FirstWorkerData(panels, idle, without_times, run.calibration_p50("thread-create"))


def plot(run, styles, out, args):
    drawn = data(run, args)
    values = [v for panel in drawn.panels.values() for vs in panel.values() for v in vs]
    low = min(values + ([drawn.create_p50] if drawn.create_p50 else []))
    high = max(values)
    width = max(len(panel) for panel in drawn.panels.values())
    ncols = min(len(drawn.panels), 4 if width <= 4 else 2)
    nrows = math.ceil(len(drawn.panels) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.3 + ncols * (0.8 + 0.6 * width), 1.2 + 4.4 * nrows),
                             squeeze=False, sharey=True, layout="constrained")
    for ax in axes.flat[len(drawn.panels):]:
        ax.set_visible(False)
    for ax, (signals, panel) in zip(axes.flat, drawn.panels.items()):
        for xi, (strategy, times) in enumerate(panel.items()):
            colour = styles.color[strategy]
            if not times:
                ax.text(xi, 0.5, "no first-worker time", rotation=90, ha="center", va="center", fontsize=8,
                        color="#777777", transform=blend(ax.transData, ax.transAxes))
                continue
            offsets = [((i * GOLDEN) % 1 - 0.5) * 0.5 for i in range(len(times))]
            median = statistics.median(times)
            ax.plot([xi - 0.32, xi + 0.32], [median, median], color=colour, linewidth=2, alpha=0.6, zorder=2)
            ax.scatter([xi + o for o in offsets], times, s=16, color=colour, alpha=0.8, linewidths=0, zorder=3)
        if drawn.create_p50:
            ax.axhline(drawn.create_p50, color="#444444", linestyle="--", linewidth=1)
            ax.annotate(f"pthread_create p50 {drawn.create_p50:g} µs", (1, drawn.create_p50),
                        xycoords=("axes fraction", "data"), xytext=(-3, 3), textcoords="offset points",
                        ha="right", va="bottom", fontsize=7, color="#444444")
        ax.set_yscale("log")
        plain_log_ticks(ax.yaxis)
        ax.set_ylim(low / 1.6, high * 1.6)
        ax.set_xticks(range(len(panel)))
        ax.set_xticklabels([f"{s}\nn={len(times)}" for s, times in panel.items()], rotation=40, ha="right",
                           fontsize=8, rotation_mode="anchor")
        ax.set_xlim(-0.6, len(panel) - 0.4)
        ax.grid(axis="y", alpha=0.3, which="both")
        ax.set_title(f"signals: {signals}", fontsize=10)
    for ax in axes[:, 0]:
        ax.set_ylabel("first-worker time (µs, log)")
    reference = ("dashed: the run's calibrated pthread_create p50; " if drawn.create_p50
                 else "no thread-create calibration in this run; ")
    caption = (f"One point per trial (trials.csv first_worker_us: first creation attempt to first worker running), "
               f"bar: median; n = trials with a time. {reference}scenario {SCENARIO}, faults none.")
    if drawn.idle_trials:
        caption += f" {drawn.idle_trials} trials whose timed schedule sent no signal inside the work are left out."
    if drawn.without_times:
        caption += f" No trial has a time (no worker ran) under signals {', '.join(drawn.without_times)}."
    fig.suptitle("Time to the first worker, every trial", fontsize=12)
    fig.supxlabel(textwrap.fill(caption, width=int(fig.get_figwidth() * 16)), fontsize=8, color="#333333")
    save(fig, out)
