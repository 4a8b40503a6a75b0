import Foundation
import Testing

/// A tiny real run, through the executable and its child processes.
@Suite(.serialized) struct RunOutputTests {
    static let requiredSummaryColumns = [
        "strategy", "scenario", "signals", "faults", "kernel_release", "emulated", "trials", "trials_schedule_idle", "stop_reason", "items_submitted", "items_ok", "items_cancelled",
        "items_failed", "items_hung", "items_crashed", "items_completed_twice", "hang_rate", "hang_rate_ci_low", "hang_rate_ci_high",
        "stuck_rate", "stuck_rate_ci_low", "stuck_rate_ci_high", "crashed_trials", "crash_rate", "crash_rate_ci_low", "crash_rate_ci_high",
        "crash_signals", "hangs_no_worker", "hangs_workers_blocked", "hangs_retrying", "hangs_exit_waiting", "hangs_creation_retrying",
        "hangs_creation_dropped", "hangs_unknown",
        "latency_p50_us", "latency_p90_us", "latency_p99_us", "latency_p999_us", "latency_max_us",
        "throughput_items_per_s", "threads_created", "threads_created_on_demand", "create_attempts",
        "create_failures", "create_retries", "kworker_hops", "signals_delivered", "signals_delivered_per_s", "exit_hangs", "leaked_bytes",
        "cpu_user_s", "cpu_sys_s",
    ]

    @Test func aTinyRunWritesItsFilesAndTheSeedsStory() throws {
        let out = temporaryPath("tiny")
        let run = try BenchProcess.run(["run", "--strategy", "pre-patch", "--strategy", "retry-via-workqueue",
                                        "--strategy", "eager", "--strategy", "naive", "--scenario", "first-worker",
                                        "--signals", "one-shot", "--trials", "3", "--out", out])
        #expect(run.status == 0, "\(run.standardError)")

        let summary = try CSVTable(path: out + "/summary.csv")
        // the configuration, its outcomes and latency lead, in this order; every counter follows
        let leading = Array(Self.requiredSummaryColumns.prefix(32))
        #expect(Array(summary.header.prefix(leading.count)) == leading)
        #expect(Set(Self.requiredSummaryColumns).isSubset(of: summary.header))
        #expect(summary.rows(strategy: "calibration").isEmpty)
        let calibration = try CSVTable(path: out + "/calibration.csv")
        #expect(calibration.header == ["calibration", "samples", "p50_us", "p90_us", "p99_us", "max_us"])
        #expect(calibration.rows.map { $0["calibration"] } == ["futex-handoff", "thread-create"])
        #expect(summary.rows.allSatisfy { $0["trials"] == "3" })
        let prePatch = try #require(summary.rows(strategy: "pre-patch").first)
        #expect(prePatch["hang_rate"] == "1.0000")
        #expect(prePatch["hangs_no_worker"] == "3" && prePatch["hangs_unknown"] == "0")
        let retry = summary.rows(strategy: "retry-via-workqueue").first!
        #expect(retry["hang_rate"] == "0.0000")
        #expect(retry["items_ok"] == retry["items_submitted"])
        #expect(Int(retry["create_retries"]!)! >= 3)
        #expect(summary.rows(strategy: "eager").first?["threads_created_on_demand"] == "0")
        #expect(summary.rows.allSatisfy { $0["signals_in_enter"] == "" }, "the model has no io_uring_enter")
        #expect(Int(summary.rows(strategy: "naive").first!["items_failed"]!)! == 3)

        let trials = try CSVTable(path: out + "/trials.csv")
        #expect(trials.rows.count == 12)
        // every row says where it ran: this machine's uname -r, and not emulated unless it is
        let release = try String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(Array(trials.header[4...5]) == ["kernel_release", "emulated"])
        for row in trials.rows + summary.rows {
            #expect(row["kernel_release"] == release)
            #expect(row["emulated"] == "0" || row["emulated"] == "1")
        }
        #expect(trials.rows(strategy: "pre-patch").allSatisfy { $0["hung"] == "1" && $0["stuck"] == "1" && $0["hang_kind"] == "no-worker" })
        #expect(trials.rows(strategy: "eager").allSatisfy { $0["stuck"] == "0" && $0["hang_kind"] == "" })

        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/meta.json"))) as! [String: Any]
        #expect(meta["emulated"] as? Bool == (summary.rows.first?["emulated"] == "1"))
        #expect((meta["emulation_evidence"] as? String)?.isEmpty == false)
        for key in ["git_commit", "kernel_release", "cpu_model", "cpu_count", "swift_version", "command_line", "seed", "start_time", "end_time"] {
            #expect(meta[key] != nil, "meta.json lacks \(key)")
        }
        let rates = try #require(meta["trials_per_second"] as? [String: Double])
        #expect(Set(rates.keys) == ["pre-patch", "retry-via-workqueue", "eager", "naive"])
        #expect(rates.values.allSatisfy { $0 > 0 })
        #expect(run.standardOutput.contains("stuck [95% CI]"))
        // the seed's row completed its items: its whole latency distribution sits beside the CSV
        let distribution = try String(contentsOfFile: out + "/histograms/retry-via-workqueue_first-worker_one-shot_none.hgrm", encoding: .utf8)
        #expect(distribution.contains("Percentile"))
        #expect(distribution.contains("Total count    =            3]"), "\(distribution.suffix(300))")
        // pre-patch hung every time: no ok latency, no file
        #expect(!FileManager.default.fileExists(atPath: out + "/histograms/pre-patch_first-worker_one-shot_none.hgrm"))
        #expect(run.standardOutput.contains("failed 1.00"), "naive's failed items are named in the table")
    }

    /// The seed's exit hang in one configuration: its children stop after each hung trial and are
    /// replaced; the configuration after it is unaffected and the run ends.
    @Test func aHungConfigurationDoesNotChangeTheRowsAfterIt() throws {
        let out = temporaryPath("isolation")
        let run = try BenchProcess.run(["run", "--strategy", "retry-via-workqueue", "--strategy", "eager",
                                        "--scenario", "exit-under-fire", "--signals", "one-shot", "--trials", "2", "--out", out])
        #expect(run.status == 0, "\(run.standardError)")
        let trials = try CSVTable(path: out + "/trials.csv")
        let seed = trials.rows(strategy: "retry-via-workqueue")
        #expect(seed.count == 2)
        #expect(seed.allSatisfy { $0["exit_hung"] == "1" && $0["stuck"] == "1" && $0["hang_kind"] == "exit-waiting" })
        // every item completed, yet the pool never let go: stuck, though no item hung
        let summary = try CSVTable(path: out + "/summary.csv")
        let seedRow = try #require(summary.rows(strategy: "retry-via-workqueue").first)
        #expect(seedRow["hang_rate"] == "0.0000")
        #expect(seedRow["stuck_rate"] == "1.0000")
        #expect(run.standardOutput.contains("exit-hung 2/2"))
        #expect(run.standardOutput.contains("exit-waiting"), "the table says why")
        let eager = trials.rows(strategy: "eager")
        #expect(eager.count == 2)
        #expect(eager.allSatisfy { $0["exit_hung"] == "0" && $0["killed"] == "0" && $0["items_hung"] == "0" })
    }
}
