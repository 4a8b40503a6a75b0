"""Throughput against N for burst:N (signals none, faults none), min to max of the trials as bars."""

from __future__ import annotations

import re
from collections import defaultdict

import matplotlib.pyplot as plt

from .data import Skip, finite, num, scenario_size
from .style import save, strategy_legend

FILENAME = "throughput_vs_burst.png"


def plot(run, styles, out, args):
    rows = [r for r in run.summary if re.fullmatch(r"burst:[0-9]+", r["scenario"])
            and r["signals"] == "none" and r["faults"] == "none"
            and finite(num(r["throughput_items_per_s"]))]
    if not rows:
        raise Skip("no burst:N rows with signals none and faults none")
    per_trial = defaultdict(list)
    for t in run.trials:
        value = num(t["throughput_items_per_s"])
        if (t["signals"] == "none" and t["faults"] == "none" and t["scenario"].startswith("burst:")
                and finite(value)):
            per_trial[(t["strategy"], t["scenario"])].append(value)
    strategies = run.strategies_of(rows)
    sizes = sorted({int(scenario_size(r["scenario"])) for r in rows})
    values = [num(r["throughput_items_per_s"]) for r in rows] + [v for vs in per_trial.values() for v in vs]
    positive = [v for v in values if v > 0]
    log_y = bool(positive) and max(positive) / min(positive) > 20

    fig_w = 3.0 + 1.1 * max(3, len(sizes)) + 2.6
    fig, ax = plt.subplots(figsize=(fig_w, 5.4), layout="constrained")
    n = len(strategies)
    for si, s in enumerate(strategies):
        factor = 2 ** ((si - (n - 1) / 2) * (0.5 / max(n, 1)))
        pts = sorted((int(scenario_size(r["scenario"])), r) for r in rows if r["strategy"] == s)
        xs, ys, lo, hi = [], [], [], []
        for size, r in pts:
            y = num(r["throughput_items_per_s"])
            if log_y and y <= 0:
                continue
            spread = per_trial.get((s, r["scenario"]), [])
            xs.append(size * factor)
            ys.append(y)
            lo.append(max(0.0, y - min(spread)) if spread else 0.0)
            hi.append(max(0.0, max(spread) - y) if spread else 0.0)
        if not xs:
            continue
        ax.errorbar(xs, ys, yerr=[lo, hi], color=styles.color[s], marker=styles.marker[s], markersize=6,
                    capsize=3, linewidth=1.4, linestyle="-" if len(xs) > 1 else "none")
    ax.set_xscale("log", base=2)
    ax.set_xticks(sizes)
    ax.set_xticklabels([str(s) for s in sizes])
    ax.minorticks_off()
    if len(sizes) == 1:
        ax.set_xlim(sizes[0] / 2 ** 0.6, sizes[0] * 2 ** 0.6)
    if log_y:
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.set_xlabel("burst size N (items, log2)" + (f"; only burst:{sizes[0]} in this run" if len(sizes) == 1 else ""))
    ax.set_ylabel("throughput (ok items / s" + (", log)" if log_y else ")"))
    ax.set_title("Throughput against burst size (burst:N, signals none, faults none)\n"
                 "points: all trials pooled (summary.csv); bars: min to max of the trials (trials.csv)",
                 fontsize=11)
    strategy_legend(fig, styles, strategies, loc="outside right center", fontsize=8, title_fontsize=9)
    save(fig, out)

