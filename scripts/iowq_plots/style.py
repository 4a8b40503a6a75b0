"""One colour and marker per strategy, the same in every figure of a run; legends; saving.

Colours follow the vocabulary's families, each in its listed order: the classic strategies take
CLASSIC_COLORS, the upstream lineage a blue-to-green ramp (oldest first), the kernel near-black, the
peers a ramp and markers of their own; a family or name the vocabulary does not know, EXTRA_COLORS.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

# Classic strategies in their listed order: today naive (grey), pre-patch (red, it hangs),
# retry-via-workqueue (orange, the seed), eager (purple); more take EXTRA_COLORS.
CLASSIC_COLORS = ["#7f7f7f", "#d62728", "#ff7f0e", "#9467bd"]
KERNEL_COLORS = ["#111111", "#444444", "#6b6b6b"]
LINEAGE_RAMP = ("viridis", 0.12, 0.68)  # colormap, value of the first listed, span to the last
PEER_RAMP = ("RdPu", 0.45, 0.45)
EXTRA_COLORS = ["#8c564b", "#e377c2", "#bcbd22", "#17becf", "#1f77b4", "#2ca02c"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "<", ">", "d", "8"]  # every strategy but the peers, in turn
PEER_MARKERS = ["p", "h", "H"]  # pentagon and hexagons: the peers only


class Styles:
    """One colour and marker per strategy, the same in every figure of a run."""

    def __init__(self, vocabulary, strategies):
        """vocabulary: the run's (data.Vocabulary); strategies: the names its figures show."""
        self.color, self.marker = {}, {}
        extra = others = peers = 0
        for name in sorted(set(strategies), key=vocabulary.key):
            family = vocabulary.family(name)
            members = vocabulary.names(family) if family else []
            place = members.index(name) if family else 0
            if family == "classic" and place < len(CLASSIC_COLORS):
                self.color[name] = CLASSIC_COLORS[place]
            elif family == "lineage":
                self.color[name] = ramp(LINEAGE_RAMP, place, len(members))
            elif family == "kernel":
                self.color[name] = KERNEL_COLORS[place % len(KERNEL_COLORS)]
            elif family == "peer":
                self.color[name] = ramp(PEER_RAMP, place, len(members))
            else:
                self.color[name] = EXTRA_COLORS[extra % len(EXTRA_COLORS)]
                extra += 1
            if family == "peer":
                self.marker[name] = PEER_MARKERS[peers % len(PEER_MARKERS)]
                peers += 1
            else:
                self.marker[name] = MARKERS[others % len(MARKERS)]
                others += 1


def ramp(spec, place, count):
    """The colour of the place-th of count along a colormap, from its first value over its span."""
    name, first, span = spec
    return matplotlib.colormaps[name](first + span * place / max(1, count - 1))


def strategy_legend(fig, styles, strategies, labels=None, markers=True, **kwargs):
    """One entry per strategy in the order given; labels: strategy -> text (default its name);
    markers False for figures whose marker says something else."""
    labels = labels or {}
    handles = [Line2D([], [], color=styles.color[s], marker=styles.marker[s] if markers else None, linestyle="-",
                      label=labels.get(s, s)) for s in strategies]
    return fig.legend(handles=handles, title="strategy", **kwargs)


def plain_log_ticks(axis):
    """Ticks at 1, 2 and 5 times powers of ten, labelled as plain numbers (300, not 3x10^2)."""
    axis.set_major_locator(LogLocator(subs=(1, 2, 5)))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axis.set_minor_formatter(NullFormatter())


def save(fig, path):
    fig.savefig(path, dpi=120)
    plt.close(fig)
