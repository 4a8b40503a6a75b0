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
