"""iowq_plots.hgrm: a configuration's .hgrm read as an empirical CDF from its exact counts."""

import pytest

from iowq_plots import hgrm
from iowq_plots.data import DataError

from .runs import hgrm_text

# As bench writes it (kernel, first-worker, 10 trials): values repeat at several percentile levels,
# the last row (percentile 1.0) has no 1/(1-Percentile).
BENCH_OUTPUT = """\
       Value     Percentile TotalCount 1/(1-Percentile)

     161.535 0.000000000000          1           1.00
     161.535 0.100000000000          1           1.11
     165.887 0.200000000000          2           1.25
     270.079 0.300000000000          3           1.43
     272.127 0.400000000000          4           1.67
     321.023 0.500000000000          5           2.00
     332.543 0.550000000000          6           2.22
     332.543 0.600000000000          6           2.50
     333.311 0.650000000000          7           2.86
     345.599 0.750000000000          8           4.00
     352.511 0.825000000000          9           5.71
     352.511 0.900000000000          9          10.00
     461.311 0.912500000000         10          11.43
     461.311 1.000000000000         10
#[Mean    =      301.478, StdDeviation   =       84.993]
#[Max     =      461.311, Total count    =           10]
#[Buckets =           27, SubBuckets     =         2048]
"""


def write(tmp_path, text, name="x.hgrm"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_the_counts_not_the_percentile_column_make_the_cdf(tmp_path):
    ecdf = hgrm.read_ecdf(write(tmp_path, BENCH_OUTPUT))
    assert ecdf.n == 10
    assert ecdf.values == (161.535, 165.887, 270.079, 272.127, 321.023, 332.543, 333.311, 345.599, 352.511, 461.311)
    assert ecdf.counts == tuple(range(1, 11))
    assert ecdf.fractions[-1] == 1.0 and ecdf.max == 461.311
    assert ecdf.fractions[0] == pytest.approx(0.1)


def test_a_made_up_distribution_round_trips(tmp_path):
    latencies = [120.5, 80.25, 80.25, 99.0, 5000.125, 99.0, 99.0]
    ecdf = hgrm.read_ecdf(write(tmp_path, hgrm_text(latencies)))
    assert ecdf.values == (80.25, 99.0, 120.5, 5000.125)
    assert ecdf.counts == (2, 5, 6, 7) and ecdf.n == len(latencies)
    assert (ecdf.values[-1], ecdf.fractions[-1]) == (max(latencies), 1.0)


@pytest.mark.parametrize("text,message", [
    ("", "no percentile rows"),
    (BENCH_OUTPUT.replace("Total count", "Total"), "no 'Total count' footer"),
    (BENCH_OUTPUT.replace("Total count    =           10", "Total count    =           12"),
     "do not rise to the footer's Total count = 12"),
    (BENCH_OUTPUT.replace("#[Max     =      461.311", "#[Max     =      999.000"), "not the footer's Max = 999.0"),
])
def test_a_malformed_file_is_named(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(DataError, match=f"^{path}: .*{message}"):
        hgrm.read_ecdf(path)


def test_file_names_as_bench_spells_them():
    assert hgrm.file_name("retry-6.14", "burst:64", "storm+fatal:5ms", "eagain:0.1") == \
        "retry-6.14_burst-64_storm-fatal-5ms_eagain-0.1.hgrm"
    assert hgrm.file_name("kernel", "first-worker", "none", "fail-nth:2:EAGAIN") == \
        "kernel_first-worker_none_fail-nth-2-EAGAIN.hgrm"
