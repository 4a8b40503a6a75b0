"""One colour and marker per strategy, the same in every figure of a run; legends; saving."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D

from .data import LINEAGE, strategy_key

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
UNACCOUNTED = "#cccccc"


class Styles:
    """One colour and marker per strategy, the same in every figure of a run."""

    def __init__(self, strategies):
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


def strategy_legend(fig, styles, strategies, **kwargs):
    handles = [Line2D([], [], color=styles.color[s], marker=styles.marker[s], linestyle="-", label=s)
               for s in strategies]
    return fig.legend(handles=handles, title="strategy", **kwargs)


def save(fig, path):
    fig.savefig(path, dpi=120)
    plt.close(fig)
