#if canImport(Glibc)
import Glibc
#endif
import Foundation
import IOWQ
import Testing

/// The pools people use, each under the plan that shows its mechanism, through `bench run` and its
/// child processes with the interposer preloaded. Outcomes only, never timings. Skipped under
/// ThreadSanitizer (scripts/tsan.sh): the sanitizer's runtime interposes pthread_create too.
@Suite struct PeerRowTests {
    /// Runs one configuration of `strategy` for `trials` and returns its trials.csv rows.
    func run(_ strategy: String, _ scenario: String, faults: String, trials: Int = 1) throws -> [[String: String]] {
        let out = temporaryPath("peer")
        let run = try BenchProcess.run(["run", "--strategy", strategy, "--scenario", scenario, "--signals", "none",
                                        "--faults", faults, "--trials", String(trials), "--out", out], timeout: .seconds(60))
        #expect(run.status == 0, "\(run.standardError)")
        return try CSVTable(path: out + "/trials.csv").rows
    }

    @Test func everyPeerRunsTheFirstWorkerWithoutFaults() throws {
        for peer in ["dispatch", "foundation-thread", "nio-threadpool", "swift-tasks"] {
            let rows = try run(peer, "first-worker", faults: "none")
            #expect(rows.map { $0["items_ok"] } == ["1"], "\(peer)")
            #expect(rows.first?["threads_created"].flatMap { Int($0) }.map { $0 >= 1 } == true, "\(peer)")
            #expect(rows.first?["first_worker_us"]?.isEmpty == false, "\(peer)")
            for counter in Counter.allCases {
                guard let column = counter.definition.column, let row = rows.first else { continue }
                let written = !(row[column] ?? "").isEmpty
                #expect(written == counter.definition.observedBy.contains(.peer), "\(peer) \(column): '\(row[column] ?? "")', written exactly when observed")
            }
        }
    }

    /// NIOThreadPool.start() traps when a thread cannot be created: the child dies by SIGILL, its
    /// items are crashed, and the trap's message is kept.
    @Test func nioThreadPoolTrapsOnTheFirstFailedCreation() throws {
        let row = try #require(try run("nio-threadpool", "burst:8", faults: "fail-after:2").first)
        #expect(row["crashed"] == "1")
        #expect(row["crash_signal"] == "SIGILL")
        #expect(row["crash_message"]?.contains("Unable to create thread") == true, "\(row["crash_message"] ?? "")")
        #expect(row["items_crashed"] == "8" && row["items_hung"] == "0" && row["stuck"] == "0")
        #expect(row["create_attempts"] == "3" && row["create_failures_eagain"] == "1")
    }

    /// libdispatch sleeps a second and tries again, for ever, inside the caller's async(): the
    /// child never reports, the parent's watchdog kills it and sees the failures still growing.
    @Test func theWatchdogCatchesDispatchTrappedInsideAsync() throws {
        let row = try #require(try run("dispatch", "first-worker", faults: "fail-after:0").first)
        #expect(row["killed"] == "1")
        #expect(row["items_hung"] == "1" && row["stuck"] == "1")
        #expect(row["hang_kind"] == "creation-retrying")
        #expect(Int(row["create_failures_eagain"] ?? "") ?? 0 >= 2)
        #expect(row["create_attempts"] == row["create_failures_eagain"])
    }

    /// Thread.start() ignores pthread_create's result: the item silently never runs, nothing tries
    /// again, and the child itself reports it at its deadline.
    @Test func foundationThreadDropsTheFailedCreation() throws {
        let row = try #require(try run("foundation-thread", "first-worker", faults: "fail-after:0").first)
        #expect(row["killed"] == "0")
        #expect(row["items_hung"] == "1")
        #expect(row["hang_kind"] == "creation-dropped")
        #expect(row["create_attempts"] == "1" && row["create_failures_eagain"] == "1")
    }

    /// The cooperative pool is as wide as the cores: a chain needing 8 threads at once never runs
    /// whole on fewer, with no fault at all.
    @Test(.enabled(if: sysconf(Int32(_SC_NPROCESSORS_ONLN)) < 8))
    func swiftTasksCannotRunAChainWiderThanTheCores() throws {
        let row = try #require(try run("swift-tasks", "chain:8", faults: "none").first)
        #expect(row["stuck"] == "1")
        #expect(row["hang_kind"] == "workers-blocked")
        #expect(row["create_failures_eagain"] == "0")
    }

    /// Without the interposer beside bench, a peer sweep is refused in one line before it starts.
    @Test func aMissingInterposerIsOneLine() throws {
        let bench = URL(fileURLWithPath: BenchProcess.executable)
        let folder = bench.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("no-interposer-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("bench")
        try FileManager.default.linkItem(at: bench, to: copy)
        let process = Process()
        process.executableURL = copy
        process.arguments = ["run", "--strategy", "dispatch", "--scenario", "first-worker", "--signals", "none", "--out", temporaryPath("x")]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus != 0)
        #expect(text.split(separator: "\n").count == 1, "\(text)")
        #expect(text.contains("libIOWQThreadInterposer.so"), "\(text)")
    }
}
