#!/usr/bin/env python3
"""Plots for one iowq-bench results folder.

    scripts/plot.py RESULTS_DIR [--scenario SCENARIO] [--hang-scenario SCENARIO]
                                [--outcomes-scenario SCENARIO|all]

Reads RESULTS_DIR/summary.csv and RESULTS_DIR/trials.csv and writes PNGs into RESULTS_DIR/plots/:

  hang_rate_vs_signals.png         hang rate per strategy against the signal schedule, 95% Wilson bars
  latency_cdf.png                  latency CDF per strategy for one scenario, from summary.csv percentiles
  throughput_vs_burst.png          throughput against N for burst:N (signals none, faults none)
  outcomes.png                     ok / cancelled / failed / hung as fractions of the items submitted
  first_worker_vs_calibration.png  first-worker latency p50 and p99 over the calibrated pthread_create p50

A figure whose data is absent from the run is skipped with a note (and a stale PNG of that name is
removed). Needs matplotlib and numpy: pip install -r scripts/requirements.txt
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import textwrap
import sys
from collections import OrderedDict, defaultdict

SUMMARY_REQUIRED = [
    "strategy", "scenario", "signals", "faults", "trials",
    "items_submitted", "items_ok", "items_cancelled", "items_failed", "items_hung",
    "hang_rate", "hang_rate_ci_low", "hang_rate_ci_high",
    "latency_p50_us", "latency_p90_us", "latency_p99_us", "latency_p999_us", "latency_max_us",
    "throughput_items_per_s",
]
TRIALS_REQUIRED = ["strategy", "scenario", "signals", "faults", "trial", "throughput_items_per_s"]

FIGURES = OrderedDict([
    ("hang", "hang_rate_vs_signals.png"),
    ("cdf", "latency_cdf.png"),
    ("burst", "throughput_vs_burst.png"),
    ("outcomes", "outcomes.png"),
    ("first_worker", "first_worker_vs_calibration.png"),
])

CALIBRATION = "calibration"

# The order strategies appear in every figure: the historical line first, then the alternatives.
KNOWN_STRATEGIES = [
    "naive", "pre-patch", "retry-via-workqueue",
    "retry-5.15", "retry-5.16", "retry-6.11", "retry-6.14", "retry-6.19",
    "eager", "kernel",
]
LINEAGE = ["retry-5.15", "retry-5.16", "retry-6.11", "retry-6.14", "retry-6.19"]
FIXED_COLORS = {
    "naive": "#7f7f7f",
    "pre-patch": "#d62728",
    "retry-via-workqueue": "#ff7f0e",
    "eager": "#9467bd",
    "kernel": "#111111",
}
EXTRA_COLORS = ["#8c564b", "#e377c2", "#bcbd22", "#17becf", "#1f77b4", "#2ca02c"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "<", ">", "h", "p"]

OUTCOMES = [  # column, label, colour
    ("items_ok", "ok", "#2ca02c"),
    ("items_cancelled", "cancelled", "#1f77b4"),
    ("items_failed", "failed", "#ff7f0e"),
    ("items_hung", "hung", "#b2182b"),
]


class DataError(Exception):
    """A folder this script cannot plot: reported as one line, exit status 2."""


# ----------------------------------------------------------------------------------------- loading

def load_csv(path: str, required: list[str]) -> list[dict]:
    if not os.path.isfile(path):
        raise DataError(f"{path}: no such file")
    with open(path, newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames
        if not header:
            raise DataError(f"{path}: empty file (no header row)")
        header = [name.strip() for name in header]
        missing = [name for name in required if name not in header]
        if missing:
            raise DataError(f"{path}: missing required columns: {', '.join(missing)}")
        reader.fieldnames = header
        return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]


def num(text) -> float:
    """The cell as a float; NaN when empty or not a number."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return math.nan
    return value


def finite(x: float) -> bool:
    return isinstance(x, float) and math.isfinite(x)


# ------------------------------------------------------------------------------ names and ordering

def parse_schedule(text: str):
    """(kind, rate): none is rate 0; periodic/poisson carry their rate in signals/s; the rest None."""
    if text == "none":
        return "none", 0.0
    if text in ("one-shot", "storm"):
        return text, None
    m = re.fullmatch(r"(periodic|poisson):([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)", text)
    if m:
        return m.group(1), float(m.group(2))
    if text.startswith("fatal:"):
        return "fatal", None
    return "other", None


def schedule_key(text: str):
    kind, rate = parse_schedule(text)
    rank = {"none": 0, "one-shot": 1, "storm": 2, "periodic": 3, "poisson": 4, "fatal": 5}.get(kind, 6)
    return (rank, rate if rate is not None else 0.0, text)


def faults_key(text: str):
    return (0 if text == "none" else 1, text)


def strategy_key(name: str):
    if name in KNOWN_STRATEGIES:
        return (KNOWN_STRATEGIES.index(name), name)
    return (len(KNOWN_STRATEGIES), name)


def scenario_size(scenario: str):
    m = re.fullmatch(r"[a-z-]+:([0-9]*\.?[0-9]+)", scenario)
    return float(m.group(1)) if m else None


class Styles:
    """One colour and marker per strategy, the same in every figure of a run."""

    def __init__(self, strategies):
        import matplotlib

        cmap = matplotlib.colormaps["viridis"]
        self.color, self.marker = {}, {}
        extra = 0
        for i, name in enumerate(sorted(set(strategies), key=strategy_key)):
            if name in FIXED_COLORS:
                self.color[name] = FIXED_COLORS[name]
            elif name in LINEAGE:
                # The upstream lineage as a blue-to-green ramp, oldest first.
                self.color[name] = cmap(0.12 + 0.68 * LINEAGE.index(name) / (len(LINEAGE) - 1))
            else:
                self.color[name] = EXTRA_COLORS[extra % len(EXTRA_COLORS)]
                extra += 1
            self.marker[name] = MARKERS[i % len(MARKERS)]


# ------------------------------------------------------------------------------------------ figures

class Skip(Exception):
    """The data a figure needs is absent: print the reason, write nothing."""


def model_rows(summary):
    return [r for r in summary if r["strategy"] != CALIBRATION]


def strategies_of(rows):
    return sorted({r["strategy"] for r in rows}, key=strategy_key)


def save(fig, path):
    fig.savefig(path, dpi=120)
    import matplotlib.pyplot as plt

    plt.close(fig)


def strategy_legend(fig, styles, strategies, **kwargs):
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=styles.color[s], marker=styles.marker[s], linestyle="-", label=s)
               for s in strategies]
    return fig.legend(handles=handles, title="strategy", **kwargs)


def pick_scenario(rows, wanted, option):
    scenarios = list(OrderedDict.fromkeys(r["scenario"] for r in rows))
    if wanted is not None:
        if wanted not in scenarios:
            raise Skip(f"scenario '{wanted}' ({option}) is not in this run "
                       f"(present: {', '.join(scenarios) or 'none'})")
        return wanted
    return None


def fig_hang(summary, trials, styles, out, args):
    import matplotlib.pyplot as plt

    rows = model_rows(summary)
    if not rows:
        raise Skip("no strategy rows in summary.csv")
    scenario = pick_scenario(rows, args.hang_scenario, "--hang-scenario")
    if scenario is None:
        scenarios = list(OrderedDict.fromkeys(r["scenario"] for r in rows))
        scenario = "first-worker" if "first-worker" in scenarios else scenarios[0]
    rows = [r for r in rows if r["scenario"] == scenario and finite(num(r["hang_rate"]))]
    if not rows:
        raise Skip(f"no hang rates for scenario {scenario}")

    faults = sorted({r["faults"] for r in rows}, key=faults_key)[:4]
    strategies = strategies_of(rows)
    categories = sorted({r["signals"] for r in rows if parse_schedule(r["signals"])[1] is None
                         or parse_schedule(r["signals"])[0] == "none"}, key=schedule_key)
    rated = any(parse_schedule(r["signals"])[0] in ("periodic", "poisson") for r in rows)

    ncols = 2 if rated else 1
    widths = [max(2, len(categories)), 4] if rated else [1]
    fig_w = (2.0 + 1.25 * max(2, len(categories)) + (5.5 if rated else 0)) + 2.6
    fig_h = 1.0 + 3.6 * len(faults) + 0.8
    fig, axes = plt.subplots(len(faults), ncols, figsize=(fig_w, fig_h), layout="constrained",
                             squeeze=False, sharey=True, gridspec_kw={"width_ratios": widths})
    n = len(strategies)

    def errbar(ax, x, r, s, hollow=False):
        rate, lo, hi = num(r["hang_rate"]), num(r["hang_rate_ci_low"]), num(r["hang_rate_ci_high"])
        yerr = None
        if finite(lo) and finite(hi):
            yerr = [[max(0.0, rate - lo)], [max(0.0, hi - rate)]]
        ax.errorbar([x], [rate], yerr=yerr, color=styles.color[s], marker=styles.marker[s],
                    markersize=6, capsize=3, linestyle="none",
                    markerfacecolor="white" if hollow else styles.color[s])

    for row_i, fault in enumerate(faults):
        sub = [r for r in rows if r["faults"] == fault]
        ax = axes[row_i][0]
        for si, s in enumerate(strategies):
            offset = (si - (n - 1) / 2) * (0.8 / max(n, 1))
            for ci, cat in enumerate(categories):
                for r in sub:
                    if r["strategy"] == s and r["signals"] == cat:
                        errbar(ax, ci + offset, r, s)
        ax.set_xticks(range(len(categories)))
        ax.set_xticklabels(["none\n(0/s)" if c == "none" else c for c in categories])
        ax.set_xlim(-0.6, len(categories) - 0.4)
        for ci in range(len(categories) - 1):
            ax.axvline(ci + 0.5, color="#dddddd", linewidth=0.8)
        ax.set_ylim(-0.04, 1.04)
        ax.set_ylabel(f"hang rate (hung trials / trials)\nfaults: {fault}")
        ax.grid(axis="y", alpha=0.3)
        if row_i == 0:
            ax.set_title("schedules without a rate")
        if rated:
            ax2 = axes[row_i][1]
            for si, s in enumerate(strategies):
                factor = 10 ** ((si - (n - 1) / 2) * 0.012)
                for kind, style, shift in (("poisson", "-", 1.0), ("periodic", "--", 1.06)):
                    pts = sorted(((parse_schedule(r["signals"])[1], r) for r in sub
                                  if r["strategy"] == s and parse_schedule(r["signals"])[0] == kind),
                                 key=lambda p: p[0])
                    if not pts:
                        continue
                    xs = [p[0] * factor * shift for p in pts]
                    ys = [num(p[1]["hang_rate"]) for p in pts]
                    ax2.plot(xs, ys, color=styles.color[s], linestyle=style, linewidth=1.2)
                    for x, (_, r) in zip(xs, pts):
                        errbar(ax2, x, r, s, hollow=kind == "periodic")
            ax2.set_xscale("log")
            ax2.set_xlabel("signals per second (log)")
            ax2.grid(alpha=0.3, which="both")
            if row_i == 0:
                ax2.set_title("poisson:RATE (filled, solid) and periodic:RATE (hollow, dashed)")
    axes[-1][0].set_xlabel("signal schedule")

    title = f"Hang rate against the signal schedule: scenario {scenario}"
    fig.suptitle(title, fontsize=13)
    caption = ("Points: fraction of trials with an item not completed by its deadline; bars: 95% Wilson "
               "interval (hang_rate_ci_low/high). A strategy that fails or cancels its items instead of "
               "hanging shows 0 here (see outcomes.png).\nnone = no signals (0/s); one-shot = one signal before "
               "the first creation; storm = a signal before every creation; fatal:T = fatal signal at T.")
    if not rated:
        caption += "\nNo periodic:RATE or poisson:RATE schedules in this run, so there is no rate axis."
    caption = "\n".join(textwrap.fill(line, width=int(fig_w * 15)) for line in caption.split("\n"))
    fig.text(0.01, 0.01, caption, fontsize=8, va="bottom", ha="left", color="#333333")
    strategy_legend(fig, styles, strategies, loc="outside right center", fontsize=8, title_fontsize=9)
    bottom_in = 0.15 + 0.15 * (caption.count("\n") + 1)
    fig.get_layout_engine().set(rect=(0, bottom_in / fig_h, 1, 1 - bottom_in / fig_h))
    save(fig, out)


PERCENTILES = [  # column, cumulative fraction it is drawn at, tick label
    ("latency_p50_us", 0.5, "p50"),
    ("latency_p90_us", 0.9, "p90"),
    ("latency_p99_us", 0.99, "p99"),
    ("latency_p999_us", 0.999, "p99.9"),
    ("latency_max_us", 0.9999, "max"),
]


def calibration_p50(summary, name):
    for r in summary:
        if r["strategy"] == CALIBRATION and r["scenario"] == name:
            value = num(r["latency_p50_us"])
            if finite(value) and value > 0:
                return value
    return None


def has_latency(r):
    return any(finite(num(r[c])) and num(r[c]) > 0 for c, _, _ in PERCENTILES)


def fig_cdf(summary, trials, styles, out, args):
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import NullFormatter, NullLocator

    rows = model_rows(summary)
    scenario = pick_scenario(rows, args.scenario, "--scenario")
    if scenario is None:
        scenarios = list(OrderedDict.fromkeys(r["scenario"] for r in rows))
        steady = [s for s in scenarios if s.startswith("steady:")]
        if steady:
            scenario = steady[0]
        elif "first-worker" in scenarios:
            scenario = "first-worker"
        else:
            with_latency = [s for s in scenarios if any(has_latency(r) for r in rows if r["scenario"] == s)]
            if not with_latency:
                raise Skip("no scenario with latency percentiles")
            scenario = with_latency[0]
            print(f"note: no steady:* or first-worker scenario; latency CDF uses {scenario}")
    rows = [r for r in rows if r["scenario"] == scenario]
    panels = sorted({(r["signals"], r["faults"]) for r in rows if has_latency(r)},
                    key=lambda p: (faults_key(p[1]), schedule_key(p[0])))
    dropped = sorted({(r["signals"], r["faults"]) for r in rows} - set(panels),
                     key=lambda p: (faults_key(p[1]), schedule_key(p[0])))
    if not panels:
        raise Skip(f"no completed items (no latency percentiles) for scenario {scenario}")
    if len(panels) > 6:
        print(f"note: latency CDF shows 6 of {len(panels)} signal/fault combinations")
        panels = panels[:6]
    strategies = strategies_of(rows)
    futex = calibration_p50(summary, "futex-handoff")
    create = calibration_p50(summary, "thread-create")

    ncols = min(3, len(panels))
    nrows = math.ceil(len(panels) / ncols)
    fig_w = 1.0 + 5.0 * ncols + 2.8
    fig, axes = plt.subplots(nrows, ncols, figsize=(fig_w, 1.6 + 4.0 * nrows), squeeze=False,
                             sharex=True, sharey=True, layout="constrained")
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    for ax, (signals, fault) in zip(axes.flat, panels):
        missing = []
        for s in strategies:
            match = [r for r in rows if r["strategy"] == s and r["signals"] == signals and r["faults"] == fault]
            pts = [(num(match[0][c]), y) for c, y, _ in PERCENTILES if match] if match else []
            pts = [(x, y) for x, y in pts if finite(x) and x > 0]
            if not pts:
                missing.append(s)
                continue
            ax.plot([p[0] for p in pts], [p[1] for p in pts], color=styles.color[s],
                    marker=styles.marker[s], markersize=5, linewidth=1.4, alpha=0.85)
        if futex:
            ax.axvline(futex, color="#888888", linestyle=":", linewidth=1.2)
        if create:
            ax.axvline(create, color="#888888", linestyle="--", linewidth=1.2)
        ax.set_xscale("log")
        ax.set_yscale("logit")
        ax.set_ylim(0.35, 0.99994)
        ax.yaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_yticks([y for _, y, _ in PERCENTILES])
        ax.set_yticklabels([f"{label} ({y:g})" if label != "max" else "max" for _, y, label in PERCENTILES])
        ax.grid(alpha=0.3, which="major")
        ax.grid(alpha=0.12, which="minor", axis="x")
        ax.set_title(f"signals: {signals}, faults: {fault}", fontsize=10)
        if missing:
            ax.text(0.98, 0.03, "no completed items:\n" + "\n".join(missing), transform=ax.transAxes,
                    ha="right", va="bottom", fontsize=7, color="#555555",
                    bbox=dict(boxstyle="round", facecolor="white", edgecolor="#cccccc", alpha=0.9))
    for ax in axes[-1]:
        ax.set_xlabel("latency, submit to completion (µs, log)")
    if dropped:
        names = ", ".join(sig if f == "none" else f"{sig} / faults {f}" for sig, f in dropped)
        fig.supxlabel(f"Not shown, no strategy completed an item: {names}", fontsize=8, color="#555555")
    for ax in axes[:, 0]:
        ax.set_ylabel("cumulative fraction of items (logit)")
    fig.suptitle(f"Latency CDF: scenario {scenario}\napproximated from summary.csv percentiles "
                 f"p50/p90/p99/p99.9/max (all trials pooled), points joined by straight lines", fontsize=12)
    legend = strategy_legend(fig, styles, strategies, loc="outside right upper",
                             fontsize=8, title_fontsize=9)
    refs = []
    if futex:
        refs.append(Line2D([], [], color="#888888", linestyle=":", label=f"futex handoff p50\n({futex:g} µs)"))
    if create:
        refs.append(Line2D([], [], color="#888888", linestyle="--", label=f"pthread_create p50\n({create:g} µs)"))
    if refs:
        fig.add_artist(legend)
        fig.legend(handles=refs, title="calibration", loc="outside right lower",
                   fontsize=8, title_fontsize=9)
    save(fig, out)


def fig_burst(summary, trials, styles, out, args):
    import matplotlib.pyplot as plt

    rows = [r for r in model_rows(summary) if re.fullmatch(r"burst:[0-9]+", r["scenario"])
            and r["signals"] == "none" and r["faults"] == "none"
            and finite(num(r["throughput_items_per_s"]))]
    if not rows:
        raise Skip("no burst:N rows with signals none and faults none")
    per_trial = defaultdict(list)
    for t in trials:
        value = num(t["throughput_items_per_s"])
        if (t["signals"] == "none" and t["faults"] == "none" and t["scenario"].startswith("burst:")
                and finite(value)):
            per_trial[(t["strategy"], t["scenario"])].append(value)
    strategies = strategies_of(rows)
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


def fig_outcomes(summary, trials, styles, out, args):
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    rows = [r for r in model_rows(summary) if num(r["items_submitted"]) > 0]
    if not rows:
        raise Skip("no rows with items submitted")
    wanted = args.outcomes_scenario
    if wanted and wanted != "all":
        pick_scenario(rows, wanted, "--outcomes-scenario")
        rows = [r for r in rows if r["scenario"] == wanted]
        scope = f"scenario {wanted}"
    else:
        scope = "mean over the scenarios run with each schedule, each scenario weighted equally"
    schedules = sorted({r["signals"] for r in rows}, key=schedule_key)
    faults = sorted({r["faults"] for r in rows}, key=faults_key)
    strategies = strategies_of(rows)

    # (strategy, signals, faults) -> list of per-scenario fraction vectors.
    fractions = defaultdict(list)
    for r in rows:
        submitted = num(r["items_submitted"])
        parts = [max(0.0, num(r[c])) if finite(num(r[c])) else 0.0 for c, _, _ in OUTCOMES]
        other = max(0.0, submitted - sum(parts))
        fractions[(r["strategy"], r["signals"], r["faults"])].append(
            [p / submitted for p in parts] + [other / submitted])
    any_other = any(v[-1] > 1e-9 for vs in fractions.values() for v in vs)

    ncols, nrows = len(schedules), len(faults)
    fig_w = 2.6 + 2.7 * ncols
    fig_h = 1.5 + max(2.0, 0.42 * len(strategies)) * nrows
    fig, axes = plt.subplots(nrows, ncols, figsize=(fig_w, fig_h), squeeze=False, sharex=True, sharey=True,
                             layout="constrained")
    colours = [c for _, _, c in OUTCOMES] + ["#cccccc"]
    ys = list(range(len(strategies)))
    for ri, fault in enumerate(faults):
        for ci, sched in enumerate(schedules):
            ax = axes[ri][ci]
            for yi, s in enumerate(strategies):
                vectors = fractions.get((s, sched, fault))
                if not vectors:
                    ax.text(0.02, yi, "not run", va="center", fontsize=7, color="#888888")
                    continue
                mean = [sum(v[k] for v in vectors) / len(vectors) for k in range(len(colours))]
                left = 0.0
                for k, width in enumerate(mean):
                    if width > 0:
                        ax.barh(yi, width, left=left, color=colours[k], height=0.75,
                                hatch="//" if k == len(OUTCOMES) else None, edgecolor="white", linewidth=0.4)
                        if width >= 0.14:
                            ax.text(left + width / 2, yi, f"{width:.0%}", ha="center", va="center",
                                    fontsize=7, color="white" if k < len(OUTCOMES) else "black")
                    left += width
            ax.set_xlim(0, 1)
            ax.set_ylim(len(strategies) - 0.5, -0.5)
            ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
            ax.set_xticklabels(["", "25%", "50%", "75%", ""])
            ax.grid(axis="x", alpha=0.3)
            title = f"signals: {sched}" if ri == 0 else ""
            if not wanted or wanted == "all":
                count = len({r["scenario"] for r in rows if r["signals"] == sched and r["faults"] == fault})
                title += ("\n" if title else "") + f"{count} scenario{'s' if count != 1 else ''}"
            if title:
                ax.set_title(title, fontsize=9 if ri else 10)
            if ci == 0:
                ax.set_yticks(ys)
                ax.set_yticklabels(strategies, fontsize=9)
                if nrows > 1:
                    ax.set_ylabel(f"faults: {fault}", fontsize=10)
            if ri == nrows - 1:
                ax.set_xlabel("fraction of items submitted", fontsize=9)
    handles = [Patch(color=c, label=label) for _, label, c in OUTCOMES]
    if any_other:
        handles.append(Patch(facecolor="#cccccc", hatch="//", label="unaccounted"))
    fig.suptitle(f"Item outcomes per strategy ({scope})", fontsize=12)
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=9, frameon=False)
    save(fig, out)


def times(ratio: float) -> str:
    if ratio >= 100:
        return f"{ratio:.0f}×"
    if ratio >= 10:
        return f"{ratio:.1f}×"
    return f"{ratio:.2f}×"


def fig_first_worker(summary, trials, styles, out, args):
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.transforms import blended_transform_factory as blend

    create = calibration_p50(summary, "thread-create")
    if create is None:
        raise Skip("no calibration thread-create row with a p50")
    rows = [r for r in model_rows(summary) if r["scenario"] == "first-worker" and r["faults"] == "none"]
    if not rows:
        raise Skip("no first-worker rows with faults none")
    schedules = sorted({r["signals"] for r in rows}, key=schedule_key)
    if len(schedules) > 4:
        print(f"note: first-worker figure shows 4 of {len(schedules)} signal schedules")
        schedules = schedules[:4]
    strategies = strategies_of(rows)
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


PLOTTERS = {
    "hang": fig_hang,
    "cdf": fig_cdf,
    "burst": fig_burst,
    "outcomes": fig_outcomes,
    "first_worker": fig_first_worker,
}


# --------------------------------------------------------------------------------------------- main

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Plot an iowq-bench results folder into RESULTS_DIR/plots/.")
    parser.add_argument("results_dir", metavar="RESULTS_DIR")
    parser.add_argument("--scenario", help="scenario of the latency CDF (default: the first steady:*, "
                                           "else first-worker)")
    parser.add_argument("--hang-scenario", help="scenario of the hang-rate figure (default: first-worker)")
    parser.add_argument("--outcomes-scenario", default="all",
                        help="scenario of the outcomes figure, or 'all' for the mean over scenarios (default)")
    args = parser.parse_args(argv)

    folder = args.results_dir
    try:
        if not os.path.isdir(folder):
            raise DataError(f"{folder}: no such directory")
        summary = load_csv(os.path.join(folder, "summary.csv"), SUMMARY_REQUIRED)
        trials = load_csv(os.path.join(folder, "trials.csv"), TRIALS_REQUIRED)
    except DataError as error:
        print(f"plot.py: error: {error}", file=sys.stderr)
        return 2

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401  (fails early if the install is broken)
    except ImportError as error:
        print(f"plot.py: error: {error}; install with: pip install -r scripts/requirements.txt", file=sys.stderr)
        return 2

    plots = os.path.join(folder, "plots")
    os.makedirs(plots, exist_ok=True)
    styles = Styles(r["strategy"] for r in summary if r["strategy"] != CALIBRATION)
    written, broken = [], 0
    for key, name in FIGURES.items():
        path = os.path.join(plots, name)
        try:
            PLOTTERS[key](summary, trials, styles, path, args)
            written.append(path)
        except Skip as reason:
            print(f"skipped {name}: {reason}")
            if os.path.exists(path):
                os.remove(path)  # not left behind from an earlier run with other data
        except Exception as error:  # a bug in a figure must not cost the others
            print(f"plot.py: {name} failed: {type(error).__name__}: {error}", file=sys.stderr)
            broken += 1
            import matplotlib.pyplot as plt

            plt.close("all")
    print(f"wrote {len(written)} file(s):")
    for path in written:
        print(f"  {path}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
