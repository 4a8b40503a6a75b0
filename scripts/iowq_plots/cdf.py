"""Latency CDF per strategy for one scenario, drawn from the summary.csv percentiles."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.ticker import NullFormatter, NullLocator

from .data import Skip, faults_key, finite, num, pick_scenario, scenarios_of, schedule_key
from .style import save, strategy_legend

FILENAME = "latency_cdf.png"

PERCENTILES = [  # column, cumulative fraction it is drawn at, tick label
    ("latency_p50_us", 0.5, "p50"),
    ("latency_p90_us", 0.9, "p90"),
    ("latency_p99_us", 0.99, "p99"),
    ("latency_p999_us", 0.999, "p99.9"),
    ("latency_max_us", 0.9999, "max"),
]


def has_latency(r):
    return any(finite(num(r[c])) and num(r[c]) > 0 for c, _, _ in PERCENTILES)


def plot(run, styles, out, args):
    rows = run.summary
    scenario = pick_scenario(rows, args.scenario, "--scenario")
    if scenario is None:
        scenarios = scenarios_of(rows)
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
    strategies = run.strategies_of(rows)
    futex = run.calibration_p50("futex-handoff")
    create = run.calibration_p50("thread-create")

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

