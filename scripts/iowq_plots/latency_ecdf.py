"""Empirical latency CDFs per strategy for one configuration, read from its histograms/*.hgrm.

The summary's five percentiles cannot show a tail's shape, and a max placed at a fixed level would
claim a sample size the run did not have. The .hgrm holds every bucket's cumulative count, so the
CDF is drawn from the counts, ends at the max with all n items, and its tail is shown as 1 - F on a
log axis, where p99 and p99.9 are 1e-2 and 1e-3.
"""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory as blend

from .data import NOT_RUN, RAN, Skip, pick_scenario, row_state, scenarios_of
from .hgrm import Ecdf, path_of, read_ecdf
from .style import save, strategy_legend

FILENAME = "latency_ecdf.png"
TAIL_LEVELS = [(1e-2, "p99"), (1e-3, "p99.9"), (1e-4, "p99.99")]


@dataclass
class EcdfData:
    scenario: str
    signals: str
    faults: str
    ecdfs: dict[str, Ecdf]  # strategy -> its distribution, in figure order
    without: dict[str, str]  # strategy -> why it has no curve


def default_scenario(rows) -> str:
    """The first steady:* scenario with signals none, else burst:*, else first-worker."""
    plain = scenarios_of([r for r in rows if r["signals"] == "none" and r["faults"] == "none"])
    for prefix in ("steady:", "burst:", "first-worker"):
        match = [s for s in plain if s.startswith(prefix)]
        if match:
            return match[0]
    raise Skip("no steady:*, burst:* or first-worker rows with signals none and faults none; "
               "choose a configuration with --scenario, --latency-signals, --latency-faults")


def data(run, args) -> EcdfData:
    rows = run.summary
    scenario = pick_scenario(rows, args.scenario, "--scenario") or default_scenario(rows)
    chosen = [r for r in rows if r["scenario"] == scenario and r["signals"] == args.latency_signals
              and r["faults"] == args.latency_faults]
    if not chosen:
        present = sorted({f"{r['signals']}/{r['faults']}" for r in rows if r["scenario"] == scenario})
        raise Skip(f"scenario {scenario} has no rows with signals {args.latency_signals} and faults "
                   f"{args.latency_faults} (present: {', '.join(present)})")
    ecdfs, without = {}, {}
    for r in sorted(chosen, key=lambda r: run.vocabulary.key(r["strategy"])):
        path = path_of(run.folder, r, run.histograms)
        state = row_state(r)
        if state != RAN:
            without[r["strategy"]] = "did not run" if state == NOT_RUN else "its schedule sent no signal"
        elif not os.path.isfile(path):
            without[r["strategy"]] = "no ok item" if os.path.isdir(os.path.dirname(path)) else "no histogram"
        else:
            ecdfs[r["strategy"]] = read_ecdf(path)
    if not ecdfs:
        raise Skip(f"no histograms/*.hgrm for {scenario}, signals {args.latency_signals}, faults "
                   f"{args.latency_faults} (" + ", ".join(f"{s}: {why}" for s, why in without.items()) + ")")
    return EcdfData(scenario, args.latency_signals, args.latency_faults, ecdfs, without)


def curve(ecdf: Ecdf):
    """x and F through the file's rows, which are exact (F = 0 just below the smallest value); the
    rows between them that the writer skipped are not known, so the points are joined by lines."""
    return [ecdf.values[0], *ecdf.values], [0.0, *ecdf.fractions]


def plot(run, styles, out, args):
    drawn = data(run, args)
    fig, (cdf_ax, tail_ax) = plt.subplots(1, 2, figsize=(13.5, 5.4), sharex=True, layout="constrained")
    smallest_tail = 1.0
    for strategy, ecdf in drawn.ecdfs.items():
        xs, fs = curve(ecdf)
        style = dict(color=styles.color[strategy], linewidth=1.5, alpha=0.9)
        cdf_ax.plot(xs, fs, **style)
        tail_ax.plot(xs, [1 - f for f in fs], **style)
        tail_ax.plot([ecdf.max], [0.0], marker="v", color=styles.color[strategy], markersize=7, clip_on=False,
                     transform=blend(tail_ax.transData, tail_ax.transAxes))
        smallest_tail = min(smallest_tail, 1 / ecdf.n)
    low = min(e.values[0] for e in drawn.ecdfs.values()) / 1.5
    high = max(e.max for e in drawn.ecdfs.values()) * 1.5
    futex, create = run.calibration_p50("futex-handoff"), run.calibration_p50("thread-create")
    references = [(value, style, label) for value, style, label in
                  ((futex, ":", "futex handoff p50"), (create, "--", "pthread_create p50")) if value and low < value]
    for ax in (cdf_ax, tail_ax):
        ax.set_xscale("log")
        ax.set_xlim(low, high)
        ax.grid(alpha=0.3, which="major")
        ax.grid(alpha=0.1, which="minor", axis="x")
        ax.set_xlabel("latency, submit to completion (µs, log)")
        for value, style, _ in references:
            ax.axvline(value, color="#888888", linestyle=style, linewidth=1)
    cdf_ax.set_ylim(0, 1.02)
    cdf_ax.set_ylabel("F: fraction of ok items at or below")
    cdf_ax.set_title("CDF", fontsize=10)
    tail_ax.set_yscale("log")
    tail_ax.set_ylim(smallest_tail / 3, 1.05)
    tail_ax.set_ylabel("1 - F: fraction of ok items above (log)")
    tail_ax.set_title("tail: 1 - F, log (▼ the max, where 1 - F reaches 0)", fontsize=10)
    for level, label in TAIL_LEVELS:
        if level >= smallest_tail:
            tail_ax.axhline(level, color="#bbbbbb", linewidth=0.8)
            tail_ax.annotate(label, (1, level), xycoords=("axes fraction", "data"), xytext=(3, 0),
                             textcoords="offset points", va="center", fontsize=8, color="#666666")

    strategies = list(drawn.ecdfs)
    legend = strategy_legend(fig, styles, strategies, labels={s: f"{s} (n={e.n:,})" for s, e in drawn.ecdfs.items()},
                             markers=False, loc="outside right upper", fontsize=8, title_fontsize=9)
    if references:
        fig.add_artist(legend)
        fig.legend(handles=[Line2D([], [], color="#888888", linestyle=style, label=f"{label}\n({value:g} µs)")
                            for value, style, label in references],
                   title="calibration", loc="outside right lower", fontsize=8, title_fontsize=9)
    fig.suptitle(f"Latency of ok items: scenario {drawn.scenario}, signals {drawn.signals}, faults {drawn.faults}",
                 fontsize=12)
    caption = ("Empirical CDF through the rows of histograms/*.hgrm: exact cumulative counts at values kept to 3 "
               "significant digits, joined by lines; all trials pooled; n = ok items; latency from submission (in "
               "steady, from the scheduled arrival) to completion.")
    if drawn.without:
        caption += " No curve: " + ", ".join(f"{s} ({why})" for s, why in drawn.without.items()) + "."
    fig.supxlabel(textwrap.fill(caption, width=200), fontsize=8, color="#333333")
    save(fig, out)
