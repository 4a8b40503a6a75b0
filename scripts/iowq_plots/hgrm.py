"""A configuration's latency histogram: histograms/*.hgrm, HdrHistogram's percentile-distribution text.

Each data row is `value percentile totalcount [1/(1-percentile)]`: totalcount items took at most
value µs. The percentile column is only the level the writer iterated to; the counts are exact, so
the empirical CDF is read from them, and the last row is the max with every item counted.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from .data import DataError

FOOTER_TOTAL = re.compile(r"Total count\s*=\s*([0-9]+)")
FOOTER_MAX = re.compile(r"Max\s*=\s*([0-9.eE+-]+)")


@dataclass(frozen=True)
class Ecdf:
    """values[i] µs with fractions[i] = counts[i] / n of the items at or below it; the last is (max, 1.0)."""

    values: tuple[float, ...]
    counts: tuple[int, ...]
    n: int

    @property
    def fractions(self) -> tuple[float, ...]:
        return tuple(c / self.n for c in self.counts)

    @property
    def max(self) -> float:
        return self.values[-1]


def file_name(strategy: str, scenario: str, signals: str, faults: str) -> str:
    """The .hgrm name bench gives a configuration: its names joined by '_', anything but letters,
    digits, '-', '.' and '_' spelled '-'."""
    joined = "_".join((strategy, scenario, signals, faults))
    return "".join(c if c.isalnum() or c in "-._" else "-" for c in joined) + ".hgrm"


def path_of(folder: str, row: dict, histograms: str = "histograms") -> str:
    return os.path.join(folder, histograms, file_name(row["strategy"], row["scenario"], row["signals"],
                                                        row["faults"]))


def read_ecdf(path: str) -> Ecdf:
    """The distinct values of the file with their cumulative counts; DataError when it is malformed."""
    points: dict[float, int] = {}
    total = maximum = None
    with open(path) as handle:
        for line in handle:
            text = line.strip()
            if text.startswith("#"):
                if (m := FOOTER_TOTAL.search(text)):
                    total = int(m.group(1))
                if (m := FOOTER_MAX.search(text)):
                    maximum = float(m.group(1))
                continue
            fields = text.split()
            if len(fields) < 3:
                continue
            try:
                value, count = float(fields[0]), int(fields[2])
            except ValueError:
                continue  # the header row
            points[value] = max(count, points.get(value, 0))
    if not points or total is None:
        raise DataError(f"{path}: no percentile rows or no 'Total count' footer (not an .hgrm file?)")
    values = sorted(points)
    counts = [points[v] for v in values]
    if counts[-1] != total or any(b < a for a, b in zip(counts, counts[1:])):
        raise DataError(f"{path}: cumulative counts do not rise to the footer's Total count = {total}")
    if maximum is not None and abs(values[-1] - maximum) > 1e-6 * max(1.0, maximum):
        raise DataError(f"{path}: the last row ({values[-1]}) is not the footer's Max = {maximum}")
    return Ecdf(tuple(values), tuple(counts), total)
