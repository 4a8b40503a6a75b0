"""Made-up results folders for the tests, and running scripts/plot.py on them."""

import argparse
import csv
import json
import os
import subprocess
import sys

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(SCRIPTS, "plot.py")
PNGS = [  # a sweep's figures; fidelity.png only in a run with a fidelity.csv (see fidelity() below)
    "hang_vs_delivered_rate.png",
    "latency_ecdf.png",
    "throughput_vs_burst.png",
    "outcomes_heatmap.png",
    "first_worker.png",
]

HANG_COLUMNS = ["hangs_no_worker", "hangs_workers_blocked", "hangs_retrying", "hangs_exit_waiting", "hangs_unknown"]
SUMMARY_COLUMNS = [
    "strategy", "scenario", "signals", "faults", "trials", "trials_schedule_idle", "items_submitted", "items_ok",
    "items_cancelled", "items_failed", "items_hung", "items_completed_twice", "hang_rate", "hang_rate_ci_low",
    "hang_rate_ci_high", "stuck_rate", "stuck_rate_ci_low", "stuck_rate_ci_high", *HANG_COLUMNS,
    "latency_p50_us", "latency_p90_us", "latency_p99_us", "latency_p999_us", "latency_max_us",
    "throughput_items_per_s", "threads_created", "signals_delivered", "signals_delivered_per_s", "exit_hangs",
    "first_worker_p50_us", "wait_eintr", "note",
]
TRIAL_COLUMNS = [
    "strategy", "scenario", "signals", "faults", "trial", "seed", "items_submitted", "items_ok",
    "items_cancelled", "items_failed", "items_hung", "items_completed_twice", "hung", "stuck", "hang_kind",
    "latency_p50_us", "latency_p99_us", "latency_max_us", "throughput_items_per_s", "first_worker_us",
    "work_window_us", "schedule_acted", "wait_eintr", "note",
]
# What a run before stuck_rate, the hang kinds and the delivered signal rate wrote.
OLD_SUMMARY_COLUMNS = [c for c in SUMMARY_COLUMNS if not c.startswith(("stuck_rate", "hangs_", "trials_schedule",
                                                                        "signals_delivered_per_s"))]
OLD_TRIAL_COLUMNS = [c for c in TRIAL_COLUMNS if c not in ("stuck", "hang_kind", "work_window_us", "schedule_acted",
                                                           "first_worker_us")]

LINEAGE = ["retry-5.15", "retry-5.16", "retry-6.11", "retry-6.14", "retry-6.19"]
# What bench writes into meta.json (and `bench list --json` prints), in its order.
VOCABULARY = {
    "strategies": [{"name": name, "family": family, "summary": f"{name}, made up"} for name, family in
                   [("naive", "classic"), ("pre-patch", "classic"), ("retry-via-workqueue", "classic"),
                    ("eager", "classic")] + [(name, "lineage") for name in LINEAGE] + [("kernel", "kernel")]],
    "scenarios": [{"form": "first-worker", "summary": "..."}, {"form": "burst:N", "summary": "..."},
                  {"form": "steady:RATE", "summary": "..."}],
    "signals": [{"form": "none", "summary": "no signals"}, {"form": "storm", "summary": "..."}],
    "faults": [{"form": "none", "summary": "no injected faults"}],
}


def vocabulary(*strategies):
    """A vocabulary of (name, family) pairs in the order given."""
    return dict(VOCABULARY, strategies=[{"name": n, "family": f, "summary": ""} for n, f in strategies])


def fake_bench(path, answer=None, stdout="", stderr="", status=0):
    """An executable standing in for bench: prints answer as JSON (or stdout, stderr and exits with
    status) and leaves its arguments in path + '.args'."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if answer is not None:
        stdout = json.dumps(answer)
    with open(path, "w") as handle:
        handle.write(f"""#!{sys.executable}
import json, sys
with open({path + '.args'!r}, "w") as f:
    json.dump(sys.argv[1:], f)
sys.stdout.write({stdout!r})
sys.stderr.write({stderr!r})
sys.exit({status})
""")
    os.chmod(path, 0o755)
    return path


CALIBRATION_COLUMNS = ["calibration", "samples", "p50_us", "p90_us", "p99_us", "max_us"]
CALIBRATION = [  # as summary.csv rows, where runs before calibration.csv had them
    dict(strategy="calibration", scenario="futex-handoff", signals="none", faults="none", trials=1,
         items_submitted=2000, items_ok=2000, latency_p50_us=4.2, latency_p90_us=5.0, latency_p99_us=28.4,
         latency_max_us=90.1),
    dict(strategy="calibration", scenario="thread-create", signals="none", faults="none", trials=1,
         items_submitted=500, items_ok=500, latency_p50_us=8.5, latency_p90_us=12.0, latency_p99_us=40.0,
         latency_max_us=4993.0),
]


def config(strategy, scenario, signals="none", faults="none", ok=1.0, hung=0.0, failed=0.0, cancelled=0.0,
           n=10, scale=1.0, note="", rate=None, delivered=None, kind="workers-blocked", first_worker=(30.0, 300.0)):
    """One summary row and its two trial rows; fractions of n items per outcome. rate: the hang and stuck
    rate (default 1 when items hung); delivered: signals_delivered_per_s (default 0.9 x a periodic or
    poisson schedule's rate, else 0); kind: the hang kind of the stuck trials; first_worker: the trials'
    first_worker_us (None: empty). The summary's "_latencies" are its ok items' latencies, for its .hgrm."""
    counts = {k: round(v * n) for k, v in (("items_ok", ok), ("items_hung", hung), ("items_failed", failed),
                                          ("items_cancelled", cancelled))}
    counts["items_ok"] = n - counts["items_hung"] - counts["items_failed"] - counts["items_cancelled"]
    if rate is None:
        rate = 1.0 if counts["items_hung"] else 0.0
    timed = signals.split(":")[0] in ("periodic", "poisson")
    if delivered is None:
        delivered = 0.9 * float(signals.split(":")[1]) if timed else 0.0
    latency, latencies = {}, []
    if counts["items_ok"]:
        latency = dict(latency_p50_us=200 * scale, latency_p90_us=900 * scale, latency_p99_us=4000 * scale,
                       latency_p999_us=7000 * scale, latency_max_us=9000 * scale)
        latencies = [round(scale * (100 + 50 * i + 8000 * (i == counts["items_ok"] - 1)), 3)
                     for i in range(counts["items_ok"])]
    stuck = round(rate * 2)
    hangs = {c: 0 for c in HANG_COLUMNS}
    hangs["hangs_" + kind.replace("-", "_")] = stuck
    interval = {f"{name}_{end}": value for name in ("hang_rate", "stuck_rate")
                for end, value in (("ci_low", max(0.0, rate - 0.3)), ("ci_high", min(1.0, rate + 0.3)))}
    summary = dict(strategy=strategy, scenario=scenario, signals=signals, faults=faults, trials=2,
                   trials_schedule_idle=0, items_submitted=n, hang_rate=rate, stuck_rate=rate,
                   **interval,
                   **hangs, throughput_items_per_s=5000 / scale, signals_delivered=round(delivered * 0.02),
                   signals_delivered_per_s=delivered, exit_hangs=0, wait_eintr=0, note=note, _latencies=latencies,
                   **counts, **latency)
    trials = [dict(strategy=strategy, scenario=scenario, signals=signals, faults=faults, trial=t, seed=t + 1,
                   items_submitted=n // 2, items_ok=counts["items_ok"] // 2, hung=int(t < stuck), stuck=int(t < stuck),
                   hang_kind=kind if t < stuck else "", throughput_items_per_s=(5000 + 500 * (t - 0.5)) / scale,
                   first_worker_us="" if first_worker is None else first_worker[t], work_window_us=10000,
                   schedule_acted="1" if timed else "", wait_eintr=0, note=note)
              for t in range(2)]
    return summary, trials


def not_run(strategy, scenario, signals="none", faults="none", note="not applicable: made up"):
    """A row whose trials could not run: every rate empty, its note saying why."""
    summary, trials = config(strategy, scenario, signals, faults, note=note)
    summary.update({k: "" for k in summary if k.startswith(("hang_rate", "stuck_rate", "items_", "hangs_", "latency_",
                                                            "throughput_", "signals_delivered", "exit_hangs"))},
                   _latencies=[])
    for t in trials:
        t.update(first_worker_us="", schedule_acted="")
    return summary, trials


def schedule_idle(strategy, scenario, signals):
    """A row whose timed schedule sent no signal inside any trial: its rates empty, as bench writes it."""
    summary, trials = not_run(strategy, scenario, signals,
                              note="timed schedule sent no signal inside any of the 2 trials")
    summary.update(trials=0, trials_schedule_idle=2)
    for t in trials:
        t.update(schedule_acted="0", first_worker_us=999.0)
    return summary, trials


def hgrm_text(values):
    """HdrHistogram's percentile-distribution text of the values: a row per distinct value (the first
    twice, as the writer repeats a value reached at two percentile levels), the max last at 1.0."""
    values = sorted(values)
    n = len(values)
    lines = ["       Value     Percentile TotalCount 1/(1-Percentile)", ""]
    distinct = sorted(set(values))
    for i, value in enumerate(distinct):
        count = sum(1 for v in values if v <= value)
        repeats = 2 if i == 0 else 1
        for _ in range(repeats):
            if count == n:
                lines.append(f"{value:12.3f} {1.0:14.12f} {count:10d}")
            else:
                lines.append(f"{value:12.3f} {count / n:14.12f} {count:10d} {1 / (1 - count / n):14.2f}")
    mean = sum(values) / n
    lines += [f"#[Mean    = {mean:12.3f}, StdDeviation   = {0.0:12.3f}]",
              f"#[Max     = {values[-1]:12.3f}, Total count    = {n:12d}]",
              "#[Buckets =           27, SubBuckets     =         2048]"]
    return "\n".join(lines) + "\n"


def write_histograms(folder, summaries):
    """histograms/<configuration>.hgrm for every row with ok items, named as bench names them."""
    from iowq_plots.hgrm import file_name

    for row in summaries:
        if row.get("_latencies"):
            os.makedirs(os.path.join(folder, "histograms"), exist_ok=True)
            name = file_name(row["strategy"], row["scenario"], row["signals"], row["faults"])
            with open(os.path.join(folder, "histograms", name), "w") as handle:
                handle.write(hgrm_text(row["_latencies"]))


def write(folder, summaries, trials, summary_columns=SUMMARY_COLUMNS, trial_columns=TRIAL_COLUMNS):
    os.makedirs(folder, exist_ok=True)
    for name, columns, rows in (("summary.csv", summary_columns, summaries), ("trials.csv", trial_columns, trials)):
        with open(os.path.join(folder, name), "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow(row)


def write_meta(folder, vocabulary=VOCABULARY):
    """meta.json as bench writes it; vocabulary None leaves the key out, as runs before it did."""
    meta = {"profile": "quick", "seed": 1, "trials": 2}
    if vocabulary is not None:
        meta["vocabulary"] = vocabulary
    with open(os.path.join(folder, "meta.json"), "w") as handle:
        json.dump(meta, handle, indent=2)


def write_calibration(folder, rows=CALIBRATION, columns=CALIBRATION_COLUMNS):
    """calibration.csv from the calibration summary rows, as bench writes it now."""
    with open(os.path.join(folder, "calibration.csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(dict(calibration=row["scenario"], samples=row["items_submitted"],
                                 **{c: row[f"latency_{c}"] for c in ("p50_us", "p90_us", "p99_us", "max_us")}))


def build(folder, configs, vocabulary=VOCABULARY, calibration="file", old=False):
    """A results folder: calibration in calibration.csv ("file"), as rows of summary.csv ("summary",
    older runs) or absent (None); meta.json with the vocabulary (None: without one); old: the columns
    of a run before the stuck rate and the delivered signal rate, and no histograms."""
    summaries, trials = list(CALIBRATION) if calibration == "summary" else [], []
    for s, t in configs:
        summaries.append(s)
        trials.extend(t)
    if old:
        write(folder, summaries, trials, OLD_SUMMARY_COLUMNS, OLD_TRIAL_COLUMNS)
    else:
        write(folder, summaries, trials)
        write_histograms(folder, summaries)
    if calibration == "file":
        write_calibration(folder)
    write_meta(folder, vocabulary)
    return folder


def tiny(folder):
    """A few rows of a quick-profile run: two strategies, three schedules, first-worker, burst, steady."""
    return build(folder, [
        config("naive", "first-worker"),
        config("naive", "first-worker", "one-shot", ok=0, failed=1, note="all failed, retried inline"),
        config("pre-patch", "first-worker", "one-shot", ok=0, hung=1),
        config("pre-patch", "first-worker", "storm", ok=0, hung=1),
        config("naive", "first-worker", "periodic:1000"),
        config("pre-patch", "first-worker", "periodic:1000", ok=0.5, hung=0.5, rate=0.5),
        config("naive", "burst:64", n=64),
        config("pre-patch", "burst:64", n=64, scale=2),
        config("naive", "steady:2000", n=40),
        config("pre-patch", "steady:2000", "one-shot", n=40, scale=3),
    ])


def rich(folder):
    """Rates, faults, the lineage presets and the kernel anchor (not run under faults), several burst
    sizes, a timed schedule that never acted."""
    configs = []
    strategies = ["naive", "pre-patch", "retry-via-workqueue", "retry-5.15", "retry-5.16", "retry-6.11",
                  "retry-6.14", "retry-6.19", "eager", "kernel"]
    schedules = ["none", "one-shot", "storm", "periodic:100", "poisson:100", "poisson:1000", "fatal:5ms"]
    for i, strategy in enumerate(strategies):
        for signals in schedules:
            for faults in ("none", "eagain:0.1"):
                if strategy == "kernel" and faults != "none":
                    configs.append(not_run(strategy, "first-worker", signals, faults))
                    continue
                bad = signals in ("storm", "one-shot") and strategy == "pre-patch"
                per_second = float(signals.split(":")[1]) if ":" in signals and "ms" not in signals else 0.0
                rate = 1.0 if bad else min(1.0, per_second / 1000 * (10 - i) / 10)
                configs.append(config(strategy, "first-worker", signals, faults, ok=0 if bad else 0.8,
                                      hung=1 if bad else 0.1, failed=0 if bad else 0.05,
                                      cancelled=0 if bad else 0.05, scale=1 + i / 3, rate=rate,
                                      first_worker=None if strategy == "kernel" else (20.0 + i, 400.0 - i)))
        for n in (1, 16, 256):
            configs.append(config(strategy, f"burst:{n}", n=n, scale=(1 + i / 5) * (1 + n / 64)))
        configs.append(config(strategy, "steady:1000", "poisson:1000", n=50, scale=1 + i / 4))
        configs.append(config(strategy, "steady:1000", n=50, scale=1 + i / 4))
    configs.append(schedule_idle("eager", "first-worker", "periodic:10"))
    return build(folder, configs)


def run(*args, **env_vars):
    env = dict(os.environ, MPLBACKEND="Agg", **env_vars)
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, timeout=60, env=env)


def assert_pngs(folder, names=PNGS):
    for name in names:
        path = os.path.join(folder, "plots", name)
        assert os.path.isfile(path), f"{name} not written"
        assert os.path.getsize(path) > 1000, f"{name} is (nearly) empty"
        with open(path, "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def args(scenario=None, latency_signals="none", latency_faults="none", hang_scenario=None, outcomes_scenario="all"):
    """The options of plot.py as its parser gives them to the figures."""
    return argparse.Namespace(scenario=scenario, latency_signals=latency_signals, latency_faults=latency_faults,
                              hang_scenario=hang_scenario, outcomes_scenario=outcomes_scenario)


def is_png(path):
    with open(path, "rb") as handle:
        return os.path.getsize(path) > 1000 and handle.read(8) == b"\x89PNG\r\n\x1a\n"


def draw_figure(figure, folder, tmp_path, **options):
    """Loads the run in `folder` and draws one figure module into tmp_path; returns the PNG's path."""
    from iowq_plots.data import load_run
    from iowq_plots.style import Styles

    run = load_run(folder)
    out = str(tmp_path / figure.FILENAME)
    figure.plot(run, Styles(run.vocabulary, run.strategies()), out, args(**options))
    return out


FIDELITY_SIDE = ["trials", "stuck_rate", "stuck_ci_low", "stuck_ci_high", "outcomes", "hang_kinds",
                 "signals_delivered_per_s"]
FIDELITY_COLUMNS = (["scenario", "signals", "sa_restart", "kernel"] + [f"kernel_{c}" for c in FIDELITY_SIDE]
                    + ["model"] + [f"model_{c}" for c in FIDELITY_SIDE]
                    + ["model_retries_per_trial", "verdict", "reason", "next"] + [f"next_{c}" for c in FIDELITY_SIDE])


def fidelity_side(side, strategy, cell):
    """One side's cells; cell: (trials, stuck_rate, ci_low, ci_high), any of them "" (not measured), or
    None for a side left wholly empty."""
    if cell is None:
        return {side: strategy, **{f"{side}_{c}": "" for c in FIDELITY_SIDE}}
    trials, rate, low, high = cell
    return {side: strategy, f"{side}_trials": trials, f"{side}_stuck_rate": rate, f"{side}_stuck_ci_low": low,
            f"{side}_stuck_ci_high": high, f"{side}_outcomes": "ok 1.00", f"{side}_hang_kinds": "",
            f"{side}_signals_delivered_per_s": 900.0}


def fidelity_row(scenario, signals, sa_restart="all", kernel=(6, 0.0, 0.0, 0.3903), model=(6, 0.0, 0.0, 0.3903),
                 next=(6, 0.0, 0.0, 0.3903), verdict="agree", reason="", presets=("retry-6.14", "retry-6.19")):
    """One row of fidelity.csv as bench fidelity writes it: the kernel, model and next sides."""
    return {"scenario": scenario, "signals": signals, "sa_restart": sa_restart,
            **fidelity_side("kernel", "kernel", kernel), **fidelity_side("model", presets[0], model),
            **fidelity_side("next", presets[1], next), "model_retries_per_trial": 1.5, "verdict": verdict,
            "reason": reason}


def write_fidelity(folder, rows, columns=FIDELITY_COLUMNS):
    with open(os.path.join(folder, "fidelity.csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return folder


def fidelity(folder, rows=None):
    """A run of bench fidelity: the kernel, retry-6.14 and retry-6.19 under timed schedules in chain:16
    and burst:64, and its fidelity.csv (by default one row of all trials and both halves per schedule)."""
    schedules = ["periodic:1000", "periodic:100000", "poisson:10000"]
    configs = [config(s, scenario, signals) for scenario in ("chain:16", "burst:64") for signals in schedules
               for s in ("kernel", "retry-6.14", "retry-6.19")]
    build(folder, configs)
    if rows is None:
        rows = []
        for scenario in ("chain:16", "burst:64"):
            for signals in schedules:
                hangs = scenario == "chain:16" and signals == "periodic:100000"
                for half, n in (("all", 6), ("yes", 3), ("no", 3)):
                    rows.append(fidelity_row(scenario, signals, half,
                                             kernel=(n, 1.0, 0.6, 1.0) if hangs else (n, 0.0, 0.0, 0.5),
                                             model=(6, 0.1667, 0.0301, 0.5635) if hangs else (6, 0.0, 0.0, 0.39),
                                             verdict="disagree" if hangs else "agree",
                                             reason="stuck 0.17 against 1.00" if hangs else ""))
    return write_fidelity(folder, rows)
