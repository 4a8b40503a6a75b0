import Foundation
@testable import Harness
import IOWQ
import Testing

/// What a row did not measure is empty, never 0: a configuration its strategy cannot run, the
/// figures a row's kind cannot see (a peer has no exit to time, the model no io_uring_enter wait,
/// only the model has its worker record's size), and a rate of nothing.
@Suite struct UnmeasuredTests {
    @Test func aConfigurationThatCannotRunWritesNoTrialsAndEveryMeasuredColumnEmpty() throws {
        let out = temporaryPath("unmeasured")
        let run = try BenchProcess.run(["run", "--strategy", "kernel", "--scenario", "first-worker", "--signals", "none",
                                        "--faults", "fail-nth:1:EAGAIN", "--trials", "3", "--out", out])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try CSVTable(path: out + "/trials.csv").rows.isEmpty, "no trial ran, so none is written")
        let row = try #require(try CSVTable(path: out + "/summary.csv").rows.first)
        #expect(row["trials"] == "0")
        #expect(row["stop_reason"] == "not-applicable")
        #expect(row["note"]?.hasPrefix("not applicable: ") == true)
        let written = Set(["strategy", "scenario", "signals", "faults", "kernel_release", "emulated", "trials",
                           "trials_schedule_idle", "stop_reason", "note"])
        for (column, value) in row where !written.contains(column) {
            #expect(value == "", "\(column) is '\(value)' in a row that ran nothing")
        }
    }

    @Test func eachKindOfRowLeavesEmptyWhatItCannotSee() throws {
        let out = temporaryPath("unmeasured")
        let run = try BenchProcess.run(["run", "--strategy", "pre-patch", "--strategy", "kernel", "--strategy", "dispatch",
                                        "--scenario", "first-worker", "--signals", "none", "--faults", "none",
                                        "--trials", "1", "--out", out], timeout: .seconds(60))
        #expect(run.status == 0, "\(run.standardError)")
        let summary = try CSVTable(path: out + "/summary.csv")
        let trials = try CSVTable(path: out + "/trials.csv")
        let model = try #require(summary.rows(strategy: "pre-patch").first)
        let kernel = try #require(summary.rows(strategy: "kernel").first)
        let peer = try #require(summary.rows(strategy: "dispatch").first)
        // the pool's exit: timed in the model and the kernel, a peer has none
        #expect(model["exit_hangs"] == "0" && kernel["exit_hangs"] == "0" && peer["exit_hangs"] == "")
        #expect(trials.rows(strategy: "dispatch").allSatisfy { $0["exit_hung"] == "" })
        // the worker record's size is the model's constant
        #expect(model["worker_record_bytes"]?.isEmpty == false)
        #expect(kernel["worker_record_bytes"] == "" && peer["worker_record_bytes"] == "")
        #expect(kernel["worker_stack_bytes"] == "" && peer["worker_stack_bytes"] == "")
        // an io_uring_enter wait cut short is the kernel row's alone
        #expect(kernel["wait_eintr"] == "0" && model["wait_eintr"] == "" && peer["wait_eintr"] == "")
    }

    /// items_punted is both rows': the kernel's io_uring_queue_async_work events, the model's enqueues.
    @Test func theModelCountsTheItemsItHandsToIOWQ() {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.eager, scenario: .burst(8))
        let result = TrialRunner.run(spec, trial: 0, baseSeed: 1, profile: .quick)
        #expect(result.items.submitted == 8 && result.counters?[.itemsPunted] == 8)
        #expect(result.counters?.isObserved(.itemsPunted) == true)
    }

    @Test func aRowWithNoItemDoneHasNoThroughput() throws {
        let out = temporaryPath("unmeasured")
        let run = try BenchProcess.run(["run", "--strategy", "pre-patch", "--scenario", "first-worker", "--signals", "one-shot",
                                        "--faults", "none", "--trials", "2", "--out", out])
        #expect(run.status == 0, "\(run.standardError)")
        let row = try #require(try CSVTable(path: out + "/summary.csv").rows.first)
        #expect(row["items_ok"] == "0" && row["hang_rate"] == "1.0000")
        #expect(row["throughput_items_per_s"] == "")
        #expect(try CSVTable(path: out + "/trials.csv").rows.allSatisfy { $0["throughput_items_per_s"] == "" })
    }
}
