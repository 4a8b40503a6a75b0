#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// A run folder is complete only when its last write says so: meta.json's `complete` is made true
/// by the write after every row, every whole file is written through a temporary name, and a run
/// killed outright or out of disk space is never taken for a whole one.
@Suite struct RunCompletenessTests {
    func meta(_ out: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/meta.json"))) as! [String: Any]
    }

    /// Every file of the folder, with its size.
    func files(_ out: String) -> [(name: String, size: Int)] {
        let names = FileManager.default.enumerator(atPath: out)?.compactMap { $0 as? String } ?? []
        return names.compactMap { name in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: out + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
            let size = (try? FileManager.default.attributesOfItem(atPath: out + "/" + name)[.size] as? Int) ?? 0
            return (name, size)
        }
    }

    @Test func aFinishedRunSaysItIsComplete() throws {
        let out = temporaryPath("complete")
        let run = try BenchProcess.run(["run", "--strategy", "eager", "--scenario", "first-worker", "--signals", "none", "--trials", "2", "--out", out])
        #expect(run.status == 0, "\(run.standardError)")
        let meta = try meta(out)
        #expect(meta["complete"] as? Bool == true && meta["stopped_early"] as? Bool == false && meta["end_time"] is String)
        #expect(files(out).allSatisfy { !$0.name.hasSuffix(".partial") && $0.size > 0 }, "\(files(out))")
    }

    /// SIGKILL in the middle: meta.json as it was written at the start (not complete, no end), no
    /// empty histogram, and bench merge refuses the folder.
    @Test func aKilledRunIsNotTakenForAWholeOne() throws {
        let out = temporaryPath("killed")
        let bench = try LiveBench(["run", "--strategy", "eager", "--scenario", "first-worker", "--scenario", "burst:4", "--scenario", "chain:4",
                                   "--signals", "none", "--trials", "3000", "--out", out])
        _ = try #require(bench.firstChild(within: 120))
        kill(bench.pid, SIGKILL)
        #expect(LiveBench.gone(bench.pid, within: 30))
        let meta = try meta(out)
        #expect(meta["complete"] as? Bool == false)
        #expect(meta["end_time"] == nil)
        #expect(files(out).allSatisfy { $0.size > 0 || $0.name.hasSuffix(".partial") }, "an empty file: \(files(out))")
        let merge = try BenchProcess.run(["merge", out, "--out", out + "-merged"])
        #expect(merge.status != 0 && merge.standardError.contains("is not a complete run (it never ended: killed, or still running)"), "\(merge.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out + "-merged"))
    }

    /// A disk that fills (here: RLIMIT_FSIZE, so trials.csv and trials.jsonl cannot grow past 8 KiB while meta.json,
    /// under 8 KiB, still can be written): the run fails in one line and meta.json says why.
    @Test func aRunOutOfSpaceSaysSo() throws {
        let out = temporaryPath("full")
        // SIGXFSZ ignored: the write fails with EFBIG instead of killing bench
        let shell = ["/bin/bash", "-c", "trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\""]
        let run = try BenchProcess.run(["run", "--strategy", "eager", "--scenario", "first-worker", "--signals", "none", "--trials", "200", "--out", out],
                                       launcher: shell)
        #expect(run.status == 1, "\(run.standardError)")
        // the trial records fill first: a trials.jsonl line is longer than its trials.csv row
        #expect(["trials.csv", "trials.jsonl"].contains { run.standardError.contains("bench: error: cannot write \(out)/\($0): File too large") },
                "\(run.standardError)")
        let meta = try meta(out)
        #expect(meta["complete"] as? Bool == false && meta["stopped_early"] as? Bool == true)
        #expect((meta["failure"] as? String)?.contains("File too large") == true)
        let merge = try BenchProcess.run(["merge", out, "--out", out + "-merged"])
        #expect(merge.status != 0 && merge.standardError.contains("(it failed: cannot write"), "\(merge.standardError)")
    }
}
