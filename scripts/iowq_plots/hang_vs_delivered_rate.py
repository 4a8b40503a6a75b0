"""Stuck rate against the signal rate the work really met, one panel per scenario with timed schedules.

The x axis is signals_delivered_per_s, not the schedule's nominal rate: a short trial meets only part
of periodic:RATE, so the nominal rate would overstate what the pool went through. Rows that did not run
or whose schedule sent nothing inside the work have no such rate and are left out (and counted).
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D

from .data import NOT_RUN, SCHEDULE_IDLE, Skip, finite, has_column, num, parse_schedule, pick_scenario, row_state
from .style import plain_log_ticks, save, strategy_legend

FILENAME = "hang_vs_delivered_rate.png"
TIMED = ("periodic", "poisson")
KIND_MARKERS = {"periodic": "o", "poisson": "^"}
KIND_LINES = {"periodic": "-", "poisson": "--"}
DODGE = 1.02  # strategies side by side: each drawn this factor right of the one before it


@dataclass(frozen=True)
class Point:
    """One summary row."""

    signals: str
    x: float  # signals_delivered_per_s
    y: float  # stuck_rate
    low: float  # its Wilson interval
    high: float
    n: int  # trials counted


@dataclass
class Series:
    """One strategy under one kind of timed schedule in one scenario, points in rising delivered rate."""

    strategy: str
    kind: str  # periodic or poisson
    points: list[Point] = field(default_factory=list)


@dataclass
class HangData:
    panels: dict[str, list[Series]]  # scenario -> its series, scenarios in the vocabulary's order
    left_out: Counter  # why rows were not drawn -> how many


DID_NOT_RUN, NO_SIGNAL = "did not run", "delivered no signal inside the work"


def left_out_reason(row) -> str | None:
    """Why a timed row has no point, or None when it has one."""
    state = row_state(row)
    if state == NOT_RUN:
        return DID_NOT_RUN
    delivered = num(row["signals_delivered_per_s"])
    if state == SCHEDULE_IDLE or not finite(delivered) or delivered <= 0:
        return NO_SIGNAL
    return None


def data(run, args) -> HangData:
    rows = run.summary
    for column in ("stuck_rate", "signals_delivered_per_s"):
        if not has_column(rows, column):
            raise Skip(f"summary.csv has no {column} column (a run before it was written)")
    wanted = pick_scenario(rows, args.hang_scenario, "--hang-scenario")
    timed = [r for r in rows if parse_schedule(r["signals"])[0] in TIMED and r["faults"] == "none"
             and (wanted is None or r["scenario"] == wanted)]
    if not timed:
        raise Skip("no periodic:RATE or poisson:RATE rows with faults none"
                   + (f" in scenario {wanted}" if wanted else ""))
    panels: dict[str, list[Series]] = {}
    left_out = Counter()
    for r in timed:
        reason = left_out_reason(r)
        if reason:
            left_out[reason] += 1
            continue
        kind = parse_schedule(r["signals"])[0]
        series = panels.setdefault(r["scenario"], [])
        match = next((s for s in series if s.strategy == r["strategy"] and s.kind == kind), None)
        if match is None:
            match = Series(r["strategy"], kind)
            series.append(match)
        rate, low, high = num(r["stuck_rate"]), num(r["stuck_rate_ci_low"]), num(r["stuck_rate_ci_high"])
        match.points.append(Point(r["signals"], num(r["signals_delivered_per_s"]), rate,
                                  low if finite(low) else rate, high if finite(high) else rate, int(num(r["trials"]))))
    if not panels:
        raise Skip("no timed row delivered a signal (" + ", ".join(f"{n} {why}" for why, n in left_out.items()) + ")")
    panels = {scenario: panels[scenario] for scenario in sorted(panels, key=run.vocabulary.scenario_key)}
    for series in panels.values():
        for s in series:
            s.points.sort(key=lambda p: p.x)
        series.sort(key=lambda s: (run.vocabulary.key(s.strategy), TIMED.index(s.kind)))
    return HangData(panels, left_out)


def n_label(counts) -> str:
    low, high = min(counts), max(counts)
    return f"n={low}" if low == high else f"n={low}–{high}"


def x_range(xs):
    """At least a decade around the points, so that every panel has labelled ticks."""
    low, high = min(xs) / 1.3, max(xs) * 1.3
    widen = math.sqrt(max(1.0, 10 * low / high))
    return low / widen, high * widen


def plot(run, styles, out, args):
    drawn = data(run, args)
    strategies = sorted({s.strategy for ss in drawn.panels.values() for s in ss}, key=run.vocabulary.key)
    scenarios = list(drawn.panels)
    ncols = min(3, len(scenarios))
    nrows = math.ceil(len(scenarios) / ncols)
    fig_w = 1.2 + 4.6 * ncols + 2.6
    fig_h = 1.6 + 3.6 * nrows
    fig, axes = plt.subplots(nrows, ncols, figsize=(fig_w, fig_h), squeeze=False, sharex=True, sharey=True,
                             layout="constrained")
    for ax in axes.flat[len(scenarios):]:
        ax.set_visible(False)
    xlim = x_range([p.x for series in drawn.panels.values() for s in series for p in s.points])
    for ax, scenario in zip(axes.flat, scenarios):
        for s in drawn.panels[scenario]:
            colour = styles.color[s.strategy]
            nudge = DODGE ** (strategies.index(s.strategy) - (len(strategies) - 1) / 2)
            ax.errorbar([p.x * nudge for p in s.points], [p.y for p in s.points],
                        yerr=[[p.y - p.low for p in s.points], [p.high - p.y for p in s.points]],
                        color=colour, marker=KIND_MARKERS[s.kind], linestyle=KIND_LINES[s.kind], markersize=6,
                        markerfacecolor=colour if s.kind == "periodic" else "white", capsize=3, linewidth=1.3,
                        alpha=0.9)
        ax.set_xscale("log")
        ax.set_xlim(*xlim)
        plain_log_ticks(ax.xaxis)
        ax.xaxis.set_tick_params(labelbottom=True)
        ax.set_ylim(-0.04, 1.04)
        ax.grid(alpha=0.3, which="both")
        ax.set_title(f"scenario {scenario}", fontsize=10)
        ax.set_xlabel("signals delivered per second of work (log)", fontsize=9)
    for ax in axes[:, 0]:
        ax.set_ylabel("stuck rate (stuck trials / trials)", fontsize=9)

    counts = {name: [p.n for series in drawn.panels.values() for s in series if s.strategy == name for p in s.points]
              for name in strategies}
    legend = strategy_legend(fig, styles, strategies, labels={s: f"{s} ({n_label(counts[s])})" for s in strategies},
                             markers=False, loc="outside right upper", fontsize=8, title_fontsize=9)
    kinds = sorted({s.kind for ss in drawn.panels.values() for s in ss}, key=TIMED.index)
    fig.add_artist(legend)
    fig.legend(handles=[Line2D([], [], color="#444444", marker=KIND_MARKERS[k], linestyle=KIND_LINES[k],
                               markerfacecolor="#444444" if k == "periodic" else "white", label=f"{k}:RATE")
                        for k in kinds], title="schedule", loc="outside right lower", fontsize=8, title_fontsize=9)
    caption = ("Points: stuck trials (an item hung or the exit hung) over the trials counted, n per strategy in "
               "the legend; bars: 95% Wilson interval. x: signals delivered to the task per second of the trials' "
               "work windows (signals_delivered_per_s), faults none; strategies are drawn side by side, each 2% right "
               "of the one before it in the legend, so that equal points stay visible.")
    if drawn.left_out:
        caption += " Not drawn: " + ", ".join(f"{n} row{'s' if n > 1 else ''} that {why}"
                                               for why, n in sorted(drawn.left_out.items())) + "."
    fig.suptitle("Stuck rate against the delivered signal rate", fontsize=12)
    fig.supxlabel(textwrap.fill(caption, width=int(fig_w * 14)), fontsize=8, color="#333333")
    save(fig, out)
