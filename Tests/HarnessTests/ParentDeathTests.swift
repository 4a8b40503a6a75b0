#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// A parent killed outright cannot kill its children: they die with it (PR_SET_PDEATHSIG, armed by
/// every child of this program as it starts, proc_die_with_parent). Skipped under ThreadSanitizer
/// (scripts/tsan.sh) with the peer rows: the child runs with the interposer preloaded.
@Suite struct ParentDeathTests {
    /// dispatch under fail-after:0 never gets a thread: its child spins in libdispatch's retry
    /// loop until its parent's watchdog kills it. With the parent gone, nobody else would.
    @Test func aPeerChildDiesWithItsParent() throws {
        let out = temporaryPath("orphan")
        let bench = try LiveBench(["run", "--strategy", "dispatch", "--scenario", "first-worker", "--signals", "none",
                                   "--faults", "fail-after:0", "--trials", "3", "--out", out])
        let child = try #require(bench.firstChild(within: 120), "no child started (see \(bench.standardError))")
        // not Process.waitUntilExit: it would wait for an orphan that holds what bench inherited
        kill(bench.pid, SIGKILL)
        #expect(LiveBench.gone(bench.pid, within: 30))
        #expect(LiveBench.gone(child, within: 30), "child \(child) outlived its parent")
        if LiveBench.running(child) { kill(child, SIGKILL) }  // leave nothing behind either way
    }

    /// A foreign program (here one that never says ready) dies with the bench child that runs it,
    /// and that one with its parent: nothing of the row outlives a bench killed outright.
    @Test func aForeignProgramDiesWithItsParents() throws {
        let out = temporaryPath("orphan")
        let marker = "4242\(getpid() % 1000)"
        let bench = try LiveBench(["run", "--foreign", "stuck=exec sleep \(marker)", "--scenario", "first-worker", "--signals", "none",
                                   "--faults", "none", "--trials", "1", "--out", out])
        let child = try #require(bench.firstChild(within: 120), "no child started (see \(bench.standardError))")
        // wait until the program runs, then kill bench outright
        var program: pid_t?
        for _ in 0..<200 where program == nil {
            program = Self.pids(matching: "sleep \(marker)").first
            if program == nil { usleep(50_000) }
        }
        let found = try #require(program, "the foreign program never started")
        kill(bench.pid, SIGKILL)
        #expect(LiveBench.gone(bench.pid, within: 30))
        #expect(LiveBench.gone(child, within: 30), "child \(child) outlived its parent")
        #expect(LiveBench.gone(found, within: 30), "the foreign program \(found) outlived its bench child")
        for pid in [child, found] where LiveBench.running(pid) { kill(pid, SIGKILL) }
    }

    /// The processes whose command line contains `text`.
    static func pids(matching text: String) -> [pid_t] {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let command = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return command.contains(text) && !command.contains("--foreign") ? pid : nil
        } ?? []
    }

    /// A child whose parent is already gone when it starts (it was named by a pid that is not its
    /// parent) exits at once, before it runs anything.
    @Test func aChildWhoseParentIsGoneExits() throws {
        let run = try BenchProcess.run(["child", "--strategy", "eager", "--scenario", "first-worker", "--signals", "none",
                                        "--faults", "none", "--profile", "quick", "--first-trial", "0", "--trials", "1", "--seed", "1"],
                                       environment: ["IOWQ_PARENT_PID": "2"])
        #expect(run.status == 1)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError == "bench: error: the parent process named by IOWQ_PARENT_PID is gone (a child of a sweep stops with it)\n")
    }
}
