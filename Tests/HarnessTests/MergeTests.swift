import Foundation
@testable import Harness
import Testing

/// `bench merge` on small hand-made runs: rows carried with where they ran, kernels kept apart,
/// conflicts and mismatched columns refused before anything is written, earlier results untouched.
@Suite struct MergeTests {
    static let summaryHeader = RowIdentity.columns + [
        "trials", "trials_schedule_idle", "items_submitted", "items_ok", "items_cancelled", "items_failed", "items_hung",
        "stuck_rate", "hangs_no_worker", "hangs_workers_blocked", "exit_hangs", "latency_p50_us", "latency_p99_us",
        "throughput_items_per_s", "threads_created",
    ]
    static let trialsHeader = RowIdentity.columns + ["trial", "stuck"]

    /// A configuration of a hand-made run: names, kernel, trials and stuck trials (nil: not run).
    struct Row {
        var strategy = "eager", scenario = "first-worker", signals = "none", faults = "none"
        var kernel = "6.18.44", emulated = false
        var trials = 5, stuck: Int? = 0

        var identity: [String] { [strategy, scenario, signals, faults, kernel, emulated ? "1" : "0"] }
        var summary: [String] {
            guard let stuck else { return identity + ["0", "0", "0", "0", "0", "0", "0", "", "", "", "", "", "", "", ""] }
            return identity + ["\(trials)", "0", "\(trials)", "\(trials - stuck)", "0", "0", "\(stuck)",
                               String(Double(stuck) / Double(trials)), "\(stuck)", "0", "0", "150.0", "", "5000.0", "\(trials)"]
        }
        var trialRows: [[String]] { (0..<(stuck == nil ? 0 : trials)).map { identity + ["\($0)", $0 < stuck! ? "1" : "0"] } }
        var histogram: String { RunDirectory.fileName([strategy, scenario, signals, faults]) + ".hgrm" }
    }

    /// Writes a run folder with `rows`, a meta.json of `profile`, a calibration.csv and a histogram
    /// for every row that ran.
    static func makeRun(_ name: String, _ rows: [Row], profile: String = "quick",
                        summaryHeader: [String] = summaryHeader, meta: String = "\"complete\": true", base: String) throws -> String {
        let path = base + "/" + name
        try FileManager.default.createDirectory(atPath: path + "/histograms", withIntermediateDirectories: true)
        func csv(_ header: [String], _ rows: [[String]]) -> String { ([header] + rows).map(CSVFile.line).joined() }
        try csv(summaryHeader, rows.map { Array($0.summary.prefix(summaryHeader.count)) }).write(toFile: path + "/summary.csv", atomically: true, encoding: .utf8)
        try csv(trialsHeader, rows.flatMap(\.trialRows)).write(toFile: path + "/trials.csv", atomically: true, encoding: .utf8)
        try csv(["calibration", "samples", "p50_us"], [["futex-handoff", "10", "2.5"]]).write(toFile: path + "/calibration.csv", atomically: true, encoding: .utf8)
        try "{\"profile\": \"\(profile)\", \"seed\": 1, \(meta.isEmpty ? "" : meta + ", ")\"vocabulary\": {\"strategies\": []}}".write(toFile: path + "/meta.json", atomically: true, encoding: .utf8)
        for row in rows where row.stuck != nil && row.stuck! < row.trials {
            try "hgrm of \(name)\n".write(toFile: path + "/histograms/" + row.histogram, atomically: true, encoding: .utf8)
        }
        return path
    }

    @Test func shardsOfOneKernelBecomeOneRun() throws {
        let base = temporaryPath("merge")
        let a = try Self.makeRun("a", [Row(), Row(strategy: "pre-patch", signals: "one-shot", stuck: 5)], base: base)
        let b = try Self.makeRun("b", [Row(strategy: "naive")], base: base)
        let merge = try RunMerge(paths: [a, b])
        try merge.write(to: base + "/out")
        let summary = try CSVTable(path: base + "/out/summary.csv")
        #expect(summary.header == Self.summaryHeader)
        #expect(summary.rows.map { $0["strategy"] } == ["eager", "pre-patch", "naive"])
        #expect(summary.rows.allSatisfy { $0["kernel_release"] == "6.18.44" })
        let trials = try CSVTable(path: base + "/out/trials.csv")
        #expect(trials.rows.count == 15)
        // histograms carried under their own names: one host
        #expect(try String(contentsOfFile: base + "/out/histograms/eager_first-worker_none_none.hgrm", encoding: .utf8) == "hgrm of a\n")
        #expect(FileManager.default.fileExists(atPath: base + "/out/histograms/naive_first-worker_none_none.hgrm"))
        let calibration = try CSVTable(path: base + "/out/calibration.csv")
        #expect(calibration.header == ["calibration", "samples", "p50_us", "kernel_release", "emulated", "source"])
        #expect(calibration.rows.map { $0["source"] } == [a, b])
        #expect(calibration.rows.allSatisfy { $0["kernel_release"] == "6.18.44" && $0["emulated"] == "0" }, "from the rows when meta.json does not say")
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + "/out/meta.json"))) as! [String: Any]
        let sources = try #require(meta["sources"] as? [[String: Any]])
        #expect(sources.map { $0["path"] as? String } == [a, b])
        #expect(sources.map { $0["summary_rows"] as? Int } == [2, 1])
        #expect(sources.allSatisfy { $0["vocabulary"] == nil && $0["seed"] as? Int == 1 })
        #expect(meta["kernel_releases"] as? [String] == ["6.18.44"])
        #expect(meta["profile"] as? String == "quick")
        #expect(meta["vocabulary"] != nil, "plot.py reads the vocabulary")
        // one kernel: no kernel column
        let table = merge.table()
        #expect(!table.contains("kernel"))
        #expect(table.contains("1.00 [0.57, 1.00]") && table.contains("hung 1.00") && table.contains("no-worker 5"))
    }

    @Test func theSameConfigurationOnTwoKernelsIsTwoRows() throws {
        let base = temporaryPath("merge-kernels")
        let old = try Self.makeRun("old", [Row(kernel: "6.1.0-31-amd64", emulated: true)], base: base)
        let new = try Self.makeRun("new", [Row(kernel: "6.12.0-1-amd64", emulated: true), Row(stuck: nil)], base: base)
        let merge = try RunMerge(paths: [old, new])
        #expect(merge.hosts == ["6.1.0-31-amd64 (emulated)", "6.12.0-1-amd64 (emulated)", "6.18.44"])
        try merge.write(to: base + "/out")
        let summary = try CSVTable(path: base + "/out/summary.csv")
        #expect(summary.rows.map { $0["kernel_release"] } == ["6.1.0-31-amd64", "6.12.0-1-amd64", "6.18.44"])
        // several hosts: a histogram folder per host, so the same configuration's files stay apart
        #expect(try String(contentsOfFile: base + "/out/histograms/6.1.0-31-amd64-emulated/eager_first-worker_none_none.hgrm", encoding: .utf8) == "hgrm of old\n")
        #expect(try String(contentsOfFile: base + "/out/histograms/6.12.0-1-amd64-emulated/eager_first-worker_none_none.hgrm", encoding: .utf8) == "hgrm of new\n")
        let table = merge.table()
        #expect(table.contains("kernel"))
        #expect(table.contains("6.1.0-31-amd64 (emulated)"))
        #expect(table.contains("not run"), "a row that measured nothing says so")
        // a merged run merges again with another host's run
        let host = try Self.makeRun("host", [Row(kernel: "6.18.44-fc", stuck: 1)], base: base)
        let again = try RunMerge(paths: [base + "/out", host])
        try again.write(to: base + "/again")
        #expect(try CSVTable(path: base + "/again/summary.csv").rows.count == 4)
        #expect(try CSVTable(path: base + "/again/calibration.csv").rows.count == 3)
    }

    @Test func oneConfigurationOnOneKernelFromTwoRunsIsAConflict() throws {
        let base = temporaryPath("merge-conflict")
        let a = try Self.makeRun("a", [Row()], base: base)
        let b = try Self.makeRun("b", [Row(strategy: "naive"), Row()], base: base)
        try expectRefused([a, b], base: base, saying: "eager first-worker signals=none faults=none on 6.18.44 is in both \(a) and \(b)")
        // the same shard run twice is no exception
        let again = try Self.makeRun("a-again", [Row()], base: base)
        try expectRefused([a, again], base: base, saying: "is in both")
        // nor a run stopped inside a configuration: its trials have no summary row
        let stopped = try Self.makeRun("stopped", [], base: base)
        try CSVFile.line(Row().trialRows[0]).appendLine(toFile: stopped + "/trials.csv")
        try expectRefused([a, stopped], base: base, saying: "summary.csv and trials.csv disagree: trials.csv has trials of eager first-worker signals=none faults=none on 6.18.44, which summary.csv has no row for")
        try expectRefused([a, a], base: base, saying: "given twice")
    }

    @Test func runsThatCannotBeOneTableAreRefused() throws {
        let base = temporaryPath("merge-refused")
        let a = try Self.makeRun("a", [Row()], base: base)
        let fewer = try Self.makeRun("fewer", [Row(strategy: "naive")], summaryHeader: Array(Self.summaryHeader.dropLast()), base: base)
        try expectRefused([a, fewer], base: base, saying: "columns of \(a)/summary.csv and \(fewer)/summary.csv differ")
        var swapped = Self.summaryHeader
        swapped.swapAt(7, 8)
        let other = try Self.makeRun("other", [Row(strategy: "naive")], summaryHeader: swapped, base: base)
        try expectRefused([a, other], base: base, saying: "column 8 is 'trials_schedule_idle' in one, 'items_submitted' in the other")
        let old = try Self.makeRun("old", [Row(strategy: "naive")], summaryHeader: Array(Self.summaryHeader.dropFirst(6)), base: base)
        try expectRefused([old], base: base, saying: "has no strategy column")
        let full = try Self.makeRun("full", [Row(strategy: "naive")], profile: "full", base: base)
        try expectRefused([a, full], base: base, saying: "ran the quick profile and \(full) the full one")
        try expectRefused([a, base + "/nowhere"], base: base, saying: "is not a run folder: no such folder")
        try expectRefused([], base: base, saying: "at least one run folder")
    }

    /// A run folder is whole only when its meta.json's last write said so: a run stopped, killed
    /// or out of disk space is refused, or taken on purpose and named in the merged meta.json.
    @Test func anIncompleteRunIsRefusedUnlessAllowed() throws {
        let base = temporaryPath("merge-incomplete")
        let a = try Self.makeRun("a", [Row()], base: base)
        let killed = try Self.makeRun("killed", [Row(strategy: "naive")], meta: "\"complete\": false, \"stopped_early\": false", base: base)
        try CSVFile.line(Row(strategy: "pre-patch").trialRows[0]).appendLine(toFile: killed + "/trials.csv")
        try expectRefused([a, killed], base: base, saying: "\(killed) is not a complete run (it never ended: killed, or still running)")
        let full = try Self.makeRun("full", [Row(strategy: "naive")], meta: "\"complete\": false, \"stopped_early\": true, \"end_time\": \"x\", \"failure\": \"cannot write trials.csv: File too large\"", base: base)
        try expectRefused([full], base: base, saying: "(it failed: cannot write trials.csv: File too large)")
        let stopped = try Self.makeRun("stopped", [Row(strategy: "naive")], meta: "\"complete\": false, \"stopped_early\": true, \"end_time\": \"x\"", base: base)
        try expectRefused([stopped], base: base, saying: "(it was stopped early)")
        // a folder of a build before the key: whole when it ended and was not stopped
        let older = try Self.makeRun("older", [Row(strategy: "retry-5.15")], meta: "\"stopped_early\": false, \"end_time\": \"x\"", base: base)
        let olderKilled = try Self.makeRun("older-killed", [Row(strategy: "retry-5.16")], meta: "\"stopped_early\": false", base: base)
        try expectRefused([olderKilled], base: base, saying: "meta.json has no end time")
        // taken on purpose: its finished rows, not the cut-off configuration's trials, and said so
        let merge = try RunMerge(paths: [a, killed, older], allowingIncomplete: true)
        try merge.write(to: base + "/out")
        #expect(try CSVTable(path: base + "/out/summary.csv").rows.map { $0["strategy"] } == ["eager", "naive", "retry-5.15"])
        #expect(try CSVTable(path: base + "/out/trials.csv").rows.allSatisfy { $0["strategy"] != "pre-patch" })
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + "/out/meta.json"))) as! [String: Any]
        #expect(meta["complete"] as? Bool == false)
        #expect(meta["incomplete_sources"] as? [String] == [killed])
        let sources = try #require(meta["sources"] as? [[String: Any]])
        #expect(sources[1]["unfinished_trial_rows_left_out"] as? Int == 1)
        // a merged run of complete runs is complete, and merges again
        try RunMerge(paths: [a, older]).write(to: base + "/whole")
        let whole = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + "/whole/meta.json"))) as! [String: Any]
        #expect(whole["complete"] as? Bool == true)
        try expectRefused([base + "/out"], base: base, saying: "is not a complete run")
        // the command line: refused in one line, or taken with the flag
        let refused = try BenchProcess.run(["merge", a, killed, "--out", base + "/cli"])
        #expect(refused.status != 0 && refused.standardError.split(separator: "\n").count == 1 && refused.standardError.contains("--allow-incomplete"))
        #expect(!FileManager.default.fileExists(atPath: base + "/cli"))
        let taken = try BenchProcess.run(["merge", a, killed, "--allow-incomplete", "--out", base + "/cli"])
        #expect(taken.status == 0, "\(taken.standardError)")
    }

    /// A folder whose summary and trials disagree, or that repeats a configuration, is not one run.
    @Test func summaryAndTrialsMustAgree() throws {
        let base = temporaryPath("merge-disagree")
        let lost = try Self.makeRun("lost-summary-row", [Row(), Row(strategy: "naive")], base: base)
        let summary = try String(contentsOfFile: lost + "/summary.csv", encoding: .utf8).split(separator: "\r\n")
        try (summary.dropLast().joined(separator: "\r\n") + "\r\n").write(toFile: lost + "/summary.csv", atomically: true, encoding: .utf8)
        try expectRefused([lost], base: base, saying: "trials.csv has trials of naive first-worker signals=none faults=none on 6.18.44, which summary.csv has no row for")
        let short = try Self.makeRun("lost-trials", [Row(trials: 5)], base: base)
        let trials = try String(contentsOfFile: short + "/trials.csv", encoding: .utf8).split(separator: "\r\n")
        try (trials.dropLast(2).joined(separator: "\r\n") + "\r\n").write(toFile: short + "/trials.csv", atomically: true, encoding: .utf8)
        try expectRefused([short], base: base, saying: "summary.csv counts 5 trials of eager first-worker signals=none faults=none on 6.18.44, trials.csv has 3")
        let twice = try Self.makeRun("twice", [Row(), Row()], base: base)
        try expectRefused([twice], base: base, saying: "eager first-worker signals=none faults=none on 6.18.44 is in \(twice)/summary.csv twice")
    }

    /// Runs of this build carry their typed records: merge reads those (no CSV text), exports the
    /// same CSV rows through the columns, writes the records on, and refuses what the CSV path
    /// refuses; a folder without records sends every input down the CSV path.
    @Test func runsWithTypedRecordsMergeFromThem() throws {
        let base = temporaryPath("merge-typed")
        let sweep = ["run", "--strategy", "pre-patch", "--strategy", "eager", "--scenario", "first-worker", "--scenario", "burst:8",
                     "--signals", "one-shot", "--trials", "2"]
        for part in ["1/2", "2/2"] {
            let run = try BenchProcess.run(sweep + ["--shard", part, "--out", base + "/" + part.prefix(1)])
            #expect(run.status == 0, "\(run.standardError)")
        }
        let (a, b) = (base + "/1", base + "/2")
        let merge = try RunMerge(paths: [a, b])
        #expect(merge.typed)
        try merge.write(to: base + "/out")
        // the exported CSV is the inputs' CSV, byte for byte
        for file in ["summary.csv", "trials.csv"] {
            let inputs = try [a, b].map { try String(contentsOfFile: $0 + "/" + file, encoding: .utf8).split(separator: "\r\n", omittingEmptySubsequences: true) }
            let merged = try String(contentsOfFile: base + "/out/" + file, encoding: .utf8).split(separator: "\r\n", omittingEmptySubsequences: true)
            #expect(inputs[0][0] == inputs[1][0] && merged.first == inputs[0].first)
            #expect(Array(merged.dropFirst()) == Array(inputs[0].dropFirst() + inputs[1].dropFirst()), "\(file)")
        }
        let summaries = try #require(RecordFile<ConfigurationSummary>.read(base + "/out/summary.jsonl"))
        let parts = try [a, b].map { try #require(RecordFile<ConfigurationSummary>.read($0 + "/summary.jsonl")) }
        #expect(summaries.map(\.key) == (parts[0] + parts[1]).map(\.key) && summaries.count == 4)
        #expect(summaries.map(\.latency.count) == (parts[0] + parts[1]).map(\.latency.count))
        #expect(try #require(RecordFile<TrialResult>.read(base + "/out/trials.jsonl")).count == 8)
        #expect(merge.table().contains("1.00 [0.34, 1.00]"), "pre-patch hangs both trials: \(merge.table())")
        // the merged run merges again, typed; beside a part it already holds it is a conflict
        #expect(try RunMerge(paths: [base + "/out"]).typed)
        try expectRefused([a, base + "/out"], base: base, saying: "is in both \(a) and \(base)/out")
        // a configuration twice in summary.jsonl, a trial record without its summary record
        let twice = base + "/twice"
        try FileManager.default.copyItem(atPath: a, toPath: twice)
        let line = try String(contentsOfFile: twice + "/summary.jsonl", encoding: .utf8).split(separator: "\n")[0]
        try (line + "\n").appendLine(toFile: twice + "/summary.jsonl")
        try expectRefused([twice], base: base, saying: "is in \(twice)/summary.jsonl twice")
        let lost = base + "/lost"
        try FileManager.default.copyItem(atPath: a, toPath: lost)
        let kept = try String(contentsOfFile: lost + "/summary.jsonl", encoding: .utf8).split(separator: "\n").dropFirst()
        try (kept.joined(separator: "\n") + "\n").write(toFile: lost + "/summary.jsonl", atomically: true, encoding: .utf8)
        try expectRefused([lost], base: base, saying: "summary.jsonl and trials.jsonl disagree: trials.jsonl has trials of")
        // an input without records (an older build's): every input is read as CSV, with the same rows
        let older = base + "/older"
        try FileManager.default.copyItem(atPath: b, toPath: older)
        try FileManager.default.removeItem(atPath: older + "/summary.jsonl")
        let mixed = try RunMerge(paths: [a, older])
        #expect(!mixed.typed)
        try mixed.write(to: base + "/mixed")
        #expect(try String(contentsOfFile: base + "/mixed/summary.csv", encoding: .utf8) == String(contentsOfFile: base + "/out/summary.csv", encoding: .utf8))
        #expect(!FileManager.default.fileExists(atPath: base + "/mixed/summary.jsonl"))
    }

    /// The merge is refused with `words`, and its output folder never made.
    func expectRefused(_ paths: [String], base: String, saying words: String) throws {
        let out = base + "/refused"
        do {
            let merge = try RunMerge(paths: paths)
            try merge.write(to: out)
            Issue.record("merged \(paths), expected: \(words)")
        } catch {
            #expect("\(error)".contains(words), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func theCommandLineMergesPrintsAndNeverOverwrites() throws {
        let base = temporaryPath("merge-cli")
        let a = try Self.makeRun("a", [Row(stuck: 2)], base: base)
        let b = try Self.makeRun("b", [Row(kernel: "6.1.0", emulated: true)], base: base)
        let run = try BenchProcess.run(["merge", a, b, "--out", base + "/out"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("kernel"))
        #expect(run.standardOutput.contains("0.40 [0.12, 0.77]"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("merged 2 runs: 2 configurations on 6.1.0 (emulated), 6.18.44"))
        // the output exists now: a second merge into it is refused and leaves it as it was
        let before = try String(contentsOfFile: base + "/out/summary.csv", encoding: .utf8)
        let again = try BenchProcess.run(["merge", a, "--out", base + "/out"])
        #expect(again.status != 0)
        #expect(again.standardError.hasPrefix("bench: error: ") && again.standardError.contains("refusing to overwrite"))
        #expect(again.standardError.split(separator: "\n").count == 1)
        #expect(try String(contentsOfFile: base + "/out/summary.csv", encoding: .utf8) == before)
        let conflict = try BenchProcess.run(["merge", a, a + "/../a", "--out", base + "/other"])
        #expect(conflict.status != 0 && conflict.standardError.contains("given twice"))
        let none = try BenchProcess.run(["merge", "--out", base + "/none"])
        #expect(none.status != 0 && none.standardError.split(separator: "\n").count == 1)
    }
}

private extension String {
    func appendLine(toFile path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(utf8))
        try handle.close()
    }
}
