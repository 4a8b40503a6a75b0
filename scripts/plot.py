#!/usr/bin/env python3
"""Plots for one iowq-bench results folder.

    scripts/plot.py RESULTS_DIR [--scenario SCENARIO] [--latency-signals SIGNALS] [--latency-faults FAULTS]
                                [--hang-scenario SCENARIO] [--outcomes-scenario SCENARIO|all]

Reads RESULTS_DIR/summary.csv, trials.csv, calibration.csv (older runs: the calibration rows of
summary.csv), histograms/*.hgrm, fidelity.csv (written by bench fidelity) and meta.json, whose
"vocabulary" names the strategies, their order and family (older runs without one: `bench list --json`,
bench being $IOWQ_BENCH, else .build/release/bench, else .build/debug/bench), and writes PNGs into
RESULTS_DIR/plots/:

  hang_vs_delivered_rate.png  stuck rate (95% Wilson bars) against signals delivered per second of work,
                              per strategy, one panel per scenario with periodic/poisson schedules
  latency_ecdf.png            empirical latency CDF and its tail (1 - F, log) per strategy for one
                              configuration, from histograms/*.hgrm
  throughput_vs_burst.png     throughput against N for burst:N (signals none, faults none)
  outcomes_heatmap.png        strategies x configurations: colour the stuck rate, text the item
                              outcomes and the main cause of the stuck trials
  first_worker.png            first-worker time of every trial per strategy, beside pthread_create
  fidelity.png                model against the live kernel (bench fidelity): per scenario and signal
                              schedule, the stuck rate of the kernel, the preset modelling it and the
                              next preset (95% Wilson bars), and the verdict agree/disagree

A run merged from several kernels (bench merge, bench kernels' merged/: rows with different
kernel_release or emulated) gets a set of figures per kernel, in plots/<release>[-emulated]/, each
from that kernel's rows, histograms and calibration: one figure of several kernels would draw the
same configuration twice in one place.

A figure whose data is absent from the run is skipped with a note (and a stale PNG of that name is
removed). The figures are the package iowq_plots beside this script, one module per figure.
Needs matplotlib and numpy: pip install -r scripts/requirements.txt
"""

from __future__ import annotations

import argparse
import sys

from iowq_plots.data import REPO_ROOT, DataError, load_run


def main(argv=None, repo_root=REPO_ROOT) -> int:
    """repo_root: where to look for .build/*/bench when a run has no vocabulary (tests move it)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results_dir", metavar="RESULTS_DIR")
    parser.add_argument("--scenario", help="scenario of the latency ECDF (default: the first steady:* with signals "
                                           "none, else burst:*, else first-worker)")
    parser.add_argument("--latency-signals", default="none", help="signal schedule of the latency ECDF (default: none)")
    parser.add_argument("--latency-faults", default="none", help="fault plan of the latency ECDF (default: none)")
    parser.add_argument("--hang-scenario", help="only this scenario in the stuck-rate figure (default: every "
                                                "scenario with periodic/poisson schedules)")
    parser.add_argument("--outcomes-scenario", default="all",
                        help="only this scenario's columns in the outcomes heatmap (default: all)")
    args = parser.parse_args(argv)

    try:
        run = load_run(args.results_dir, repo_root)
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

    from iowq_plots.render import render

    written, broken = render(run, args)
    print(f"wrote {len(written)} file(s):")
    for path in written:
        print(f"  {path}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
