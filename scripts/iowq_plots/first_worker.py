"""First-worker latency p50 and p99 as a ratio to the run's calibrated pthread_create p50."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory as blend

from .data import Skip, finite, num, schedule_key
from .style import OUTCOMES, save

FILENAME = "first_worker_vs_calibration.png"


def times(ratio: float) -> str:
    if ratio >= 100:
        return f"{ratio:.0f}×"
    if ratio >= 10:
        return f"{ratio:.1f}×"
    return f"{ratio:.2f}×"


def plot(run, styles, out, args):
    create = run.calibration_p50("thread-create")
    if create is None:
        raise Skip("no calibration thread-create row with a p50")
    rows = [r for r in run.summary if r["scenario"] == "first-worker" and r["faults"] == "none"]
    if not rows:
        raise Skip("no first-worker rows with faults none")
    schedules = sorted({r["signals"] for r in rows}, key=schedule_key)
    if len(schedules) > 4:
        print(f"note: first-worker figure shows 4 of {len(schedules)} signal schedules")
        schedules = schedules[:4]
    strategies = run.strategies_of(rows)
    ratios = [num(r[c]) / create for r in rows for c in ("latency_p50_us", "latency_p99_us")
              if finite(num(r[c])) and num(r[c]) > 0]
    if not ratios:
        raise Skip("no first-worker row completed an item")
    top = max(ratios) * 6
    bottom = min(0.5, min(ratios) / 2)

    ncols = min(len(schedules), 4 if len(strategies) <= 4 else 2)
    nrows = math.ceil(len(schedules) / ncols)
    fig_w = 1.4 + ncols * (0.9 + 0.62 * len(strategies))
    fig, axes = plt.subplots(nrows, ncols, figsize=(fig_w, 1.5 + 4.3 * nrows), squeeze=False, sharey=True,
                             layout="constrained")
    for ax in axes.flat[len(schedules):]:
        ax.set_visible(False)
    width = 0.38
    for ax, sched in zip(axes.flat, schedules):
        for xi, s in enumerate(strategies):
            match = [r for r in rows if r["strategy"] == s and r["signals"] == sched]
            if not match:
                ax.text(xi, 0.5, "not run", rotation=90, ha="center", va="center", fontsize=8,
                        color="#888888", transform=blend(ax.transData, ax.transAxes))
                continue
            r = match[0]
            p50, p99 = num(r["latency_p50_us"]), num(r["latency_p99_us"])
            if not (finite(p50) and p50 > 0):
                submitted = num(r["items_submitted"])
                what = [label for c, label, _ in OUTCOMES[1:] if num(r[c]) > 0 and num(r[c]) >= submitted / 2]
                why = ("all " + what[0]) if what else "no ok item"
                ax.text(xi, 0.5, why, rotation=90, ha="center", va="center", fontsize=9,
                        color=styles.color[s], transform=blend(ax.transData, ax.transAxes),
                        bbox=dict(boxstyle="round", facecolor="white", edgecolor=styles.color[s], alpha=0.9))
                continue
            for dx, value, hatch in ((-width / 2, p50, None), (width / 2, p99, "///")):
                if not (finite(value) and value > 0):
                    continue
                ratio = value / create
                ax.bar(xi + dx, ratio, width=width, color=styles.color[s], hatch=hatch,
                       edgecolor="white" if hatch is None else "#ffffff", linewidth=0.5, alpha=0.9)
                ax.text(xi + dx, ratio * 1.12, times(ratio), rotation=90, ha="center", va="bottom", fontsize=7)
        ax.axhline(1.0, color="#444444", linestyle="--", linewidth=1)
        ax.set_yscale("log")
        ax.set_ylim(bottom, top)
        ax.set_xticks(range(len(strategies)))
        ax.set_xticklabels(strategies, rotation=35, ha="right", fontsize=9)
        ax.set_xlim(-0.6, len(strategies) - 0.4)
        ax.grid(axis="y", alpha=0.3)
        ax.set_title(f"signals: {sched}", fontsize=10)
    for ax in axes[:, 0]:
        ax.set_ylabel("latency / pthread_create p50 (log)")
    handles = [Patch(facecolor="#999999", label="p50"),
               Patch(facecolor="#999999", hatch="///", edgecolor="white", label="p99"),
               plt.Line2D([], [], color="#444444", linestyle="--", label="1× = one pthread_create")]
    fig.legend(handles=handles, loc="outside lower center", fontsize=9, ncol=3, frameon=False)
    fig.suptitle(f"first-worker latency (submit to completion, faults none) over calibrated pthread_create "
                 f"p50 = {create:g} µs\nfrom summary.csv latency_p50_us and latency_p99_us of the first-worker rows",
                 fontsize=11)
    save(fig, out)

