import Foundation
import Testing

/// Bad input: one line on standard error, a non-zero exit, and nothing written or overwritten.
@Suite struct BadInputTests {
    func expectRejected(_ arguments: [String], environment: [String: String] = [:], mentioning words: String) throws {
        let run = try BenchProcess.run(arguments, environment: environment)
        #expect(run.status != 0)
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(run.standardError)")
        #expect(lines.first?.hasPrefix("bench: error: ") == true, "\(run.standardError)")
        #expect(run.standardError.contains(words), "\(run.standardError)")
    }

    @Test func unknownNames() throws {
        try expectRejected(["run", "--strategy", "bogus", "--out", temporaryPath("x")], mentioning: "unknown strategy 'bogus'")
        try expectRejected(["run", "--scenario", "flood", "--out", temporaryPath("x")], mentioning: "unknown scenario 'flood'")
        try expectRejected(["run", "--profile", "huge", "--out", temporaryPath("x")], mentioning: "unknown profile 'huge'")
    }

    @Test func malformedSchedulesAndPlans() throws {
        try expectRejected(["run", "--signals", "poisson:abc", "--out", temporaryPath("x")], mentioning: "must be a number in 1...1000000, not 'abc' in 'poisson:abc'")
        try expectRejected(["run", "--signals", "fatal:5", "--out", temporaryPath("x")], mentioning: "not a duration")
        try expectRejected(["run", "--faults", "fail-nth:2:EBOGUS", "--out", temporaryPath("x")], mentioning: "unknown errno")
    }

    @Test func negativeNumbers() throws {
        try expectRejected(["run", "--signals", "periodic:-5", "--out", temporaryPath("x")], mentioning: "a signal rate (signals per second) must be a number in 1...1000000")
        try expectRejected(["run", "--faults", "eagain:-0.1", "--out", temporaryPath("x")], mentioning: "probability")
        try expectRejected(["run", "--scenario", "burst:-4", "--out", temporaryPath("x")], mentioning: "burst")
        try expectRejected(["run", "--trials=-1", "--out", temporaryPath("x")], mentioning: "--trials")
        try expectRejected(["run", "--precision", "0.7", "--out", temporaryPath("x")], mentioning: "--precision")
        try expectRejected(["run", "--max-trials", "50", "--out", temporaryPath("x")], mentioning: "need a precision")
    }

    @Test func badKernelsArguments() throws {
        try expectRejected(["kernels", "6.x", "--out", temporaryPath("x")], mentioning: "unknown kernel '6.x'")
        try expectRejected(["kernels", "host", "--accel", "hvf", "--out", temporaryPath("x")], mentioning: "--accel")
        try expectRejected(["kernels", "host", "host", "--trials", "1", "--out", temporaryPath("x")], mentioning: "named twice")
    }

    @Test func anOutputFolderThatCannotBeWritten() throws {
        try expectRejected(["run", "--strategy", "eager", "--scenario", "first-worker", "--out", "/proc/iowq-bench/out"], mentioning: "cannot write")
    }

    @Test func anExistingRunFolderIsNeverOverwritten() throws {
        let out = temporaryPath("existing")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let earlier = out + "/summary.csv"
        try "earlier results\r\n".write(toFile: earlier, atomically: true, encoding: .utf8)
        try expectRejected(["run", "--strategy", "eager", "--scenario", "first-worker", "--out", out], mentioning: "refusing to overwrite")
        #expect(try String(contentsOfFile: earlier, encoding: .utf8) == "earlier results\r\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["summary.csv"])
    }

    @Test func aMalformedEmulationOverride() throws {
        let out = temporaryPath("emulated")
        try expectRejected(["run", "--strategy", "eager", "--scenario", "first-worker", "--out", out],
                           environment: ["IOWQ_EMULATED": "maybe"], mentioning: "IOWQ_EMULATED must be 1 or 0, not 'maybe'")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
