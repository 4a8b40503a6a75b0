"""Every configuration's outcome in one heatmap: strategies down, configurations across.

Colour is the trouble a row shows: the larger of the share of its items that did not end ok
(failed, cancelled, hung or crashed) and its stuck rate (an exit hang leaves every item ok), so a
row that crashed or failed every item is as red as one that hung; the cell text says what the
items did and, when trials were stuck, why most of them were. A wide sweep is cut into stacked
panels of whole scenarios, so that cells keep a readable size.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from .data import NOT_RUN, RAN, SCHEDULE_IDLE, Skip, faults_key, finite, has_column, num, pick_scenario, row_state, \
    schedule_key
from .style import save

FILENAME = "outcomes_heatmap.png"
MAX_COLUMNS = 20  # per panel: about 16 in of cells
OUTCOME_WORDS = [("items_ok", "ok"), ("items_cancelled", "cancel"), ("items_failed", "fail"), ("items_hung", "hung"),
                 ("items_crashed", "crash")]  # items_crashed: runs since the peer rows
HANG_KINDS = [  # summary column, abbreviation in a cell, hang_kind
    ("hangs_no_worker", "no-wkr", "no-worker"),
    ("hangs_workers_blocked", "blocked", "workers-blocked"),
    ("hangs_retrying", "retry", "retrying"),
    ("hangs_exit_waiting", "exit-wait", "exit-waiting"),
    ("hangs_creation_retrying", "cr-retry", "creation-retrying"),
    ("hangs_creation_dropped", "dropped", "creation-dropped"),
    ("hangs_unknown", "unknown", "unknown"),
]
COLORMAP = "YlOrRd"
NOT_MEASURED_COLOR = "#c8c8c8"
CELL_TEXT = {NOT_RUN: "n/a", SCHEDULE_IDLE: "no signal\nsent"}


@dataclass(frozen=True)
class Cell:
    state: str  # RAN, NOT_RUN or SCHEDULE_IDLE
    value: float  # trouble(): the share of items not ok or the stuck rate, the larger; NaN when not measured
    text: str


@dataclass
class Heatmap:
    strategies: list[str]
    panels: list[list[tuple[str, str, str]]]  # each a run of (scenario, signals, faults) columns
    cells: dict[tuple[str, tuple[str, str, str]], Cell]  # (strategy, column) -> cell; absent: not in this run
    rate_column: str  # stuck_rate, or hang_rate in runs before stuck_rate


def share(fraction: float) -> str:
    """A share in few characters: 1, .95, .5, <.01."""
    if fraction >= 0.995:
        return "1"
    if fraction < 0.005:
        return "<.01"
    return f"{fraction:.2f}".lstrip("0").rstrip("0")


def cell_text(row) -> str:
    """Up to two outcome shares of the items, largest first; then stuck trials and their main cause."""
    submitted = num(row["items_submitted"])
    shares = sorted(((num(row.get(c)) / submitted, word) for c, word in OUTCOME_WORDS
                     if submitted > 0 and num(row.get(c)) > 0), reverse=True)
    lines = [f"{word} {share(f)}" for f, word in shares[:2]]
    if len(shares) > 2:
        lines[-1] += " +"
    trials = int(num(row["trials"]))
    stuck = round(num(row["stuck_rate"]) * trials) if finite(num(row.get("stuck_rate"))) else None
    kinds = [(int(num(row[c])), word) for c, word, _ in HANG_KINDS if finite(num(row.get(c)))]
    exit_hangs = num(row.get("exit_hangs"))
    if kinds and max(kinds)[0] > 0:
        count, word = max(kinds, key=lambda k: k[0])
        lines.append(f"{word} {count}/{trials}")
    elif stuck:
        lines.append(f"stuck {stuck}/{trials}")
    elif finite(exit_hangs) and exit_hangs > 0:
        lines.append(f"exit-hung {int(exit_hangs)}/{trials}")
    return "\n".join(lines)


def trouble(row, rate_column) -> float:
    """The larger of the share of the items not ok and the row's stuck (or, in older runs, hang) rate."""
    submitted = num(row.get("items_submitted"))
    not_ok = 1 - num(row.get("items_ok")) / submitted if finite(submitted) and submitted > 0 else math.nan
    rate = num(row.get(rate_column))
    known = [v for v in (not_ok, rate) if finite(v)]
    return max(known) if known else math.nan


def panels_of(columns, max_columns=MAX_COLUMNS):
    """Columns cut into as few panels of at most max_columns as can be: between scenarios when that
    takes no more panels, else wherever a panel is full (the scenario's name then heads both parts)."""
    whole = whole_scenarios(columns, max_columns)
    if len(whole) <= math.ceil(len(columns) / max_columns):
        return whole
    return [columns[start:start + max_columns] for start in range(0, len(columns), max_columns)]


def whole_scenarios(columns, max_columns):
    """Panels of whole scenarios (one wider than a panel takes several), in order."""
    panels, current = [], []
    for scenario in dict.fromkeys(c[0] for c in columns):
        own = [c for c in columns if c[0] == scenario]
        if current and len(current) + len(own) > max_columns:
            panels.append(current)
            current = []
        for start in range(0, len(own), max_columns):
            chunk = own[start:start + max_columns]
            if len(current) + len(chunk) > max_columns:
                panels.append(current)
                current = []
            current += chunk
    return panels + ([current] if current else [])


def data(run, args) -> Heatmap:
    rows = run.summary
    if not rows:
        raise Skip("no strategy rows in summary.csv")
    wanted = args.outcomes_scenario
    if wanted and wanted != "all":
        pick_scenario(rows, wanted, "--outcomes-scenario")
        rows = [r for r in rows if r["scenario"] == wanted]
    rate_column = "stuck_rate" if has_column(rows, "stuck_rate") else "hang_rate"
    columns = sorted({(r["scenario"], r["signals"], r["faults"]) for r in rows},
                     key=lambda c: (run.vocabulary.scenario_key(c[0]), faults_key(c[2]), schedule_key(c[1])))
    cells = {}
    for r in rows:
        state = row_state(r)
        if state == RAN:
            cell = Cell(RAN, trouble(r, rate_column), cell_text(r))
        else:
            cell = Cell(state, math.nan, CELL_TEXT[state])
        cells[(r["strategy"], (r["scenario"], r["signals"], r["faults"]))] = cell
    return Heatmap(run.strategies_of(rows), panels_of(columns), cells, rate_column)


def spans(columns, key):
    """(first, last, name) of each run of adjacent columns with the same key."""
    runs = []
    for i, column in enumerate(columns):
        if runs and key(columns[runs[-1][0]]) == key(column):
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return [(first, last, key(columns[first])) for first, last in runs]


def draw_panel(ax, heatmap, columns, widest, colormap, faults_header):
    """One panel: the cells, the signals below, the scenarios (and fault plans) above."""
    nrows = len(heatmap.strategies)
    values = np.full((nrows, widest), np.nan)
    for yi, strategy in enumerate(heatmap.strategies):
        for xi, column in enumerate(columns):
            cell = heatmap.cells.get((strategy, column))
            if cell is None:  # not in this run: blank, unlike a grey row that did not run
                ax.add_patch(Rectangle((xi - 0.5, yi - 0.5), 1, 1, facecolor="white", edgecolor="none", zorder=2))
                continue
            values[yi, xi] = cell.value
            dark = finite(cell.value) and cell.value > 0.6
            ax.text(xi, yi, cell.text, ha="center", va="center", fontsize=6.5, linespacing=1.1, zorder=3,
                    color="white" if dark else "#222222")
    image = ax.imshow(np.ma.masked_invalid(values), cmap=colormap, vmin=0, vmax=1, aspect="auto",
                      interpolation="nearest")
    if len(columns) < widest:  # a narrower last panel: no grey filler
        ax.add_patch(Rectangle((len(columns) - 0.5, -0.5), widest - len(columns), nrows, facecolor="white",
                               edgecolor="none", zorder=2))
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels([c[1] for c in columns], rotation=55, ha="right", rotation_mode="anchor", fontsize=7)
    ax.set_yticks(range(nrows))
    ax.set_yticklabels(heatmap.strategies, fontsize=8)
    ax.set_xticks(np.arange(-0.5, widest), minor=True)
    ax.set_yticks(np.arange(-0.5, nrows), minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    header = dict(xycoords="data", textcoords="offset points", ha="center", va="bottom", annotation_clip=False)
    for first, last, scenario in spans(columns, lambda c: c[0]):
        ax.annotate(scenario, ((first + last) / 2, -0.5), xytext=(0, 13 if faults_header else 3), fontsize=8,
                    fontweight="bold", **header)
        if first > 0:
            ax.axvline(first - 0.5, color="#333333", linewidth=1.5, zorder=4)
    if faults_header:
        for first, last, (scenario, faults) in spans(columns, lambda c: (c[0], c[2])):
            ax.annotate(faults, ((first + last) / 2, -0.5), xytext=(0, 2), fontsize=6, style="italic",
                        color="#444444", **header)
            if first > 0 and columns[first - 1][0] == scenario:
                ax.axvline(first - 0.5, color="#777777", linewidth=0.8, linestyle="--", zorder=4)
    return image


def plot(run, styles, out, args):
    heatmap = data(run, args)
    colormap = matplotlib.colormaps[COLORMAP].with_extremes(bad=NOT_MEASURED_COLOR)
    columns = [c for p in heatmap.panels for c in p]
    faults_header = any(c[2] != "none" for c in columns)
    widest = max(len(p) for p in heatmap.panels)
    cell_w, cell_h = 0.8, 0.38  # inches: "exit-hung 20/20" fits at 6.5 pt
    label_h = 0.2 + 0.055 * max(len(c[1]) for c in columns)
    panel_h = len(heatmap.strategies) * cell_h + label_h + (0.45 if faults_header else 0.3)
    fig_w = 1.0 + 0.065 * max(len(s) for s in heatmap.strategies) + widest * cell_w + 1.2
    fig_h = 1.1 + panel_h * len(heatmap.panels)
    fig, axes = plt.subplots(len(heatmap.panels), 1, figsize=(fig_w, fig_h), squeeze=False, layout="constrained")
    for ax, panel in zip(axes[:, 0], heatmap.panels):
        image = draw_panel(ax, heatmap, panel, widest, colormap, faults_header)
    rate = "stuck rate" if heatmap.rate_column == "stuck_rate" else "hang rate (older run)"
    label = f"share of items not ok, or {rate} if larger"
    fig.colorbar(image, ax=axes[:, 0].tolist(), label=label, shrink=min(1.0, 4 / fig_h), fraction=0.02, pad=0.01)
    fig.suptitle("Outcomes of every configuration: colour = " + label, fontsize=11)
    caption = ("Columns: scenario (bold), " + ("fault plan (italic), " if faults_header else "faults none, ")
               + "signal schedule. Cell: shares of the items (ok, cancel, fail, hung, crash; + more), then the main "
               "cause of the stuck trials and their count (no-wkr = no worker, blocked = workers blocked, retry = a "
               "creation in flight in the model, exit-wait = exit waiting, cr-retry = a peer's failed creation "
               "tried again, dropped = a peer's failed creation dropped); grey: n/a = did not run, no signal sent = the timed schedule "
               "acted in no trial; blank: not in this run.")
    fig.supxlabel(textwrap.fill(caption, width=int(fig_w * 17)), fontsize=7, color="#333333")
    save(fig, out)
