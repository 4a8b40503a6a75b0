"""The model against the live kernel (fidelity.csv of `bench fidelity`), one panel per scenario.

For every signal schedule three stuck rates side by side: the kernel (all its trials), the lineage
preset that models the running kernel ("model") and the next preset, whose fix the kernel lacks; the
kernel's two halves (handler installed with SA_RESTART or without) as small hollow markers beside it;
under the schedule the row's verdict. A cell left empty was not measured and is not drawn.
"""

from __future__ import annotations

import json
import os
import textwrap
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D

from .data import Skip, finite, load_csv, num, parse_schedule
from .style import Styles, save

FILENAME = "fidelity.png"
CSV = "fidelity.csv"
REQUIRED = ["scenario", "signals", "sa_restart", "kernel", "model", "verdict"]
SIDES = ("kernel", "model", "next")
ROLES = {"kernel": "the running kernel", "model": "model of the running kernel",
         "next": "next preset (the fix the kernel lacks)"}
ALL, HALVES = "all", ("yes", "no")  # sa_restart: every kernel trial; those with SA_RESTART, those without
# Where each mark sits in its schedule's slot, in slots (one per schedule): the kernel's halves either
# side of the kernel, then the two presets.
OFFSETS = {("kernel", "yes"): -0.34, ("kernel", ALL): -0.24, ("kernel", "no"): -0.14,
           ("model", ALL): 0.04, ("next", ALL): 0.26}
HALF_MARKERS = [("<", ">"), ("^", "v"), ("1", "2")]  # yes, no: the first pair no strategy of the figure uses
GLYPHS = {"<": "◁", ">": "▷", "^": "△", "v": "▽", "1": "Y", "2": "inverted Y"}  # those markers in the caption
VERDICT_COLORS = {"agree": "#2ca02c", "disagree": "#d62728"}
OTHER_VERDICT_COLOR = "#7f7f7f"


@dataclass(frozen=True)
class Mark:
    """One measured side of one fidelity.csv row."""

    side: str  # kernel, model or next
    half: str  # sa_restart of the row: all, yes or no (the presets: all)
    strategy: str
    rate: float  # <side>_stuck_rate
    low: float  # its Wilson interval (the rate itself when the bound is empty)
    high: float
    n: int | None  # <side>_trials; None when empty


@dataclass
class Column:
    """One signal schedule of one scenario."""

    signals: str
    label: str  # 1k, 10k, Poisson 10k
    verdict: str  # of the sa_restart=all row ("" when it has none)
    reason: str
    marks: list[Mark] = field(default_factory=list)  # the measured ones only


@dataclass
class FidelityData:
    panels: dict[str, list[Column]]  # scenario -> its schedules, both in the CSV's order
    not_measured: int  # side cells with an empty stuck rate: not drawn
    kernel_release: str  # from meta.json; "" when absent


def short_rate(rate: float) -> str:
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if rate >= size:
            return f"{rate / size:g}{suffix}"
    return f"{rate:g}"


def schedule_label(signals: str) -> str:
    """periodic:10000 -> 10k, poisson:10000 -> Poisson 10k; other schedules as written."""
    kind, rate = parse_schedule(signals)
    if kind == "periodic" and rate:
        return short_rate(rate)
    if kind == "poisson" and rate:
        return f"Poisson {short_rate(rate)}"
    return signals


def mark(row, side: str, half: str) -> Mark | None:
    """The side of the row as drawn; None when it was not measured (no strategy or an empty rate)."""
    strategy = row.get(side) or ""
    rate = num(row.get(f"{side}_stuck_rate"))
    if not strategy or not finite(rate):
        return None
    low, high, n = (num(row.get(f"{side}_{c}")) for c in ("stuck_ci_low", "stuck_ci_high", "trials"))
    return Mark(side, half, strategy, rate, low if finite(low) else rate, high if finite(high) else rate,
                int(n) if finite(n) else None)


def kernel_release(folder: str) -> str:
    try:
        with open(os.path.join(folder, "meta.json")) as handle:
            release = json.load(handle).get("kernel_release", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return release if isinstance(release, str) else ""


def data(run, args) -> FidelityData:
    path = os.path.join(run.folder, CSV)
    if not os.path.isfile(path):
        raise Skip(f"no {CSV} (written by bench fidelity)")
    rows = load_csv(path, REQUIRED)
    if not rows:
        raise Skip(f"{CSV} has no rows")
    panels: dict[str, list[Column]] = {}
    not_measured = 0
    for r in rows:
        columns = panels.setdefault(r["scenario"], [])
        column = next((c for c in columns if c.signals == r["signals"]), None)
        if column is None:
            column = Column(r["signals"], schedule_label(r["signals"]), "", "")
            columns.append(column)
        half = r["sa_restart"] or ALL
        if half == ALL:
            column.verdict, column.reason = r["verdict"], r.get("reason") or ""
        # The presets' cells repeat on the halves' rows: drawn once, from the row of all trials.
        for side in SIDES if half == ALL else ("kernel",):
            if (side, half) not in OFFSETS:
                continue
            m = mark(r, side, half)
            if m is None:
                not_measured += bool(r.get(side))
            else:
                column.marks.append(m)
    if not any(c.marks for columns in panels.values() for c in columns):
        raise Skip(f"{CSV} has no measured stuck rate (every cell empty)")
    return FidelityData(panels, not_measured, kernel_release(run.folder))


def n_label(counts) -> str:
    counts = [n for n in counts if n is not None]
    if not counts:
        return "n unknown"
    low, high = min(counts), max(counts)
    return f"n={low}" if low == high else f"n={low}–{high}"


def figure_styles(run, styles, strategies):
    """The run's styles, or (a strategy of fidelity.csv absent from summary.csv) a set naming them all."""
    if all(s in styles.color for s in strategies):
        return styles
    return Styles(run.vocabulary, run.strategies() + list(strategies))


def plot(run, styles, out, args):
    drawn = data(run, args)
    marks = [m for columns in drawn.panels.values() for c in columns for m in c.marks]
    # Legend entries: (side, strategy) in the order sides are drawn.
    entries = sorted({(m.side, m.strategy) for m in marks if m.half == ALL},
                     key=lambda e: (SIDES.index(e[0]), run.vocabulary.key(e[1])))
    styles = figure_styles(run, styles, sorted({m.strategy for m in marks}, key=run.vocabulary.key))
    used = {styles.marker[m.strategy] for m in marks}
    half_markers = dict(zip(HALVES, next((pair for pair in HALF_MARKERS if not used & set(pair)), HALF_MARKERS[-1])))

    scenarios = list(drawn.panels)
    ncols = min(3, len(scenarios))
    nrows = -(-len(scenarios) // ncols)
    widest = max(len(columns) for columns in drawn.panels.values())
    fig_w = 1.2 + max(4.2, 1.25 * widest) * ncols + 3.4
    fig_h = 2.2 + 3.8 * nrows
    fig, axes = plt.subplots(nrows, ncols, figsize=(fig_w, fig_h), squeeze=False, sharey=True, layout="constrained")
    for ax in axes.flat[len(scenarios):]:
        ax.set_visible(False)
    for ax, scenario in zip(axes.flat, scenarios):
        columns = drawn.panels[scenario]
        for i, column in enumerate(columns):
            if column.verdict == "disagree":
                ax.axvspan(i - 0.48, i + 0.48, color=VERDICT_COLORS["disagree"], alpha=0.06, linewidth=0)
            for m in column.marks:
                colour = styles.color[m.strategy]
                half = m.half != ALL
                # The halves without bars: two more intervals per schedule, each over fewer trials,
                # buried the three that are compared.
                ax.errorbar([i + OFFSETS[(m.side, m.half)]], [m.rate],
                            yerr=None if half else [[m.rate - m.low], [m.high - m.rate]],
                            color=colour, marker=half_markers[m.half] if half else styles.marker[m.strategy],
                            markersize=6 if half else 8, markerfacecolor="white" if half else colour,
                            markeredgewidth=1.2, capsize=3.5, linewidth=1.5, linestyle="none", zorder=2 if half else 3)
            ax.annotate(column.verdict or "not compared", xy=(i, 0), xycoords=("data", "axes fraction"),
                        xytext=(0, -20), textcoords="offset points", ha="center", va="top", fontsize=9,
                        fontweight="bold", color=VERDICT_COLORS.get(column.verdict, OTHER_VERDICT_COLOR))
        ax.set_xticks(range(len(columns)), [c.label for c in columns], fontsize=9)
        ax.set_xlim(-0.55, len(columns) - 0.45)
        ax.set_ylim(-0.04, 1.04)
        ax.grid(alpha=0.3, axis="y")
        ax.set_title(f"scenario {scenario}", fontsize=10)
        ax.set_xlabel("signal schedule (signals/s; periodic unless Poisson)", fontsize=9, labelpad=16)
    for ax in axes[:, 0]:
        ax.set_ylabel("stuck rate (stuck trials / trials)", fontsize=9)

    handles = []
    for side, strategy in entries:
        counts = [m.n for m in marks if m.side == side and m.strategy == strategy and m.half == ALL]
        colour = styles.color[strategy]
        label = f"{strategy}: {ROLES[side]}" + (", all trials" if side == "kernel" else "") + f" ({n_label(counts)})"
        handles.append(Line2D([], [], color=colour, marker=styles.marker[strategy], markersize=7, linestyle="none",
                              label=label))
    for half, words in zip(HALVES, ("handler with SA_RESTART", "handler without SA_RESTART")):
        halves = [m for m in marks if m.half == half]
        for strategy in sorted({m.strategy for m in halves}, key=run.vocabulary.key):
            counts = [m.n for m in halves if m.strategy == strategy]
            handles.append(Line2D([], [], color=styles.color[strategy], marker=half_markers[half], markersize=5,
                                  markerfacecolor="white", linestyle="none",
                                  label=f"{strategy}: {words} ({n_label(counts)})"))
    fig.legend(handles=handles, loc="outside right upper", fontsize=8, title="stuck rate of", title_fontsize=9)

    caption = ("Points: stuck trials (an item hung or the exit hung) over the trials counted (timed schedules: "
               "those the schedule acted in), n in the legend; bars: 95% Wilson interval. Under each schedule "
               "the verdict of all the kernel's trials: agree when the intervals overlap or the rates are within "
               "a factor of 2, and the outcome classes of at least 5% of the items rank the same.")
    if any(m.half != ALL for m in marks):
        yes, no = (GLYPHS[half_markers[half]] for half in HALVES)
        caption += (f" Hollow {yes} and {no} beside the kernel: its trials whose handler had SA_RESTART and those "
                    f"without, each about half the trials, so without bars.")
    disagreements = [f"{scenario} {c.label}: {c.reason}" for scenario, columns in drawn.panels.items()
                     for c in columns if c.verdict == "disagree" and c.reason]
    if disagreements:
        caption += " Disagreements: " + "; ".join(disagreements) + "."
    if drawn.not_measured:
        caption += (f" Not drawn: {drawn.not_measured} cell{'s' if drawn.not_measured > 1 else ''} not measured "
                    f"(empty in {CSV}).")
    title = "Model against the live kernel"
    if drawn.kernel_release:
        title += f" (Linux {drawn.kernel_release})"
    fig.suptitle(title, fontsize=12)
    fig.supxlabel(textwrap.fill(caption, width=int(fig_w * 14)), fontsize=8, color="#333333")
    save(fig, out)
