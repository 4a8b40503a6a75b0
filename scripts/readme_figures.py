#!/usr/bin/env python3
"""The figures of README.md and docs/*.md, generated from the committed run folders under results/.

    python3 scripts/readme_figures.py           # rewrite every figures block from results/*/
    python3 scripts/readme_figures.py --check   # exit 1, naming each block that differs (what the test runs)
    python3 scripts/readme_figures.py --list    # every block: its page and the files it reads

A block is the text between `<!-- figures:NAME -->` and `<!-- end figures:NAME -->` in a page; only
the text between the markers is ever rewritten, so the prose around a block is the author's and every
figure inside it is the runs'. Each block is one function below (BLOCKS): it reads results/*/ through
the plot package's CSV reader (iowq_plots.data.load_csv), meta.json and the fingerprint record that
meta.json holds, and says where its figures come from and on how many trials (n) they rest.

After a re-run is committed (results/fidelity, results/kernels, results/reference, results/peers),
run this script once and commit the pages with the run: docs/figures.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import pathlib
import re
import sys
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iowq_plots.data import DataError, finite, load_csv, num  # noqa: E402  (the plot package's CSV reader)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = re.compile(r"<!-- figures:(?P<name>[a-z0-9-]+) -->\n(?P<body>.*?)<!-- end figures:(?P=name) -->", re.S)
OPENING = re.compile(r"<!-- (end )?figures:([a-z0-9-]+) -->")


class FiguresError(Exception):
    """A page or run folder this script cannot use: one line, exit status 2."""


# ------------------------------------------------------------------------------------------ reading

class Runs:
    """The committed run folders, read once each."""

    def __init__(self, root: str = REPO_ROOT):
        self.root = root
        self.read: set[str] = set()  # the files the blocks used, relative to root
        self._cache: dict = {}

    def path(self, rel: str) -> str:
        return os.path.join(self.root, rel)

    def csv(self, rel: str, required: list[str]) -> list[dict]:
        if rel not in self._cache:
            self._cache[rel] = load_csv(self.path(rel), required)
        self.read.add(rel)
        return self._cache[rel]

    def json(self, rel: str) -> dict:
        if rel not in self._cache:
            try:
                with open(self.path(rel)) as handle:
                    self._cache[rel] = json.load(handle)
            except (OSError, ValueError) as error:
                raise FiguresError(f"{rel}: not readable as JSON ({error})")
        self.read.add(rel)
        return self._cache[rel]

    def meta(self, folder: str) -> dict:
        return self.json(f"{folder}/meta.json")

    def summary(self, folder: str) -> list[dict]:
        return self.csv(f"{folder}/summary.csv", ["strategy", "scenario", "signals", "faults", "trials"])

    def find(self, folder: str, strategy: str, scenario: str, signals: str = "none", faults: str = "none"):
        """The summary row of one configuration; None when the run has none."""
        for r in self.summary(folder):
            if (r["strategy"], r["scenario"], r["signals"], r["faults"]) == (strategy, scenario, signals, faults):
                return r
        return None

    def row(self, folder: str, strategy: str, scenario: str, signals: str = "none", faults: str = "none") -> dict:
        r = self.find(folder, strategy, scenario, signals, faults)
        if r is not None:
            return r
        raise FiguresError(f"{folder}/summary.csv: no row {strategy} {scenario} signals={signals} faults={faults}")


# ----------------------------------------------------------------------------------------- wording

def rate(x: float) -> str:
    return f"{x:.2f}"


def integer(x: float) -> str:
    return f"{int(round(x)):,}"


def percent(x: float) -> str:
    return f"{100 * x:.0f}%"


def interval(r: dict, prefix: str = "stuck_rate") -> str:
    """'0.97 [0.92, 0.99]' of a row's rate and its Wilson interval."""
    return f"{rate(num(r[prefix]))} [{rate(num(r[prefix + '_ci_low']))}, {rate(num(r[prefix + '_ci_high']))}]"


def trials(r: dict) -> int:
    value = num(r.get("trials"))
    return int(value) if finite(value) else 0


def measured(r: dict) -> bool:
    return finite(num(r.get("stuck_rate")))


# The item outcomes and the hang kinds are the run's own columns (items_*, hangs_*), so a kind or outcome a
# later build adds is shown without a change here.
# items_punted is a counter (items handed to io-wq), not where an item ended
NOT_OUTCOMES = ("items_submitted", "items_completed_twice", "items_punted")


def outcome_shares(r: dict) -> str:
    """'hung 0.70 ok 0.30': the item outcomes by share, largest first; '' when every item was ok."""
    submitted = num(r.get("items_submitted"))
    if not finite(submitted) or submitted <= 0:
        return ""
    shares = [(column[len("items_"):], num(value) / submitted) for column, value in r.items()
              if column.startswith("items_") and column not in NOT_OUTCOMES and finite(num(value)) and num(value) > 0]
    if shares == [("ok", 1.0)]:
        return ""
    return " ".join(f"{name} {share:.2f}" for name, share in sorted(shares, key=lambda s: -s[1]))


def hang_kinds(r: dict) -> str:
    """'no-worker 20': the stuck trials by kind, in the CSV's column order."""
    return ", ".join(f"{column[len('hangs_'):].replace('_', '-')} {int(num(value))}" for column, value in r.items()
                     if column.startswith("hangs_") and finite(num(value)) and num(value) > 0)


def not_measured(r: dict) -> str:
    note = r.get("note", "")
    if note.startswith("timed schedule"):
        return "schedule idle (no signal sent in any trial)"
    if note.startswith("not applicable"):
        return "not applicable"
    return "not run"


def stuck_cell(r: dict, extras: tuple = (), show_n: bool = True, zeros: bool = False) -> str:
    """The stuck rate with its interval and n, the outcomes when not all ok, the kinds, and extra counters
    ((column, label) pairs: shown when positive, or when measured at all with zeros)."""
    if not measured(r):
        return not_measured(r)
    parts = [interval(r) + (f" (n {trials(r)})" if show_n else "")]
    shares = outcome_shares(r)
    if shares:
        parts.append(shares)
    kinds = hang_kinds(r)
    if kinds:
        parts.append(kinds)
    if r.get("crash_signals"):
        parts.append(r["crash_signals"])
    for column, label in extras:
        value = num(r.get(column, ""))
        if finite(value) and (value > 0 or zeros):
            parts.append(f"{label} {integer(value)}")
    return ", ".join(parts)


def schedule_label(signals: str) -> str:
    """periodic:10000 -> periodic 10k, poisson:10000 -> Poisson 10k."""
    m = re.fullmatch(r"(periodic|poisson):([0-9.]+)", signals)
    if not m:
        return signals
    value = float(m.group(2))
    short = f"{value / 1000:g}k" if value >= 1000 else f"{value:g}"
    return ("Poisson " if m.group(1) == "poisson" else "periodic ") + short


def duration(start: str, end: str) -> str:
    """'9 min 22 s' between two meta.json times."""
    def parse(text):
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    seconds = round((parse(end) - parse(start)).total_seconds())
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def commit(meta: dict) -> str:
    value = meta.get("git_commit") or "unknown"
    return value[:12] if re.fullmatch(r"[0-9a-f]{40}", value) else f"`{value}`"


def source(runs: Runs, folder: str, files: str, n: str) -> str:
    """The caption every table carries: its files, the command, kernel and build, and its n."""
    meta = runs.meta(folder)
    kernel = meta.get("kernel_release") or ", ".join(meta.get("kernel_releases", []))
    took = ""
    if meta.get("start_time") and meta.get("end_time"):
        took = f", {duration(meta['start_time'], meta['end_time'])}"
    return (f"Source: `{folder}/` ({files}; `{command_of(meta)}`, Linux {kernel}, build {commit(meta)}{took}). "
            f"n: {n}.")


def command_of(meta: dict) -> str:
    """The run's command line as `bench ...`, without its --out (where it was written first, not where it is)."""
    words, out = ["bench"], meta.get("command_line", [])[1:]
    skip = False
    for word in out:
        if skip:
            skip = False
        elif word == "--out":
            skip = True
        elif not word.startswith("--out="):
            words.append(word)
    return " ".join(words)


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------- blocks

REFERENCE, FIDELITY, PEERS, KERNELS = "results/reference", "results/fidelity", "results/peers", "results/kernels"
FINDING_STRATEGIES = ["naive", "pre-patch", "retry-via-workqueue", "eager", "retry-6.11", "retry-6.14",
                      "retry-6.19", "kernel"]
FINDING_COLUMNS = [("first-worker", "one-shot", "none", "first worker, one signal before its creation"),
                   ("first-worker", "storm", "none", "first worker, a signal before every creation"),
                   ("chain:8", "storm:2", "none", "chain of 8, a signal before every creation after the first"),
                   ("chain:8", "periodic:10000", "none", "chain of 8, periodic 10k signals/s")]
ABSENT = "—"  # a configuration the profile does not run for this strategy


def block_findings(runs: Runs) -> str:
    rows = []
    for strategy in FINDING_STRATEGIES:
        found = [runs.find(REFERENCE, strategy, *c[:3]) for c in FINDING_COLUMNS]
        cells = [ABSENT if r is None else stuck_cell(r, (("create_retries", "retries"),)) for r in found]
        rows.append([f"`{strategy}`"] + cells)
    header = ["stuck [95% CI] (n), outcomes, why"] + [c[3] for c in FINDING_COLUMNS]
    return "\n".join([table(header, rows), "",
                      source(runs, REFERENCE, "summary.csv", "trials counted per cell, each cell says it; the "
                             "interval is Wilson's; outcomes are item shares when not all ok; retries are summed "
                             f"over the trials; {ABSENT}: a configuration the profile does not run for that "
                             "strategy (it runs a preset only where it differs from the seed)")])


def fidelity_row(runs: Runs, folder: str, scenario: str, signals: str, sa_restart: str = "all", needed: bool = True):
    """The fidelity.csv row; None when absent and not needed, else FiguresError."""
    for r in runs.csv(f"{folder}/fidelity.csv", ["scenario", "signals", "sa_restart", "kernel", "model"]):
        if (r["scenario"], r["signals"], r["sa_restart"]) == (scenario, signals, sa_restart):
            return r
    if not needed:
        return None
    raise FiguresError(f"{folder}/fidelity.csv: no row {scenario} {signals} sa_restart={sa_restart}")


def side_interval(r: dict, side: str) -> str:
    if not finite(num(r.get(f"{side}_stuck_rate"))):
        return "not measured"
    return (f"{rate(num(r[side + '_stuck_rate']))} [{rate(num(r[side + '_stuck_ci_low']))}, "
            f"{rate(num(r[side + '_stuck_ci_high']))}] (n {r[side + '_trials']})")


def block_findings_kernel(runs: Runs) -> str:
    r = fidelity_row(runs, FIDELITY, "chain:16", "periodic:10000")
    meta = runs.meta(FIDELITY)
    parts = "parts from" if not rate_agrees(r) else "agrees with"
    verdict = r["verdict"] + (f": {r['reason']}" if r["reason"] else "")
    return (f"The live kernel's stuck rate {parts} the model's on chains of blocking work: Linux {meta['kernel_release']} "
            f"leaves a 16-deep chain of splices stuck in {side_interval(r, 'kernel')} of trials under "
            f"{schedule_label('periodic:10000')} signals/s ({r['kernel_hang_kinds'] or 'no stuck trial'}), where "
            f"`{r['model']}`, the preset that models it, leaves {side_interval(r, 'model')}; the row's verdict, "
            f"which also ranks the outcomes, is {verdict} "
            f"(`{FIDELITY}/fidelity.csv`, `bench fidelity`, build {commit(meta)}; "
            f"[docs/fidelity.md](docs/fidelity.md)).")


def block_reference_run(runs: Runs) -> str:
    meta = runs.meta(REFERENCE)
    rows = runs.summary(REFERENCE)
    total = sum(trials(r) for r in rows)
    idle = sum(int(num(r["trials_schedule_idle"])) for r in rows if finite(num(r.get("trials_schedule_idle"))))
    precision = [r for r in rows if r.get("stop_reason") == "precision"]
    split = [r for r in precision if 0 < num(r["stuck_rate"]) < 1]
    early = sum(int(num(r["trials_ended_early"])) for r in rows if finite(num(r.get("trials_ended_early"))))
    calibration = {r["calibration"]: r for r in runs.csv(f"{REFERENCE}/calibration.csv", ["calibration", "p50_us"])}
    futex, create = calibration["futex-handoff"], calibration["thread-create"]
    command = command_of(meta)
    reasons: dict[str, int] = {}
    for r in rows:
        reasons[r.get("stop_reason", "")] = reasons.get(r.get("stop_reason", ""), 0) + 1
    return (f"`{REFERENCE}/` is a full-profile run (`{command}`: {len(rows)} configurations and {total:,} counted "
            f"trials, {idle:,} more left out because their timed schedule sent no signal, in "
            f"{duration(meta['start_time'], meta['end_time'])} on a {meta['cpu_count']}-CPU VM running Linux "
            f"{meta['kernel_release']}, build {commit(meta)}). Its rows stopped for these reasons (`stop_reason`): "
            + ", ".join(f"{reason} {count}" for reason, count in sorted(reasons.items(), key=lambda x: -x[1]))
            + f"; of the {len(precision)} `precision` rows, {len(split)} had trials that disagreed (a stuck rate "
            f"strictly between 0 and 1), the others were unanimous. {early:,} trials whose hang was certain ended "
            f"at once (`trials_ended_early`). Calibration in the same run: a futex handoff to a parked thread "
            f"takes {num(futex['p50_us']):.1f} µs (p50 of {futex['samples']} samples), `pthread_create` until the "
            f"thread runs {num(create['p50_us']):.1f} µs (p50 of {create['samples']}).")


def first_worker(r: dict) -> str:
    values = [num(r.get(f"first_worker_p{p}_us", "")) for p in (10, 50, 90)]
    return " / ".join(f"{v:.0f}" for v in values) + " µs" if all(finite(v) for v in values) else "not observable"


def latency(r: dict, *ps: str) -> str:
    values = [num(r.get(f"latency_p{p}_us", "")) for p in ps]
    return " / ".join(f"{v:.0f}" for v in values) + " µs" if all(finite(v) for v in values) else "not measured"


def per_trial(r: dict, column: str) -> str:
    value, n = num(r.get(column, "")), trials(r)
    return f"{value / n:.1f}" if finite(value) and n else "not measured"


def throughput(r: dict) -> str:
    value = num(r.get("throughput_items_per_s", ""))
    return f"{value / 1000:.1f}k/s" if finite(value) and value > 0 else "not measured"


def acted(runs: Runs, strategy: str) -> str:
    """'0 / 3 / 19 of 20': the first-worker trials in which each timed schedule sent a signal, of all it ran."""
    counted, ran = [], []
    for signals in ("poisson:100", "periodic:1000", "poisson:10000"):
        r = runs.row(REFERENCE, strategy, "first-worker", signals)
        counted.append(trials(r))
        ran.append(trials(r) + int(num(r["trials_schedule_idle"])))
    if len(set(ran)) == 1:
        return " / ".join(map(str, counted)) + f" of {ran[0]}"
    return " / ".join(f"{c} of {n}" for c, n in zip(counted, ran))


REFERENCE_STRATEGIES = ["naive", "pre-patch", "retry-via-workqueue", "eager", "kernel"]


# The reference run's findings table: one row per (label, what a cell shows), a column per strategy.
COUNTERS = (("create_retries", "retries"), ("kworker_hops", "kworker hops"), ("exit_hangs", "exit hangs"))
REFERENCE_FINDINGS = [
    ("stuck, no signals", lambda row, runs, s: stuck_cell(row(s, "first-worker"))),
    ("stuck, one signal before the first creation",
     lambda row, runs, s: stuck_cell(row(s, "first-worker", "one-shot"), COUNTERS)),
    ("stuck, a signal before every creation",
     lambda row, runs, s: stuck_cell(row(s, "first-worker", "storm"), COUNTERS)),
    ("stuck, EAGAIN with p = 0.1", lambda row, runs, s: stuck_cell(row(s, "first-worker", faults="eagain:0.1"))),
    ("stuck, ENOMEM with p = 0.1", lambda row, runs, s: stuck_cell(row(s, "first-worker", faults="enomem:0.1"))),
    ("trials in which a timed schedule sent a signal: `poisson:100` / `periodic:1000` / `poisson:10000`",
     lambda row, runs, s: acted(runs, s)),
    ("p50 / p90 latency, no signals (one 100 µs item per trial)",
     lambda row, runs, s: latency(row(s, "first-worker"), "50", "90")),
    ("first worker p10 / p50 / p90, no signals", lambda row, runs, s: first_worker(row(s, "first-worker"))),
    ("threads per trial (first-worker)", lambda row, runs, s: per_trial(row(s, "first-worker"), "threads_created")),
    ("`steady:2000` p50 / p99", lambda row, runs, s: latency(row(s, "steady:2000"), "50", "99")),
    ("`steady:2000` threads per trial", lambda row, runs, s: per_trial(row(s, "steady:2000"), "threads_created")),
    ("`burst:256` throughput", lambda row, runs, s: throughput(row(s, "burst:256"))),
    ("`chain:8` p50, no signals", lambda row, runs, s: latency(row(s, "chain:8"), "50")),
    ("`chain:8` stuck under `periodic:10000`", lambda row, runs, s: stuck_cell(row(s, "chain:8", "periodic:10000"))),
]


def block_reference_findings(runs: Runs) -> str:
    def row(strategy, scenario, signals="none", faults="none"):
        return runs.row(REFERENCE, strategy, scenario, signals, faults)

    lines = [[label] + [cell(row, runs, s) for s in REFERENCE_STRATEGIES] for label, cell in REFERENCE_FINDINGS]
    header = ["finding (first-worker unless named)"] + [f"`{s}`" for s in REFERENCE_STRATEGIES]
    return "\n".join([table(header, lines), "",
                      source(runs, REFERENCE, "summary.csv", "each stuck cell says its trials; latencies, first "
                             "workers and threads are over the row's counted trials; intervals are Wilson 95%")])


def block_reference_kernel(runs: Runs) -> str:
    kernel = runs.row(REFERENCE, "kernel", "chain:8", "periodic:10000")
    preset = runs.row(REFERENCE, "retry-6.14", "chain:8", "periodic:10000")
    burst = runs.row(REFERENCE, "kernel", "burst:256")
    model = runs.row(REFERENCE, "retry-via-workqueue", "burst:256")
    return (f"In this run the kernel leaves {interval(kernel)} of 8-deep chains stuck under periodic 10k "
            f"signals/s over {trials(kernel)} trials ({hang_kinds(kernel)}), where `retry-6.14`, the preset that "
            f"models it, leaves {interval(preset)} ({trials(preset)} trials). The kernel's `burst:256` "
            f"throughput is {throughput(burst)} against the seed's {throughput(model)}, with "
            f"{integer(num(burst['threads_created']))} io-wq threads over {trials(burst)} bursts (the seed: "
            f"{integer(num(model['threads_created']))}).")


def block_reference_sampling(runs: Runs) -> str:
    meta = runs.meta(REFERENCE)
    rows = [r for r in runs.summary(REFERENCE) if measured(r)]
    split = sorted((r for r in rows if 0 < num(r["stuck_rate"]) < 1), key=lambda r: -trials(r))
    widths = sorted((num(r["stuck_rate_ci_high"]) - num(r["stuck_rate_ci_low"])) / 2 for r in rows)
    middle = median(widths)
    listed = "; ".join(f"`{r['strategy']}` {r['scenario']} {r['signals']} {r['faults']}: {trials(r)} trials, "
                       f"±{(num(r['stuck_rate_ci_high']) - num(r['stuck_rate_ci_low'])) / 2:.3f}" for r in split)
    speed = meta.get("trials_per_second", {})
    slow, fast = min(speed, key=speed.get), max(speed, key=speed.get)
    return (f"The {len(split)} rows whose trials disagreed, with their trials and the half-width of their stuck "
            f"rate's interval: {listed}. The median half-width over all {len(rows)} measured rows is "
            f"{middle:.3f}, the widest {widths[-1]:.3f}. Trials per second per strategy are in meta.json "
            f"(`trials_per_second`: from {speed[slow]:g} for `{slow}` to {speed[fast]:g} for `{fast}`).")


def block_reference_memory(runs: Runs) -> str:
    r = runs.row(REFERENCE, "eager", "first-worker")
    return (f"A worker record is {integer(num(r['worker_record_bytes']))} bytes of jemalloc memory (one size class) "
            f"plus a {integer(num(r['worker_stack_bytes']) / 1024)} KiB stack reservation (virtual; only touched pages "
            f"are resident) (`worker_record_bytes`, `worker_stack_bytes` in `{REFERENCE}/summary.csv`).")


BENCHMARKS = "Benchmarks/Thresholds"


def benchmark_table_module(root: str):
    """scripts/benchmark-table.py: the one reader of the benchmarks' thresholds (it writes Benchmarks/README.md's
    table), reading root's thresholds."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "benchmark-table.py")
    spec = importlib.util.spec_from_file_location("benchmark_table", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.THRESHOLDS = pathlib.Path(root) / BENCHMARKS
    return module


def block_benchmarks(runs: Runs) -> str:
    module = benchmark_table_module(runs.root)
    files = sorted(module.THRESHOLDS.glob("IOWQBenchmarks.*.p90.json"))
    if not files:
        raise FiguresError(f"{BENCHMARKS}: no IOWQBenchmarks.*.p90.json")
    runs.read.update(f"{BENCHMARKS}/{f.name}" for f in files)
    return "\n".join([module.table(), "",
                      f"Source: `{BENCHMARKS}/*.p90.json` (package-benchmark's thresholds, printed by "
                      f"`scripts/benchmark-table.py` as in [Benchmarks/README.md](../Benchmarks/README.md)). n: each "
                      f"figure is the p90 over samples of {module.OPERATIONS_PER_SAMPLE:,} operations, divided by "
                      f"{module.OPERATIONS_PER_SAMPLE:,}."])


def block_gate_baseline(runs: Runs) -> str:
    rows = runs.csv("results/baseline/gate.csv", ["check", "value", "samples"])
    costs = [r for r in rows if r["check"].startswith("cost ")]
    behaviour = [r for r in rows if not r["check"].startswith("cost ")]
    lines = [[r["check"][5:], r["value"], integer(num(r["samples"])), r["pool_ns"], r["floor_ns"]] for r in costs]
    passed = sum(1 for r in behaviour if r["status"] == "pass")
    meta = runs.meta("results/baseline")
    header = ["cost check", "median ratio", "paired samples", "pool median (ns)", "floor median (ns)"]
    return "\n".join([table(header, lines), "",
                      f"Behaviour checks in the baseline: {len(behaviour)}, {passed} passed. Source: "
                      f"`results/baseline/gate.csv` (`bench gate --refresh-baseline`, Linux "
                      f"{meta.get('kernel_release', '?')}, build {commit(meta)}). n: the samples column."])


# The upstream lineage: the configuration that shows each fix, and the counter it changes. What a preset
# adds (its commits) is the run's own vocabulary (UpstreamLineage.swift's summary, in meta.json).
LINEAGE = [
    ("retry-5.15", "retry-via-workqueue", ("exit-under-fire", "one-shot", "none"), (("exit_hangs", "exit hangs"),)),
    ("retry-5.15", "retry-via-workqueue", ("first-worker", "none", "fail-nth:1:ENOMEM"),
     (("items_completed_twice", "items completed twice"),)),
    ("retry-5.15", "retry-via-workqueue", ("first-worker", "none", "fail-nth:1:ENOMEM"),
     (("leaked_bytes", "leaked bytes"),)),
    ("retry-5.16", "retry-5.15", ("first-worker", "storm+fatal:5ms", "none"),
     (("create_retries", "retries"), ("exit_hangs", "exit hangs"))),
    ("retry-5.16", "retry-5.15", None,  # the exit re-check: shown by a test, not by a sweep
     ("the exit re-check: a test that holds the kworker between its exit test and its queueing (`ExitTests`), "
      "not a sweep", "exit hangs", "exit clean")),
    ("retry-6.11", "retry-5.16", ("first-worker", "storm", "none"), (("create_retries", "retries"),)),
    ("retry-6.14", "retry-6.11", ("first-worker", "storm", "none"), (("create_retries", "retries"),)),
    ("retry-6.19", "retry-6.14", ("first-worker", "storm", "none"), (("create_retries", "retries"),)),
    ("retry-6.19", "retry-6.14", ("first-worker", "none", "eagain:1"), (("create_retries", "retries"),)),
]


def block_lineage(runs: Runs) -> str:
    summaries = {s["name"]: s.get("summary", "") for s in runs.meta(REFERENCE)["vocabulary"]["strategies"]}
    lines, shown = [], set()
    for preset, before, config, extras in LINEAGE:
        first = preset not in shown
        shown.add(preset)
        head = [f"`{preset}`" if first else "", summaries.get(preset, "") if first else ""]
        if config is None:
            how, was, now = extras
            lines.append(head + [how, f"`{before}`: {was}", f"`{preset}`: {now}"])
            continue
        scenario, signals, faults = config
        old = runs.row(REFERENCE, before, scenario, signals, faults)
        new = runs.row(REFERENCE, preset, scenario, signals, faults)
        where = f"`{scenario}`, `{signals}`" + ("" if faults == "none" else f", `{faults}`")
        lines.append(head + [where, f"`{before}`: " + stuck_cell(old, extras, zeros=True),
                             f"`{preset}`: " + stuck_cell(new, extras, zeros=True)])
    return "\n".join([table(["preset", "adds (Linux commits; from the run's vocabulary)", "exposed by", "before",
                             "after"], lines), "",
                      source(runs, REFERENCE, "summary.csv, meta.json", "trials per cell, each cell says it; counters "
                             "are sums over the row's trials")])


def block_lineage_chain(runs: Runs) -> str:
    parts = []
    for strategy in ["retry-via-workqueue", "retry-5.15", "retry-5.16", "retry-6.11", "retry-6.14", "retry-6.19"]:
        r = runs.row(REFERENCE, strategy, "chain:8", "storm:2")
        parts.append(f"`{strategy}` {stuck_cell(r, (('create_retries', 'retries'),))}")
    fatal = runs.row(REFERENCE, "retry-6.11", "first-worker", "storm+fatal:5ms")
    idle = int(num(fatal["trials_schedule_idle"]))
    return ("`chain:8` under `storm:2` (the first worker exists, every later creation fails), stuck rate (n), "
            "outcomes, why, and retries summed over the trials: " + "; ".join(parts) + ". "
            + f"Under `storm+fatal:5ms` the `retry-6.11` row's schedule sent no signal in {idle} of its "
            f"{idle + trials(fatal)} trials, so {trials(fatal)} were counted (`{REFERENCE}/summary.csv`).")


def kernel_folders(runs: Runs) -> list[str]:
    """The kernels' run folders under results/kernels that hold a fingerprint: the host first, then the guests
    by version, newest first (merged/ is their union and has none)."""
    base = runs.path(KERNELS)
    names = [name for name in os.listdir(base) if os.path.isfile(os.path.join(base, name, "meta.json"))
             and "lineage_fingerprint" in runs.meta(f"{KERNELS}/{name}")]
    if not names:
        raise FiguresError(f"{KERNELS}: no run folder with a lineage_fingerprint in its meta.json")
    version = lambda name: [int(x) if x.isdigit() else 0 for x in re.split(r"[.-]", name)]  # noqa: E731
    return sorted(names, key=lambda name: (name != "host", [-v for v in version(name)]))


def block_fingerprint(runs: Runs) -> str:
    lines = []
    folders = kernel_folders(runs)
    for folder in folders:
        meta = runs.meta(f"{KERNELS}/{folder}")
        label = "" if folder == "host" else "Debian"
        record = meta.get("lineage_fingerprint")
        if not isinstance(record, dict):
            raise FiguresError(f"{KERNELS}/{folder}/meta.json: no lineage_fingerprint")
        every = record["evidence"]["trials"]
        storm = [t for t in every if not t.get("control")]
        controls = [t for t in every if t.get("control")]
        cancelled = [t for t in storm if t.get("outcome") == "cancelled"]
        times = sorted(t["outcome_ms"] for t in cancelled if t.get("outcome_ms") is not None)
        cycles = sorted(t["cycles"] for t in cancelled if t.get("cycles") is not None)
        done = [t for t in controls if str(t.get("outcome", "")).startswith("completed")]
        where = " (TCG guest)" if meta.get("emulated") else " (host)"
        activation = record["evidence"].get("activation_trials") or []
        measured = [t for t in activation if t.get("created_in_enter") is not None]
        made = sorted({t["created_in_enter"] for t in measured})
        enter = (f"{record.get('activation') or 'not told apart'}: {'/'.join(str(m) for m in made)} "
                 f"{'worker' if made == [1] else 'workers'} by the enter "
                 f"of {measured[0]['requests']} ({len(measured)} of {len(activation)} measured)") if measured else ""
        lines.append([f"{label} {record['kernel_release']}{where}".strip(), f"{len(cancelled)} of {len(storm)}",
                      f"median {median(times):.1f} ms ({times[0]:.1f}-{times[-1]:.1f})" if times else "none",
                      f"{median(cycles):g}" if cycles else "", f"{len(done)} of {len(controls)} completed", enter,
                      f"`{record.get('preset') or 'no preset'}`", f"`{record.get('by_version') or '-'}`"])
    header = ["kernel", "storm trials cancelled", "after the first failed creation", "storm cycles (median)",
              "controls", "free-worker activation", "behaves like", "its version says"]
    return "\n".join([table(header, lines), "",
                      f"Source: `{KERNELS}/{{{','.join(folders)}}}/meta.json` (`lineage_fingerprint`, written by "
                      f"`bench fidelity --fingerprint` in `bench kernels`, build "
                      f"{commit(runs.meta(f'{KERNELS}/{folders[0]}'))}). n: the storm, control and activation "
                      f"trials of each row, as shown."])


def median(values):
    values = sorted(values)
    if not values:
        return math.nan
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def fidelity_rows(runs: Runs, folder: str) -> list[dict]:
    return [r for r in runs.csv(f"{folder}/fidelity.csv", ["scenario", "signals", "sa_restart", "kernel", "model"])
            if r["sa_restart"] == "all"]


def kernel_cell(runs: Runs, folder: str, r: dict) -> str:
    cell = side_interval(r, "kernel")
    halves = {h: fidelity_row(runs, folder, r["scenario"], r["signals"], h, needed=False) for h in ("yes", "no")}
    both = all(h is not None and finite(num(h["kernel_stuck_rate"])) for h in halves.values())
    if both and num(r["kernel_stuck_rate"]) > 0:
        cell += (f"; SA_RESTART {rate(num(halves['yes']['kernel_stuck_rate']))} (n {halves['yes']['kernel_trials']}), "
                 f"without {rate(num(halves['no']['kernel_stuck_rate']))} (n {halves['no']['kernel_trials']})")
    return cell


def delivered(r: dict, side: str) -> str:
    """A fidelity or kernels row's signals delivered per second of one side, or '' when not measured."""
    value = num(r.get(f"{side}_signals_delivered_per_s"))
    return integer(value) if finite(value) else ""


def rate_agrees(r: dict) -> bool:
    """Whether a fidelity row's verdict found the stuck rates alike (its reason names a stuck-rate difference)."""
    return r["verdict"] == "agree" or not re.search(r"(^|; )stuck ", r.get("reason", ""))


def block_fidelity(runs: Runs) -> str:
    lines = []
    for r in fidelity_rows(runs, FIDELITY):
        lines.append([f"`{r['scenario']}`", schedule_label(r["signals"]), kernel_cell(runs, FIDELITY, r),
                      delivered(r, "kernel"), r["kernel_hang_kinds"],
                      side_interval(r, "model"), r["model_retries_per_trial"] or "",
                      r["verdict"] + (f": {r['reason']}" if r["reason"] else ""), side_interval(r, "next")])
    first = fidelity_rows(runs, FIDELITY)[0]
    return "\n".join([table(["scenario", "signals", "kernel stuck [95% CI] (n)", "delivered/s", "why",
                             f"`{first['model']}` stuck (n)", "its retries per trial", "verdict",
                             f"`{first['next']}` stuck (n)"], lines), "",
                      source(runs, FIDELITY, "fidelity.csv", "counted trials per side, each cell says it (a trial "
                             "counts when its schedule sent a signal)")])


def block_fidelity_finding(runs: Runs) -> str:
    ten, hundred = (fidelity_row(runs, FIDELITY, "chain:16", s) for s in ("periodic:10000", "periodic:100000"))
    meta = runs.meta(FIDELITY)
    return (f"**On Linux {meta['kernel_release']} a 16-deep chain of splices is stuck in "
            f"{percent(num(ten['kernel_stuck_rate']))} of {ten['kernel_trials']} trials under periodic 10k signals/s "
            f"({delivered(ten, 'kernel')} delivered/s) and in {percent(num(hundred['kernel_stuck_rate']))} "
            f"of {hundred['kernel_trials']} under periodic 100k ({delivered(hundred, 'kernel')} delivered/s); its "
            f"stuck trials are {ten['kernel_hang_kinds'] or 'none'} and "
            f"{hundred['kernel_hang_kinds'] or 'none'}.** `{ten['model']}`, the preset that models this kernel, "
            f"predicts the kind ({ten['model_hang_kinds'] or 'no stuck trial'} at 10k) "
            f"{'and' if rate_agrees(ten) and rate_agrees(hundred) else 'but not'} the rate: "
            f"{percent(num(ten['model_stuck_rate']))} and {percent(num(hundred['model_stuck_rate']))}, with "
            f"{ten['model_retries_per_trial']} and {hundred['model_retries_per_trial']} retries per trial "
            f"(`{FIDELITY}/fidelity.csv`).")


def block_fidelity_chain_latency(runs: Runs) -> str:
    kernel = runs.row(REFERENCE, "kernel", "chain:8")
    model = [num(runs.row(REFERENCE, s, "chain:8")["latency_p50_us"]) / 1000
             for s in ("naive", "pre-patch", "retry-via-workqueue")]
    return (f"in `{REFERENCE}` an 8-deep chain completes in {num(kernel['latency_p50_us']) / 1000:.2f} ms at p50 "
            f"without signals on the kernel, against {min(model):.2f} to {max(model):.2f} ms for the model's "
            f"on-demand strategies (naive, pre-patch, the seed; {trials(kernel)} trials each).")


def kernel_rows(runs: Runs) -> list[dict]:
    return [r for r in runs.csv(f"{KERNELS}/kernels.csv", ["kernel_requested", "kernel_release", "scenario", "signals",
                                                            "sa_restart", "kernel_trials", "model_trials", "verdict"])
            if r["sa_restart"] == "all"]


def kernel_label(r: dict) -> str:
    return f"{r['kernel_release']} ({'TCG' if r['acceleration'] == 'tcg' else r['acceleration'] or 'host'})"


def block_kernel_matrix(runs: Runs) -> str:
    lines = []
    for r in kernel_rows(runs):
        if r["scenario"] != "chain:16":
            continue
        delivered = num(r["kernel_signals_delivered_per_s"])
        lines.append([kernel_label(r), f"`{r['behaves_like']}`", schedule_label(r["signals"]),
                      integer(delivered) if finite(delivered) else "", side_interval(r, "kernel"), r["kernel_outcomes"],
                      side_interval(r, "model"), r["model_outcomes"],
                      r["verdict"] + (f": {r['reason']}" if r["reason"] else "")])
    metas = [runs.meta(f"{KERNELS}/{k}") for k in kernel_folders(runs)]
    start, end = min(m["start_time"] for m in metas), max(m["end_time"] for m in metas)
    return "\n".join([table(["kernel", "behaves like", "signals", "delivered/s", "kernel stuck [95% CI] (n)",
                             "kernel outcomes", "preset stuck [95% CI] (n)", "preset outcomes", "verdict"], lines), "",
                      f"Source: `{KERNELS}/kernels.csv` (`chain:16`, every kernel trial; `bench kernels "
                      f"{' '.join(dict.fromkeys(r['kernel_requested'] for r in kernel_rows(runs)))}`, "
                      f"build {commit(metas[0])}, {duration(start, end)} from the first guest's start to the host's "
                      f"end). n: counted trials per side, each cell says it."])


def block_kernel_matrix_bursts(runs: Runs) -> str:
    bursts = [r for r in kernel_rows(runs) if r["scenario"] == "burst:64"]
    stuck = sorted({num(r["kernel_stuck_rate"]) for r in bursts if finite(num(r["kernel_stuck_rate"]))})
    disagree = [r for r in bursts if r["verdict"] != "agree"]

    def cancelled(outcomes):
        m = re.search(r"cancelled ([0-9.]+)", outcomes or "")
        return float(m.group(1)) if m else 0.0
    preset = [cancelled(r["model_outcomes"]) for r in bursts]
    kernel = [cancelled(r["kernel_outcomes"]) for r in bursts]
    few: dict[str, list[int]] = {}  # kernel -> its burst rows' counted trials
    for r in bursts:
        few.setdefault(kernel_label(r), []).append(int(num(r["kernel_trials"])))
    smallest = min(few, key=lambda k: min(few[k]))
    return (f"`burst:64`: the kernels' stuck rate is {spread(stuck, rate)} over its "
            f"{len(bursts)} rows; the presets cancel {spread(preset, percent)} of a burst's "
            f"items a row where the kernels cancel {spread(kernel, percent)}, and "
            f"{len(disagree)} of the {len(bursts)} burst rows disagree. The fewest counted kernel trials: "
            f"{smallest}, {min(few[smallest])} to {max(few[smallest])} a row (`{KERNELS}/kernels.csv`).")


def spread(values, fmt):
    values = sorted(v for v in values if finite(v))
    return fmt(values[0]) if values[0] == values[-1] else f"{fmt(values[0])} to {fmt(values[-1])}"


def block_kernel_matrix_ranges(runs: Runs) -> str:
    lines = []
    by_kernel: dict[str, list[dict]] = {}
    for r in kernel_rows(runs):
        if r["scenario"] == "chain:16":
            by_kernel.setdefault(kernel_label(r), []).append(r)
    for label, rows in by_kernel.items():
        def column(name, fmt):
            return spread([num(r[name]) for r in rows], fmt)
        where = "guest" if rows[0]["acceleration"] == "tcg" else "run"
        lines.append(f"- {label}, `chain:16` over {', '.join(schedule_label(r['signals']) for r in rows)}: the kernel "
                     f"stuck {column('kernel_stuck_rate', percent)} at "
                     f"{column('kernel_signals_delivered_per_s', integer)} delivered signals/s; "
                     f"`{rows[0]['behaves_like']}` in the same {where} stuck {column('model_stuck_rate', percent)}; "
                     f"stuck trials by kind: the kernel's {kinds_total([r['kernel_hang_kinds'] for r in rows])}, the "
                     f"preset's {kinds_total([r['model_hang_kinds'] for r in rows])}; verdicts: "
                     + ", ".join(f"{schedule_label(r['signals'])} {r['verdict']}" for r in rows) + ".")
    return "\n".join(lines + ["", f"(`{KERNELS}/kernels.csv`.)"])


def block_kernel_matrix_attempts(runs: Runs) -> str:
    """Per kernel, chain:16: retries per trial and per-attempt failure rates, kernel (its tracepoints)
    beside its preset in the same guest or run, from each kernel's fidelity.csv."""
    lines = []
    for folder in kernel_folders(runs):
        meta = runs.meta(f"{KERNELS}/{folder}")
        for r in fidelity_rows(runs, f"{KERNELS}/{folder}"):
            if r["scenario"] != "chain:16":
                continue
            kr, mr = num(r["kernel_retries_per_trial"]), num(r["model_retries_per_trial"])
            ratio = f"{mr / kr:.2f}" if finite(kr) and finite(mr) and kr > 0 else ""
            lines.append([meta["kernel_release"], f"`{r['model']}`", schedule_label(r["signals"]),
                          f"{integer(num(r['kernel_signals_delivered_per_s']))} / {integer(num(r['model_signals_delivered_per_s']))}",
                          f"{r['kernel_retries_per_trial']} / {r['model_retries_per_trial']}", ratio,
                          f"{r['kernel_attempt_failure_rate'][:4]} / {r['model_attempt_failure_rate'][:4]}",
                          r["kernel_trials"] + " / " + r["model_trials"]])
    return "\n".join([table(["kernel", "preset", "signals", "delivered/s (kernel / preset)", "retries per trial (kernel / preset)",
                             "preset / kernel", "attempts failed (kernel / preset)", "n (kernel / preset)"], lines), "",
                      f"Source: `{KERNELS}/<kernel>/fidelity.csv` (`chain:16`, both SA_RESTART halves; the kernel's retries "
                      f"and attempts from its tracepoints, the preset's from its counters). n: counted trials per side."])


def kinds_total(cells: list[str]) -> str:
    """'workers-blocked 205' from cells like 'workers-blocked 86'; 'none' when no trial was stuck."""
    total: dict[str, int] = {}
    for cell in cells:
        for kind, count in re.findall(r"([a-z-]+) ([0-9]+)", cell or ""):
            total[kind] = total.get(kind, 0) + int(count)
    return ", ".join(f"{k} {v}" for k, v in total.items()) or "none"


def block_kernel_matrix_drift(runs: Runs) -> str:
    a = fidelity_row(runs, FIDELITY, "chain:16", "periodic:100000")
    b = next(r for r in kernel_rows(runs) if r["kernel_requested"] == "host" and r["scenario"] == "chain:16"
             and r["signals"] == "periodic:100000")
    fa, fb = runs.meta(FIDELITY), runs.meta(f"{KERNELS}/host")
    return (f"The same configuration, `chain:16` under periodic 100k on the host, was {side_interval(a, 'kernel')} at "
            f"{integer(num(a['kernel_signals_delivered_per_s']))} delivered/s in `{FIDELITY}` "
            f"(started {fa['start_time'][:16].replace('T', ' ')} UTC) and {side_interval(b, 'kernel')} at "
            f"{integer(num(b['kernel_signals_delivered_per_s']))}/s in `{KERNELS}/host` "
            f"(started {fb['start_time'][:16].replace('T', ' ')} UTC).")


PEER_SCENARIOS = ["first-worker", "burst:64", "chain:8", "steady:2000"]
PEER_FAULTS = ["none", "fail-after:0", "fail-after:2", "eagain:0.5"]


def block_peers(runs: Runs) -> str:
    meta = runs.meta(PEERS)
    order = [s["name"] for s in meta["vocabulary"]["strategies"]]
    strategies = sorted({r["strategy"] for r in runs.summary(PEERS)}, key=order.index)
    families = {s["name"]: s["family"] for s in meta["vocabulary"]["strategies"]}
    strategies.sort(key=lambda s: (families[s] != "peer", order.index(s)))
    lines = []
    for strategy in strategies:
        for i, faults in enumerate(PEER_FAULTS):
            rows = [runs.row(PEERS, strategy, sc, "none", faults) for sc in PEER_SCENARIOS]
            threads = " / ".join(per_trial(r, "threads_created") for r in rows[:2])
            fw = num(rows[0].get("first_worker_p50_us", ""))
            lines.append([f"`{strategy}`" if i == 0 else "", f"`{faults}`"]
                         + [stuck_cell(r, show_n=False) for r in rows]
                         + [threads, f"{fw:.0f} µs" if finite(fw) else ""])
    n = sorted({trials(runs.row(PEERS, s, sc, "none", f))
                for s in strategies for sc in PEER_SCENARIOS for f in PEER_FAULTS})
    header = (["strategy", "faults"] + PEER_SCENARIOS
              + ["threads per trial (first-worker / burst:64)", "first worker p50"])
    return "\n".join([table(header, lines), "",
                      source(runs, PEERS, "summary.csv", f"{', '.join(map(str, n))} trials per cell; stuck rate "
                             f"[Wilson 95%], item outcomes when not all ok, stuck trials by kind, crashed trials by "
                             f"signal") + f" The run took {duration(meta['start_time'], meta['end_time'])} for "
                      f"{len(runs.summary(PEERS))} rows and {sum(trials(r) for r in runs.summary(PEERS)):,} trials."])


FOREIGN = "results/foreign"
FOREIGN_SCENARIOS = ["first-worker", "burst:8", "chain:4"]


def block_foreign(runs: Runs, only_foreign: bool = True) -> str:
    """The example foreign pools (C, Java, Rust, Python), alone or beside the io-wq strategies of
    `bench run --profile foreign`."""
    meta = runs.meta(FOREIGN)
    families = {s["name"]: s["family"] for s in meta["vocabulary"]["strategies"]}
    order = list(dict.fromkeys(r["strategy"] for r in runs.summary(FOREIGN)))
    strategies = sorted(order, key=lambda s: (families.get(s, "foreign") != "foreign", order.index(s)))
    if only_foreign:
        strategies = [s for s in strategies if families.get(s, "foreign") == "foreign"]
    lines = []
    for strategy in strategies:
        for i, faults in enumerate(PEER_FAULTS):
            rows = [runs.row(FOREIGN, strategy, sc, "none", faults) for sc in FOREIGN_SCENARIOS]
            lines.append([f"`{strategy}`" if i == 0 else "", f"`{faults}`"]
                         + [stuck_cell(r, extras=(("refused_yet_ran", "refused yet ran"),), show_n=False) for r in rows])
    n = sorted({trials(runs.row(FOREIGN, s, sc, "none", f))
                for s in strategies for sc in FOREIGN_SCENARIOS for f in PEER_FAULTS})
    return "\n".join([table(["strategy", "faults"] + FOREIGN_SCENARIOS, lines), "",
                      source(runs, FOREIGN, "summary.csv", f"{', '.join(map(str, n))} trials per cell; stuck rate "
                             f"[Wilson 95%], item outcomes when not all ok (failed: the submit was refused), stuck "
                             f"trials by kind, crashed trials by signal or exit status")])


def peer_trials(runs: Runs, strategy: str, scenario: str, faults: str) -> list[dict]:
    return [r for r in runs.csv(f"{PEERS}/trials.csv", ["strategy", "scenario", "signals", "faults", "trial"])
            if (r["strategy"], r["scenario"], r["signals"], r["faults"]) == (strategy, scenario, "none", faults)]


def seconds_or_ms(us: float) -> str:
    return f"{us / 1e6:.4f} s" if us >= 1e5 else f"{us / 1000:.2f} ms"


def first_workers(trials_: list[dict]) -> str:
    """'1.0004 s, 1.0009 s (a creation failed first); 0.24 ms, 0.24 ms (none failed)' of trials whose item ran."""
    ran = sorted((num(t["first_worker_us"]), int(num(t["create_attempts"]) - num(t["threads_created"])))
                 for t in trials_ if finite(num(t["first_worker_us"])))
    failed = [seconds_or_ms(v) for v, misses in ran if misses > 0]
    clean = [seconds_or_ms(v) for v, misses in ran if misses == 0]
    parts = []
    if failed:
        parts.append(", ".join(failed) + " where a creation had failed first")
    if clean:
        parts.append(", ".join(clean) + " where none had")
    return "; ".join(parts) or "no item ran"


def per_trial_spread(trials_: list[dict], column: str) -> str:
    values = [num(t[column]) for t in trials_ if finite(num(t[column]))]
    return spread(values, lambda v: f"{v:g}") if values else "not measured"


def block_peers_facts(runs: Runs) -> str:
    d0 = peer_trials(runs, "dispatch", "first-worker", "fail-after:0")
    de = peer_trials(runs, "dispatch", "first-worker", "eagain:0.5")
    dc = peer_trials(runs, "dispatch", "chain:8", "none")
    fb = runs.row(PEERS, "foundation-thread", "burst:64", "none", "eagain:0.5")
    st = peer_trials(runs, "swift-tasks", "chain:8", "none")
    se = peer_trials(runs, "swift-tasks", "first-worker", "eagain:0.5")
    s2 = peer_trials(runs, "swift-tasks", "first-worker", "fail-after:2")
    order = [s["name"] for s in runs.meta(PEERS)["vocabulary"]["strategies"] if s["family"] == "peer"]
    fw = [num(runs.row(PEERS, s, "first-worker")["first_worker_p50_us"]) for s in order
          if runs.find(PEERS, s, "first-worker")]
    def ran(trials_):
        return sum(int(num(t["items_ok"])) for t in trials_)

    lines = [
        f"- `dispatch`, `first-worker` under `fail-after:0`: {per_trial_spread(d0, 'create_attempts')} creation "
        f"attempts per trial, {per_trial_spread(d0, 'threads_created')} threads made, {ran(d0)} of {len(d0)} "
        f"items ran.",
        f"- `dispatch`, `first-worker` under `eagain:0.5`, first worker of the trials whose item ran: "
        f"{first_workers(de)}.",
        f"- `dispatch`, `chain:8` without faults: {per_trial_spread(dc, 'threads_created')} threads made per trial "
        f"for a chain that needs 8.",
        f"- `foundation-thread`, `burst:64` under `eagain:0.5`: items {outcome_shares(fb)}.",
        f"- `swift-tasks`, `chain:8` without faults: {per_trial_spread(st, 'threads_created')} threads made per trial.",
        f"- `swift-tasks`, `first-worker` under `eagain:0.5`, first worker of the trials whose item ran: "
        f"{first_workers(se)}.",
        f"- `swift-tasks`, `first-worker` under `fail-after:2`: the item ran in {ran(s2)} of {len(s2)} trials, "
        f"with {per_trial_spread(s2, 'threads_created')} threads made per trial.",
        f"- The peers' first-worker p50 without faults: {spread(fw, lambda v: f'{v:.0f}')} µs.",
        "",
        f"(`{PEERS}/trials.csv` and `summary.csv`; a first worker is timed from the first submission, or from the "
        f"pool's start for `nio-threadpool`.)",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class Block:
    name: str
    page: str
    make: Callable[[Runs], str]


BLOCKS = [
    Block("findings", "README.md", block_findings),
    Block("findings-kernel", "README.md", block_findings_kernel),
    Block("reference-run", "docs/results.md", block_reference_run),
    Block("reference-findings", "docs/results.md", block_reference_findings),
    Block("reference-kernel", "docs/results.md", block_reference_kernel),
    Block("reference-sampling", "docs/results.md", block_reference_sampling),
    Block("benchmarks", "docs/results.md", block_benchmarks),
    Block("reference-memory", "docs/results.md", block_reference_memory),
    Block("gate-baseline", "docs/gate.md", block_gate_baseline),
    Block("lineage", "docs/lineage.md", block_lineage),
    Block("lineage-chain", "docs/lineage.md", block_lineage_chain),
    Block("fingerprint", "docs/fingerprint.md", block_fingerprint),
    Block("fidelity", "docs/fidelity.md", block_fidelity),
    Block("fidelity-finding", "docs/fidelity.md", block_fidelity_finding),
    Block("fidelity-chain-latency", "docs/fidelity.md", block_fidelity_chain_latency),
    Block("kernel-matrix", "docs/kernel-matrix.md", block_kernel_matrix),
    Block("kernel-matrix-attempts", "docs/kernel-matrix.md", block_kernel_matrix_attempts),
    Block("kernel-matrix-bursts", "docs/kernel-matrix.md", block_kernel_matrix_bursts),
    Block("kernel-matrix-ranges", "docs/kernel-matrix.md", block_kernel_matrix_ranges),
    Block("kernel-matrix-drift", "docs/kernel-matrix.md", block_kernel_matrix_drift),
    Block("peers", "docs/peers.md", block_peers),
    Block("peers-facts", "docs/peers.md", block_peers_facts),
    Block("foreign", "README.md", block_foreign),
    Block("foreign-all", "docs/foreign.md", lambda runs: block_foreign(runs, only_foreign=False)),
]


# ------------------------------------------------------------------------------------------ pages

def render(text: str, page: str, generated: dict[str, str]) -> str:
    """The page with every block's body replaced by its generated text; FiguresError for a marker that
    does not pair up or names no block of this page."""
    names = [m.group(2) for m in OPENING.finditer(text) if not m.group(1)]
    ends = [m.group(2) for m in OPENING.finditer(text) if m.group(1)]
    if sorted(names) != sorted(ends) or len(set(names)) != len(names):
        raise FiguresError(f"{page}: figures markers do not pair up (opened {names}, closed {ends})")

    def replace(m):
        name = m.group("name")
        if name not in generated:
            raise FiguresError(f"{page}: block '{name}' is not one this script generates for this page")
        return f"<!-- figures:{name} -->\n{generated[name]}\n<!-- end figures:{name} -->"
    return MARKER.sub(replace, text)


def pages(root: str = REPO_ROOT, runs: Runs | None = None) -> dict[str, tuple[str, str]]:
    """page -> (its text now, its text with every block generated)."""
    runs = runs or Runs(root)
    by_page: dict[str, dict[str, str]] = {}
    for block in BLOCKS:
        by_page.setdefault(block.page, {})[block.name] = block.make(runs)
    out = {}
    for page, generated in by_page.items():
        path = os.path.join(root, page)
        try:
            with open(path) as handle:
                text = handle.read()
        except OSError as error:
            raise FiguresError(f"{page}: {error.strerror}")
        missing = [name for name in generated if f"<!-- figures:{name} -->" not in text]
        if missing:
            raise FiguresError(f"{page}: no figures block {', '.join(missing)} (add `<!-- figures:NAME -->` and "
                               f"`<!-- end figures:NAME -->` where it goes)")
        out[page] = (text, render(text, page, generated))
    return out


def main(argv=None, root: str = REPO_ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a block differs")
    parser.add_argument("--list", action="store_true", help="list the blocks, their pages and the files they read")
    args = parser.parse_args(argv)
    try:
        if args.list:
            for block in BLOCKS:
                runs = Runs(root)
                block.make(runs)
                print(f"{block.page}: {block.name} <- {', '.join(sorted(runs.read))}")
            return 0
        result = pages(root)
    except (FiguresError, DataError) as error:
        print(f"readme_figures.py: error: {error}", file=sys.stderr)
        return 2
    except KeyError as error:  # a column or meta.json key that a block reads and the run lacks
        print(f"readme_figures.py: error: a committed run lacks the field {error} that a block reads "
              f"(--list names each block's files)", file=sys.stderr)
        return 2
    stale = [page for page, (now, wanted) in result.items() if now != wanted]
    if args.check:
        for page in stale:
            print(f"readme_figures.py: {page} differs from the committed runs: run python3 scripts/readme_figures.py",
                  file=sys.stderr)
        return 1 if stale else 0
    for page in stale:
        with open(os.path.join(root, page), "w") as handle:
            handle.write(result[page][1])
        print(f"wrote {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
