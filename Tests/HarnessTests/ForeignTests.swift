#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import Harness
import Testing

/// A user's own pool program (docs/foreign.md): the line protocol, the tally of its items, and
/// whole runs of small programs written in sh, each breaking the contract one way, through `bench run`.
@Suite struct ForeignTests {
    @Test func theEventsParseAndAnythingElseSaysWhy() throws {
        #expect(try ForeignEvent(line: "ready", items: 4) == .ready)
        #expect(try ForeignEvent(line: "submit 3 ok", items: 4) == .submitted(id: 3, refused: nil))
        #expect(try ForeignEvent(line: "submit 0 refused Resource temporarily unavailable", items: 4)
                == .submitted(id: 0, refused: "Resource temporarily unavailable"))
        #expect(try ForeignEvent(line: "start 1", items: 4) == .started(id: 1))
        #expect(try ForeignEvent(line: "end 2", items: 4) == .ended(id: 2))
        for bad in ["", "hello", "start", "start 4", "start -1", "end x", "submit 1", "submit 1 maybe", "ready now"] {
            #expect(throws: ForeignProtocolError.self, "\(bad)") { try ForeignEvent(line: bad, items: 4) }
        }
    }

    @Test func theTallyAccountsForEveryItem() {
        var tally = ForeignTally(items: 5, deadline: 1000)
        for (event, time) in [(ForeignEvent.submitted(id: 0, refused: nil), UInt64(1)), (.started(id: 0), 2), (.ended(id: 0), 10),
                              (.submitted(id: 1, refused: "EAGAIN"), 3), (.submitted(id: 2, refused: nil), 4), (.started(id: 2), 5),
                              (.started(id: 2), 6), (.ended(id: 2), 2000), (.submitted(id: 3, refused: nil), 7), (.started(id: 3), 8)] {
            tally.add(event, at: time)
        }
        var quiet = TrialResult(spec: ConfigurationSpec(strategy: StrategyCatalog.seed, scenario: .burst(5)), trial: 0, seed: 1)
        tally.fill(&quiet, ending: .quiet, output: nil)
        // 0 ok; 1 refused; 2 ended after the deadline and 3 never: hung; 4 never submitted: hung
        #expect(quiet.items.submitted == 5 && quiet.items.ok == 1 && quiet.items.failed == 1 && quiet.items.hung == 3)
        #expect(quiet.items.completedTwice == 1, "item 2 started twice")
        #expect(tally.itemsBlocked && tally.firstWorker == 1)
        var panicked = TrialResult(spec: ConfigurationSpec(strategy: StrategyCatalog.seed, scenario: .burst(5)), trial: 0, seed: 1)
        tally.fill(&panicked, ending: .status(101), output: "thread 'main' panicked")
        #expect(panicked.items.crashed == 3 && panicked.crashName == "exit 101" && panicked.crashMessage == "thread 'main' panicked")
    }

    /// A thread may run an item before its submit call has returned (and so before its submit line).
    @Test func anItemThatEndsBeforeItsSubmitLineIsOK() {
        var tally = ForeignTally(items: 1, deadline: 1000)
        tally.add(.started(id: 0), at: 5)
        tally.add(.ended(id: 0), at: 9)
        tally.add(.submitted(id: 0, refused: nil), at: 20)
        var result = TrialResult(spec: ConfigurationSpec(strategy: StrategyCatalog.seed, scenario: .firstWorker), trial: 0, seed: 1)
        tally.fill(&result, ending: .quiet, output: nil)
        #expect(result.items.ok == 1 && LatencyHistogram(pairs: result.latencies).count == 1)
    }

    @Test func aRefusedItemThePoolRanAnywayIsCounted() {
        var tally = ForeignTally(items: 2, deadline: 1000)
        tally.add(.submitted(id: 0, refused: "can't start new thread"), at: 1)
        tally.add(.started(id: 0), at: 2)
        tally.add(.ended(id: 0), at: 3)
        tally.add(.submitted(id: 1, refused: "can't start new thread"), at: 4)
        #expect(tally.refusedYetRan == 1)
    }

    /// Runs `program` (sh) as a foreign pool over `scenario` under `faults`; the trials.csv rows and stderr.
    func run(_ program: String, scenario: String = "burst:2", faults: String = "none", trials: Int = 1,
             environment: [String: String] = [:]) throws -> (rows: [[String: String]], standardError: String, out: String) {
        let out = temporaryPath("foreign")
        // a program of its own, as a real one is (the shell that runs the command has no preload)
        let script = out + ".sh"
        try FileManager.default.createDirectory(atPath: (out as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try program.write(toFile: script, atomically: true, encoding: .utf8)
        let run = try BenchProcess.run(["run", "--foreign", "sh-pool=sh " + script, "--scenario", scenario, "--signals", "none",
                                        "--faults", faults, "--trials", String(trials), "--out", out],
                                       environment: environment, timeout: .seconds(60))
        #expect(run.status == 0, "\(run.standardError)")
        return (try CSVTable(path: out + "/trials.csv").rows, run.standardError, out)
    }

    static let wellBehaved = """
        echo ready >&3; read go; for i in $(seq 0 $((IOWQ_ITEMS - 1))); do echo "submit $i ok" >&3; echo "start $i" >&3; echo "end $i" >&3; done; cat >/dev/null
        """

    @Test func aProgramThatKeepsTheContractHasEveryItemOK() throws {
        let ran = try run(Self.wellBehaved, scenario: "burst:3")
        let row = try #require(ran.rows.first)
        #expect(row["items_submitted"] == "3" && row["items_ok"] == "3" && row["items_hung"] == "0", "\(row)")
        #expect(row["note"] == "" && row["crashed"] == "0")
        #expect(row["threads_created"] == "0", "sh made no thread: the interposer counted none")
        // meta.json names the foreign strategy, so the plots know its family
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ran.out + "/meta.json"))) as! [String: Any]
        let strategies = (meta["vocabulary"] as? [String: Any])?["strategies"] as? [[String: Any]] ?? []
        #expect(strategies.contains { $0["name"] as? String == "sh-pool" && $0["family"] as? String == "foreign" })
    }

    @Test func aMalformedLineIsOneLineAndTheTrialMeasuresNothing() throws {
        let row = try #require(try run("echo ready >&3; read go; echo 'hello there' >&3; cat >/dev/null").rows.first)
        #expect(row["note"] == "not run: the foreign program 'sh-pool' wrote 'hello there' on fd 3, which is not an event: expected \(ForeignEvent.grammar)")
        #expect(row["items_submitted"] == "")
    }

    @Test func aProgramThatNeverSaysReadyIsNotWaitedForLong() throws {
        let row = try #require(try run("sleep 30", environment: ["IOWQ_FOREIGN_READY_MS": "300"]).rows.first)
        #expect(row["note"] == "not run: the foreign program 'sh-pool' never said ready within 300ms")
    }

    @Test func aProgramThatExitsBeforeReadySaysHowAndWhat() throws {
        let row = try #require(try run("echo 'no java here' >&2; exit 127").rows.first)
        #expect(row["note"] == "not run: the foreign program 'sh-pool' exited with status 127 before it said ready: no java here")
    }

    /// env -u drops the preload: the program runs, but without the interposer its faults cannot act.
    @Test func aProgramThePreloadNeverReachedIsRefused() throws {
        let row = try #require(try run("exec env -u LD_PRELOAD sh -c 'echo ready >&3; read go; cat >/dev/null'", faults: "fail-after:0").rows.first)
        #expect(row["note"] == "not run: the foreign program 'sh-pool' said ready without the interposer loaded (a static binary, or LD_PRELOAD cleared): its faults could not act")
    }

    @Test func aProgramThatDiesWithItemsLeftCrashedThemByItsStatus() throws {
        let row = try #require(try run("echo ready >&3; read go; echo 'submit 0 ok' >&3; echo 'panicked at pool.rs' >&2; exit 101").rows.first)
        #expect(row["crashed"] == "1" && row["crash_signal"] == "exit 101" && row["crash_message"] == "panicked at pool.rs", "\(row)")
        #expect(row["items_crashed"] == "2")
    }

    @Test func whatAProgramForksEndsWithIt() throws {
        let marker = "987\(getpid() % 1000)"
        _ = try run("sleep \(marker) & echo ready >&3; read go; echo 'submit 0 ok' >&3; echo 'start 0' >&3; echo 'end 0' >&3; cat >/dev/null",
                    scenario: "first-worker")
        let pgrep = Process()
        pgrep.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        pgrep.arguments = ["-f", "sleep \(marker)"]
        let out = Pipe()
        pgrep.standardOutput = out
        try pgrep.run()
        pgrep.waitUntilExit()
        let found = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(pgrep.terminationStatus == 1 && found.isEmpty, "the program's child outlived the trial: \(found)")
    }
}
