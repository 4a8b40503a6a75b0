#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// A run asked to stop ends at once with 128 + the signal (130 for SIGINT, 143 for SIGTERM), keeps
/// what it measured and says in meta.json that it stopped early; it leaves no child behind.
@Suite struct StopTests {
    /// A sweep long enough to be stopped in the middle: its first child is running when the signal
    /// comes (the stop handlers are in place before any child starts).
    func stop(with signal: Int32) throws -> (status: Int32, meta: [String: Any], child: pid_t) {
        let out = temporaryPath("stopped")
        let bench = try LiveBench(["run", "--strategy", "pre-patch", "--scenario", "first-worker", "--scenario", "chain:8",
                                   "--signals", "none", "--trials", "2000", "--out", out])
        let child = try #require(bench.firstChild(within: 120), "no child started: \(bench.standardError)")
        let status = bench.signal(signal)
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/meta.json"))) as! [String: Any]
        return (status, meta, child)
    }

    @Test func sigintExits130AndSigtermExits143() throws {
        for (signal, expected) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let run = try stop(with: signal)
            #expect(run.status == expected, "signal \(signal)")
            #expect(run.meta["stopped_early"] as? Bool == true)
            #expect(run.meta["complete"] as? Bool == false)
            #expect(run.meta["end_time"] is String)
            #expect(LiveBench.gone(run.child, within: 30))
        }
    }
}
