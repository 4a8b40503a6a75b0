"""Reading one results folder: summary.csv, trials.csv, calibration, the strategies' vocabulary.

The strategies, their order and their family are the run's own: meta.json's "vocabulary", written by
bench (the object `bench list --json` prints). An older run without one asks a bench binary:
$IOWQ_BENCH, else <repo>/.build/release/bench, else <repo>/.build/debug/bench.

Nothing here imports matplotlib, so a bad folder is reported before the plotting library loads.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import subprocess
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
CALIBRATION_REQUIRED = ["calibration", "samples", "p50_us", "p90_us", "p99_us", "max_us"]

# Older runs wrote calibration as two summary.csv rows of this pseudo-strategy: never a strategy to plot.
CALIBRATION = "calibration"

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH_ENV = "IOWQ_BENCH"
BENCH_TIMEOUT_S = 60


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


def has_column(rows, name: str) -> bool:
    """Whether the file the rows came from has the column (older runs lack the newer ones)."""
    return bool(rows) and name in rows[0]


# ------------------------------------------------------------------------------- what a row measured

NOT_RUN_NOTES = ("not applicable", "kernel anchor unavailable")
# Older runs: "timed schedule delivered no signal in any trial"; now "... sent no signal inside any of the N trials".
IDLE_NOTES = ("timed schedule delivered no signal", "timed schedule sent no signal")
RAN, NOT_RUN, SCHEDULE_IDLE = "ran", "not run", "schedule idle"


def row_state(row) -> str:
    """RAN; NOT_RUN when its trials could not run (its rates are empty, not 0); SCHEDULE_IDLE when its
    timed schedule sent nothing inside any trial, so it measured the configuration without the schedule."""
    note = row.get("note", "")
    if note.startswith(IDLE_NOTES):
        return SCHEDULE_IDLE
    if note.startswith(NOT_RUN_NOTES) or not finite(num(row["hang_rate"])):
        return NOT_RUN
    return RAN


# ------------------------------------------------------------------------------ names and ordering

def parse_schedule(text: str):
    """(kind, rate): none is rate 0; periodic/poisson carry their rate in signals/s; the rest None."""
    if text == "none":
        return "none", 0.0
    if text in ("one-shot", "storm") or re.fullmatch(r"storm:[0-9]+", text):
        return text.split(":")[0], None
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


# -------------------------------------------------------------------------------------- vocabulary

@dataclass(frozen=True)
class Strategy:
    name: str
    family: str  # "classic", "lineage", "kernel", "peer", or one this script does not know yet
    summary: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """The strategies in the order every figure shows them, with their family; the other forms as given."""

    strategies: tuple[Strategy, ...]
    scenarios: tuple = ()
    signals: tuple = ()
    faults: tuple = ()

    @classmethod
    def from_json(cls, value, source: str) -> Vocabulary:
        """The vocabulary object of meta.json or `bench list --json`; DataError naming source if malformed."""
        if not isinstance(value, dict):
            raise DataError(f"{source}: the vocabulary is not a JSON object")
        entries = value.get("strategies")
        if not isinstance(entries, list) or not entries:
            raise DataError(f"{source}: the vocabulary has no \"strategies\" list")
        strategies, seen = [], set()
        for i, entry in enumerate(entries):
            name = entry.get("name") if isinstance(entry, dict) else None
            family = entry.get("family") if isinstance(entry, dict) else None
            if not isinstance(name, str) or not name or not isinstance(family, str) or not family:
                raise DataError(f"{source}: vocabulary strategies[{i}] needs a \"name\" and a \"family\"")
            if name in seen:
                raise DataError(f"{source}: vocabulary names strategy '{name}' twice")
            seen.add(name)
            summary = entry.get("summary")
            strategies.append(Strategy(name, family, summary if isinstance(summary, str) else ""))
        others = {}
        for key in ("scenarios", "signals", "faults"):
            items = value.get(key, [])
            if not isinstance(items, list):
                raise DataError(f"{source}: vocabulary \"{key}\" is not a list")
            others[key] = tuple(items)
        return cls(tuple(strategies), **others)

    def names(self, family: str | None = None) -> list[str]:
        """The strategy names in their listed order; only those of one family if given."""
        return [s.name for s in self.strategies if family is None or s.family == family]

    def family(self, name: str) -> str | None:
        return next((s.family for s in self.strategies if s.name == name), None)

    def key(self, name: str):
        """Sort key: the listed order; names the vocabulary does not know come last, by name."""
        names = self.names()
        return (names.index(name), name) if name in names else (len(names), name)

    def scenario_key(self, scenario: str):
        """Sort key: the listed order of scenario forms (burst:N is one form), then the size, then the name."""
        forms = [str(entry.get("form", "")).split(":")[0] for entry in self.scenarios if isinstance(entry, dict)]
        base = scenario.split(":")[0]
        size = scenario_size(scenario)
        return (forms.index(base) if base in forms else len(forms), base, size or 0.0, scenario)


def find_bench(repo_root: str = REPO_ROOT, environ=None) -> tuple[str | None, list[str]]:
    """The first executable of $IOWQ_BENCH, <repo>/.build/release/bench, <repo>/.build/debug/bench;
    (None, what was tried) when there is none."""
    environ = os.environ if environ is None else environ
    candidates = []
    if environ.get(BENCH_ENV):
        candidates.append(environ[BENCH_ENV])
    candidates += [os.path.join(repo_root, ".build", config, "bench") for config in ("release", "debug")]
    for path in candidates:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path, candidates
    tried = [] if environ.get(BENCH_ENV) else [f"${BENCH_ENV} (not set)"]
    return None, tried + candidates


def bench_vocabulary(bench: str, why: str) -> Vocabulary:
    """The vocabulary `bench list --json` prints; DataError (one line, starting with why) if it cannot."""
    command = f"{bench} list --json"
    try:
        done = subprocess.run([bench, "list", "--json"], capture_output=True, text=True, timeout=BENCH_TIMEOUT_S,
                              stdin=subprocess.DEVNULL)
    except OSError as error:
        raise DataError(f"{why}, and {command} could not start: {error.strerror or error}")
    except subprocess.TimeoutExpired:
        raise DataError(f"{why}, and {command} did not answer in {BENCH_TIMEOUT_S} s")
    if done.returncode != 0:
        said = next((line.strip() for line in done.stderr.splitlines() if line.strip()), "no message")
        raise DataError(f"{why}, and {command} failed (exit {done.returncode}: {said}); build bench from this "
                        f"checkout (swift build -c release --product bench) or set {BENCH_ENV} to one that has "
                        f"list --json")
    try:
        value = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        raise DataError(f"{why}, and {command} did not print JSON ({error})")
    return Vocabulary.from_json(value, command)


def load_vocabulary(folder: str, repo_root: str = REPO_ROOT, environ=None) -> Vocabulary:
    """The run's vocabulary from its meta.json, else from `bench list --json` (older runs)."""
    path = os.path.join(folder, "meta.json")
    if os.path.isfile(path):
        try:
            with open(path) as handle:
                meta = json.load(handle)
        except (OSError, ValueError) as error:
            raise DataError(f"{path}: not readable as JSON ({error})")
        if not isinstance(meta, dict):
            raise DataError(f"{path}: not a JSON object")
        if "vocabulary" in meta:
            return Vocabulary.from_json(meta["vocabulary"], path)
        why = f"{path} has no \"vocabulary\" (an older run)"
    else:
        why = f"{path}: no such file"
    bench, tried = find_bench(repo_root, environ)
    if bench is None:
        raise DataError(f"{why}, and no bench binary to list the strategies (tried {', '.join(tried)}): build it "
                        f"with 'swift build -c release --product bench' or set {BENCH_ENV} to its path")
    return bench_vocabulary(bench, why)


# ------------------------------------------------------------------------------------------ a run

@dataclass
class Run:
    """One results folder, read: the strategies' summary rows (never calibration), trials, calibration."""

    folder: str
    summary: list[dict]
    trials: list[dict]
    calibration: dict[str, dict]
    vocabulary: Vocabulary
    # Where the .hgrm files and the figures go, under folder: a merged run of several hosts keeps
    # each host's histograms in a folder of its own and gets a set of figures per host.
    histograms: str = "histograms"
    plots: str = "plots"

    def strategies(self) -> list[str]:
        """Every strategy of the summary, in figure order."""
        return self.strategies_of(self.summary)

    def strategies_of(self, rows) -> list[str]:
        return sorted({r["strategy"] for r in rows}, key=self.vocabulary.key)

    def unknown_strategies(self) -> list[str]:
        """Strategies of the summary that the vocabulary does not name."""
        return [s for s in self.strategies() if self.vocabulary.family(s) is None]

    def calibration_p50(self, name: str):
        """The calibrated p50 in µs of futex-handoff or thread-create; None when absent or not positive."""
        value = num(self.calibration.get(name, {}).get("p50_us"))
        return value if finite(value) and value > 0 else None


def load_calibration(folder: str, summary: list[dict], host: tuple[str, bool] | None = None) -> dict[str, dict]:
    """Calibration name (futex-handoff, thread-create) -> its samples, p50_us, p90_us, p99_us, max_us
    (text cells): from calibration.csv when the run has one, else from the summary.csv rows of the
    pseudo-strategy "calibration" that older runs wrote. The first row of a name counts; with a host,
    the first of that host's (a merged run's calibration.csv says where each row was made)."""
    found = {}
    path = os.path.join(folder, "calibration.csv")
    if os.path.isfile(path):
        for r in load_csv(path, CALIBRATION_REQUIRED):
            if host is not None and "kernel_release" in r and host_of(r) != host:
                continue  # a merged run's calibration of another host
            found.setdefault(r["calibration"], {k: r[k] for k in CALIBRATION_REQUIRED[1:]})
        return found
    for r in summary:
        if r["strategy"] == CALIBRATION:
            found.setdefault(r["scenario"], {"samples": r["items_submitted"], "p50_us": r["latency_p50_us"],
                                             "p90_us": r["latency_p90_us"], "p99_us": r["latency_p99_us"],
                                             "max_us": r["latency_max_us"]})
    return found


def load_run(folder: str, repo_root: str = REPO_ROOT, environ=None) -> Run:
    """Read a results folder; DataError (one line) when it cannot be plotted. repo_root and environ
    say where to look for a bench binary when the run has no vocabulary of its own."""
    if not os.path.isdir(folder):
        raise DataError(f"{folder}: no such directory")
    summary = load_csv(os.path.join(folder, "summary.csv"), SUMMARY_REQUIRED)
    trials = load_csv(os.path.join(folder, "trials.csv"), TRIALS_REQUIRED)
    calibration = load_calibration(folder, summary)
    vocabulary = load_vocabulary(folder, repo_root, environ)
    return Run(folder=folder,
               summary=[r for r in summary if r["strategy"] != CALIBRATION],
               trials=[t for t in trials if t["strategy"] != CALIBRATION],
               calibration=calibration,
               vocabulary=vocabulary)


def host_of(row) -> tuple[str, bool]:
    """Where a row ran: (kernel release, emulated); ("", False) in runs before those columns."""
    return (row.get("kernel_release") or "", (row.get("emulated") or "") == "1")


def host_folder(host: tuple[str, bool]) -> str:
    """The folder bench merge gives a host's histograms (and plot.py its figures): the release, with
    -emulated when it ran emulated, anything but letters, digits, '-', '.' and '_' spelled '-'."""
    name = host[0] + ("-emulated" if host[1] else "")
    return "".join(c if c.isalnum() or c in "-._" else "-" for c in name)


def split_by_host(run: Run) -> list[tuple[str, Run]]:
    """A run as (host label, run of that host's rows) pairs: the run itself when its rows come from
    one host, else one run per host, whose histograms and figures live in that host's folder. A
    figure of rows from several kernels would put the same configuration in one place twice."""
    hosts = sorted({host_of(r) for r in run.summary})
    if len(hosts) <= 1:
        return [("", run)]
    runs = []
    for host in hosts:
        folder = host_folder(host)
        runs.append((host[0] + (" (emulated)" if host[1] else ""),
                     Run(folder=run.folder,
                         summary=[r for r in run.summary if host_of(r) == host],
                         trials=[t for t in run.trials if host_of(t) == host],
                         calibration=load_calibration(run.folder, run.summary, host), vocabulary=run.vocabulary,
                         histograms=os.path.join("histograms", folder), plots=os.path.join("plots", folder))))
    return runs
