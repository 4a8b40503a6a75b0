"""Reading one results folder: summary.csv, trials.csv, the strategies' names and order, calibration.

Nothing here imports matplotlib, so a bad folder is reported before the plotting library loads.
"""

from __future__ import annotations

import csv
import math
import os
import re
from collections import OrderedDict
from dataclasses import dataclass

SUMMARY_REQUIRED = [
    "strategy", "scenario", "signals", "faults", "trials",
    "items_submitted", "items_ok", "items_cancelled", "items_failed", "items_hung",
    "hang_rate", "hang_rate_ci_low", "hang_rate_ci_high",
    "latency_p50_us", "latency_p90_us", "latency_p99_us", "latency_p999_us", "latency_max_us",
    "throughput_items_per_s",
]
TRIALS_REQUIRED = ["strategy", "scenario", "signals", "faults", "trial", "throughput_items_per_s"]

CALIBRATION = "calibration"

# The order strategies appear in every figure: the historical line first, then the alternatives.
KNOWN_STRATEGIES = [
    "naive", "pre-patch", "retry-via-workqueue",
    "retry-5.15", "retry-5.16", "retry-6.11", "retry-6.14", "retry-6.19",
    "eager", "kernel",
]
LINEAGE = ["retry-5.15", "retry-5.16", "retry-6.11", "retry-6.14", "retry-6.19"]


class DataError(Exception):
    """A folder that cannot be plotted: reported as one line, exit status 2."""


class Skip(Exception):
    """The data a figure needs is absent: print the reason, write nothing."""


# ----------------------------------------------------------------------------------------- cells

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


def scenarios_of(rows) -> list[str]:
    """The scenarios of the rows in the order they first appear."""
    return list(OrderedDict.fromkeys(r["scenario"] for r in rows))


def pick_scenario(rows, wanted, option):
    """The scenario an option asked for (Skip when the run has none of it), or None when not asked."""
    if wanted is not None:
        scenarios = scenarios_of(rows)
        if wanted not in scenarios:
            raise Skip(f"scenario '{wanted}' ({option}) is not in this run "
                       f"(present: {', '.join(scenarios) or 'none'})")
        return wanted
    return None


# ------------------------------------------------------------------------------------------ a run

@dataclass
class Run:
    """One results folder, read: the strategies' summary rows (never calibration), trials, calibration."""

    folder: str
    summary: list[dict]
    trials: list[dict]
    calibration: dict[str, dict]

    def strategies(self) -> list[str]:
        """Every strategy of the summary, in figure order."""
        return self.strategies_of(self.summary)

    def strategies_of(self, rows) -> list[str]:
        return sorted({r["strategy"] for r in rows}, key=strategy_key)

    def calibration_p50(self, name: str):
        """The calibrated p50 in µs of futex-handoff or thread-create; None when absent or not positive."""
        value = num(self.calibration.get(name, {}).get("p50_us"))
        return value if finite(value) and value > 0 else None


def load_calibration(summary: list[dict]) -> dict[str, dict]:
    """Calibration name -> its samples, p50_us, p90_us, p99_us, max_us (text cells)."""
    found = {}
    for r in summary:
        if r["strategy"] == CALIBRATION and r["scenario"] not in found:
            found[r["scenario"]] = {"samples": r["items_submitted"], "p50_us": r["latency_p50_us"],
                                    "p90_us": r["latency_p90_us"], "p99_us": r["latency_p99_us"],
                                    "max_us": r["latency_max_us"]}
    return found


def load_run(folder: str) -> Run:
    """Read a results folder; DataError (one line) when it cannot be plotted."""
    if not os.path.isdir(folder):
        raise DataError(f"{folder}: no such directory")
    summary = load_csv(os.path.join(folder, "summary.csv"), SUMMARY_REQUIRED)
    trials = load_csv(os.path.join(folder, "trials.csv"), TRIALS_REQUIRED)
    calibration = load_calibration(summary)
    return Run(folder=folder,
               summary=[r for r in summary if r["strategy"] != CALIBRATION],
               trials=[t for t in trials if t["strategy"] != CALIBRATION],
               calibration=calibration)
