"""Item outcomes per strategy: ok / cancelled / failed / hung as fractions of the items submitted."""

from __future__ import annotations

from collections import defaultdict

import matplotlib.pyplot as plt
from matplotlib.patches import Patch

from .data import Skip, faults_key, finite, num, pick_scenario, schedule_key
from .style import OUTCOMES, UNACCOUNTED, save

FILENAME = "outcomes.png"


def plot(run, styles, out, args):
    rows = [r for r in run.summary if num(r["items_submitted"]) > 0]
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
    strategies = run.strategies_of(rows)

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
    colours = [c for _, _, c in OUTCOMES] + [UNACCOUNTED]
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
        handles.append(Patch(facecolor=UNACCOUNTED, hatch="//", label="unaccounted"))
    fig.suptitle(f"Item outcomes per strategy ({scope})", fontsize=12)
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=9, frameon=False)
    save(fig, out)

