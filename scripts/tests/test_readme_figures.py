"""scripts/readme_figures.py: the README's and docs' figures blocks against the committed runs."""

import csv
import os
import re
import shutil

import pytest

import readme_figures as figures

ROOT = figures.REPO_ROOT


def test_every_page_matches_what_the_committed_runs_generate():
    stale = []
    for page, (now, wanted) in figures.pages(ROOT).items():
        if now != wanted:
            blocks = [m.group("name") for m, w in zip(figures.MARKER.finditer(now), figures.MARKER.finditer(wanted))
                      if m.group("body") != w.group("body")]
            stale.append(f"{page}: {', '.join(blocks)}")
    assert not stale, ("pages differ from the committed runs (run python3 scripts/readme_figures.py): "
                       + "; ".join(stale))


def test_every_block_is_on_its_page_once():
    for block in figures.BLOCKS:
        with open(os.path.join(ROOT, block.page)) as handle:
            text = handle.read()
        assert text.count(f"<!-- figures:{block.name} -->") == 1, (block.page, block.name)
        assert text.count(f"<!-- end figures:{block.name} -->") == 1, (block.page, block.name)
    names = [block.name for block in figures.BLOCKS]
    assert len(names) == len(set(names))


def test_every_table_says_its_source_and_its_n():
    runs = figures.Runs(ROOT)
    for block in figures.BLOCKS:
        text = block.make(runs)
        if "|---" in text:
            assert "Source: `" in text and " n: " in text, block.name


def test_the_readme_links_every_docs_page_and_keeps_the_ci_commands():
    with open(os.path.join(ROOT, "README.md")) as handle:
        readme = handle.read()
    for name in sorted(os.listdir(os.path.join(ROOT, "docs"))):
        if name.endswith(".md"):
            assert f"](docs/{name})" in readme, name
    # .ci/run runs "the README's test command": the two set-up lines stay as they are.
    assert "scripts/install-deps.sh && swift test " in readme
    assert "scripts/install-deps.sh && swift run -c release bench " in readme
    assert len(readme.splitlines()) <= 200
    for image in re.findall(r"!\[[^]]*\]\(([^)]+)\)", readme):  # the figure is a committed plot
        assert image.startswith("results/") and os.path.isfile(os.path.join(ROOT, image)), image


def copy_of_repo(tmp_path):
    """The pages and the files the blocks read, in a folder of their own."""
    root = tmp_path / "repo"
    shutil.copytree(os.path.join(ROOT, "docs"), root / "docs")
    shutil.copy(os.path.join(ROOT, "README.md"), root / "README.md")
    os.makedirs(root / "Benchmarks")
    shutil.copytree(os.path.join(ROOT, "Benchmarks", "Thresholds"), root / "Benchmarks" / "Thresholds")
    shutil.copytree(os.path.join(ROOT, "results"), root / "results", ignore=shutil.ignore_patterns("*.png", "*.hgrm"))
    return str(root)


def test_a_figure_edited_by_hand_is_found_and_regenerated(tmp_path, capsys):
    root = copy_of_repo(tmp_path)
    page = os.path.join(root, "docs", "fidelity.md")
    with open(page) as handle:
        original = handle.read()
    start = original.index("<!-- figures:fidelity -->")
    # the block's first rate with its interval, whatever the committed run measured, changed by hand
    figure = re.search(r"\d\.\d\d \[\d\.\d\d, \d\.\d\d\]", original[start:]).group(0)
    edited = original[:start] + original[start:].replace(figure, "9.99 [9.99, 9.99]", 1)
    assert edited != original
    with open(page, "w") as handle:
        handle.write(edited)
    assert figures.main(["--check"], root) == 1
    assert "docs/fidelity.md differs" in capsys.readouterr().err
    assert figures.main([], root) == 0
    with open(page) as handle:
        assert handle.read() == original
    assert figures.main(["--check"], root) == 0


def test_a_rerun_changes_the_blocks_and_only_the_blocks(tmp_path):
    root = copy_of_repo(tmp_path)
    path = os.path.join(root, "results", "fidelity", "fidelity.csv")
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    for r in rows:  # a re-run in which the kernel's chain:16 at 100k was stuck in 50 of 100 trials
        if (r["scenario"], r["signals"], r["sa_restart"]) == ("chain:16", "periodic:100000", "all"):
            r.update(kernel_trials="100", kernel_stuck_rate="0.5000", kernel_stuck_ci_low="0.4038",
                     kernel_stuck_ci_high="0.5962", kernel_hang_kinds="workers-blocked 50")
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before = {page: open(os.path.join(root, page)).read() for page in ("docs/fidelity.md", "docs/kernel-matrix.md")}
    assert figures.main(["--check"], root) == 1
    assert figures.main([], root) == 0
    for page, old in before.items():
        new = open(os.path.join(root, page)).read()
        assert "0.50 [0.40, 0.60] (n 100)" in new, page
        outside = lambda text: figures.MARKER.sub("", text)  # noqa: E731
        assert outside(new) == outside(old), page


def test_a_row_the_run_lacks_is_a_one_line_error(tmp_path, capsys):
    root = copy_of_repo(tmp_path)
    path = os.path.join(root, "results", "reference", "summary.csv")
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    keep = [r for r in rows if not (r["strategy"] == "pre-patch" and r["scenario"] == "first-worker"
                                    and r["signals"] == "one-shot")]
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(keep)
    before = open(os.path.join(root, "README.md")).read()
    assert figures.main([], root) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "results/reference/summary.csv: no row pre-patch first-worker signals=one-shot" in err
    assert open(os.path.join(root, "README.md")).read() == before  # nothing written


def test_markers_that_do_not_pair_up_are_an_error():
    with pytest.raises(figures.FiguresError, match="do not pair up"):
        figures.render("<!-- figures:findings -->\ntext\n", "README.md", {"findings": "x"})
    with pytest.raises(figures.FiguresError, match="not one this script generates"):
        figures.render("<!-- figures:other -->\n<!-- end figures:other -->", "README.md", {"findings": "x"})


def test_a_cell_that_was_not_measured_is_never_zero():
    idle = {"stuck_rate": "", "trials": "0", "note": "timed schedule sent no signal inside any of the 20 trials"}
    refused = {"stuck_rate": "", "trials": "20", "note": "not applicable: the kernel creates its workers ..."}
    assert figures.stuck_cell(idle).startswith("schedule idle")
    assert figures.stuck_cell(refused) == "not applicable"
    assert figures.per_trial({"threads_created": "", "trials": "20"}, "threads_created") == "not measured"
    assert figures.throughput({"throughput_items_per_s": "0.0"}) == "not measured"
    row = {"stuck_rate": "0.0000", "stuck_rate_ci_low": "0.0000", "stuck_rate_ci_high": "0.1611", "trials": "20",
           "items_submitted": "20", "items_ok": "0", "items_cancelled": "20", "create_retries": ""}
    assert figures.stuck_cell(row, (("create_retries", "retries"),), zeros=True) == \
        "0.00 [0.00, 0.16] (n 20), cancelled 1.00"  # an empty counter is left out, not shown as 0


def test_a_missing_run_file_is_a_one_line_error_and_writes_nothing(tmp_path, capsys):
    root = copy_of_repo(tmp_path)
    os.remove(os.path.join(root, "results", "fidelity", "fidelity.csv"))
    before = {page: open(os.path.join(root, page)).read() for page in ("README.md", "docs/fidelity.md")}
    assert figures.main([], root) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "results/fidelity/fidelity.csv: no such file" in err
    for page, text in before.items():
        assert open(os.path.join(root, page)).read() == text


def test_prose_inside_a_block_follows_the_verdict():
    assert figures.rate_agrees({"verdict": "agree", "reason": ""})
    assert figures.rate_agrees({"verdict": "disagree", "reason": "outcomes ok against ok>hung"})
    assert not figures.rate_agrees({"verdict": "disagree", "reason": "stuck 0.03 against 0.43; outcomes ok against ok"})


def test_outcomes_are_where_items_ended_not_the_counters_named_items():
    # items_punted counts items handed to io-wq: every item of a row, never an outcome
    row = {"items_submitted": "10", "items_ok": "7", "items_hung": "3", "items_punted": "10", "items_completed_twice": "0"}
    assert figures.outcome_shares(row) == "ok 0.70 hung 0.30"
    assert figures.outcome_shares({"items_submitted": "4", "items_ok": "4", "items_punted": "4"}) == ""
