"""Hang rate per strategy against the signal schedule, 95% Wilson intervals as error bars."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt

from .data import Skip, faults_key, finite, num, parse_schedule, pick_scenario, scenarios_of, schedule_key
from .style import save, strategy_legend

FILENAME = "hang_rate_vs_signals.png"


def plot(run, styles, out, args):
    rows = run.summary
    if not rows:
        raise Skip("no strategy rows in summary.csv")
    scenario = pick_scenario(rows, args.hang_scenario, "--hang-scenario")
    if scenario is None:
        scenarios = scenarios_of(rows)
        scenario = "first-worker" if "first-worker" in scenarios else scenarios[0]
    rows = [r for r in rows if r["scenario"] == scenario and finite(num(r["hang_rate"]))]
    if not rows:
        raise Skip(f"no hang rates for scenario {scenario}")

    faults = sorted({r["faults"] for r in rows}, key=faults_key)[:4]
    strategies = run.strategies_of(rows)
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
