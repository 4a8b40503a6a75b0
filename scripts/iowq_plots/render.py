"""Every figure of a run into RESULTS_DIR/plots/: absent data skips a figure, a broken one spares the rest."""

from __future__ import annotations

import os
import sys

import matplotlib.pyplot as plt

from . import burst, fidelity, first_worker, hang_vs_delivered_rate, latency_ecdf, outcomes_heatmap
from .data import Skip, split_by_host
from .style import Styles

# The modules, in the order they are drawn.
FIGURES = [hang_vs_delivered_rate, latency_ecdf, burst, outcomes_heatmap, first_worker, fidelity]


def render(run, args, prog="plot.py"):
    """Write the figures, a set per host when the run's rows come from several (a merged run of
    several kernels: plots/<release>[-emulated]/); returns (paths written, figures that failed)."""
    written, broken = [], 0
    for label, part in split_by_host(run):
        if label:
            print(f"{label}: {len(part.summary)} rows")
        paths, failed = render_one(part, args, prog)
        written += paths
        broken += failed
    return written, broken


def render_one(run, args, prog):
    plots = os.path.join(run.folder, run.plots)
    os.makedirs(plots, exist_ok=True)
    unknown = run.unknown_strategies()
    if unknown:
        print(f"note: not in the run's vocabulary, drawn last: {', '.join(unknown)}")
    styles = Styles(run.vocabulary, run.strategies())
    written, broken = [], 0
    for figure in FIGURES:
        name = figure.FILENAME
        path = os.path.join(plots, name)
        try:
            figure.plot(run, styles, path, args)
            written.append(path)
        except Skip as reason:
            print(f"skipped {name}: {reason}")
            if os.path.exists(path):
                os.remove(path)  # not left behind from an earlier run with other data
        except Exception as error:  # a bug in a figure must not cost the others
            print(f"{prog}: {name} failed: {type(error).__name__}: {error}", file=sys.stderr)
            broken += 1
            plt.close("all")
    return written, broken
