#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// libIOWQThreadInterposer.so preloaded into a C program that creates threads: which creations fail.
@Suite struct InterposerTests {
    @Test func noPlanFailsNothing() throws {
        for environment in [[:], ["IOWQ_THREAD_FAULTS": "none"]] {
            let probe = try InterposerProbe.run(threads: 8, environment: environment)
            #expect(probe.interposed, "the library was not preloaded: \(probe.fields)")
            #expect(probe.planError == 0)
            #expect(probe.failed == 0)
            #expect(probe.counted == (8, 0))
            #expect(probe.termination == (.exit, 0))
        }
    }

    @Test(arguments: [
        ("fail-after:2", [3, 4, 5, 6]),
        ("fail-after:0", [1, 2, 3, 4, 5, 6]),
        ("fail-after:6", []),
        ("fail-nth:3", [3]),
        ("fail-nth:1", [1]),
        ("fail-nth:9", []),
        ("eagain:0", []),
        ("eagain:1", [1, 2, 3, 4, 5, 6]),
        ("eagain:1.0", [1, 2, 3, 4, 5, 6]),
    ])
    func aPlanFailsExactlyItsAttempts(plan: String, failing: [Int]) throws {
        let probe = try InterposerProbe.run(threads: 6, environment: ["IOWQ_THREAD_FAULTS": plan])
        #expect(probe.planError == 0)
        #expect(probe.failedAt == failing)
        #expect(probe.counted == (6, UInt64(failing.count)))
        #expect(probe.standardError.isEmpty)
    }

    @Test func aSeedNamesOneSetOfFailingAttempts() throws {
        func failing(seed: String?) throws -> [Int] {
            var environment = ["IOWQ_THREAD_FAULTS": "eagain:0.5"]
            environment["IOWQ_THREAD_FAULTS_SEED"] = seed
            let probe = try InterposerProbe.run(threads: 200, environment: environment)
            #expect(probe.planError == 0)
            #expect(probe.failed == probe.failedAt.count)
            return probe.failedAt
        }
        let first = try failing(seed: "42")
        #expect(try failing(seed: "42") == first)
        #expect(try failing(seed: "43") != first)
        #expect(try failing(seed: nil) == failing(seed: "1"))
        // Binomial(200, 0.5): 100 ± 7 (sd); these bounds are 5 sd either side.
        #expect((65...135).contains(first.count), "\(first.count) of 200 failed")
    }

    @Test func disarmedAttemptsAreNotCounted() throws {
        let disarmed = try InterposerProbe.run(
            threads: 5, environment: ["IOWQ_THREAD_FAULTS": "fail-after:0", "IOWQ_THREAD_FAULTS_ARMED": "0"])
        #expect(disarmed.planError == 0)
        #expect(disarmed.failed == 0)
        #expect(disarmed.counted == (0, 0))

        // Armed after two creations: the plan's first attempt is the probe's third.
        let armedLater = try InterposerProbe.run(
            threads: 5, environment: ["IOWQ_THREAD_FAULTS": "fail-nth:2", "IOWQ_THREAD_FAULTS_ARMED": "0"],
            arguments: ["--arm-after", "2"])
        #expect(armedLater.failedAt == [4])
        #expect(armedLater.counted == (3, 1))
    }

    @Test func theCounterFileHoldsAttemptsAndFailures() throws {
        let path = try makeCounterFile()
        defer { unlink(path) }
        let probe = try InterposerProbe.run(
            threads: 7, environment: ["IOWQ_THREAD_FAULTS": "fail-after:4", "IOWQ_THREAD_FAULTS_SHM": path])
        #expect(probe.termination == (.exit, 0))
        #expect(probe.failedAt == [5, 6, 7])
        #expect(try readCounters(path) == (7, 3))
    }

    @Test func theCounterFileSurvivesSIGKILL() throws {
        let path = try makeCounterFile()
        defer { unlink(path) }
        let probe = try InterposerProbe.run(
            threads: 9, environment: ["IOWQ_THREAD_FAULTS": "fail-nth:2", "IOWQ_THREAD_FAULTS_SHM": path],
            arguments: ["--kill"])
        #expect(probe.termination == (.uncaughtSignal, SIGKILL))
        #expect(probe.failedAt == [2])
        #expect(try readCounters(path) == (9, 1))
    }

    @Test(arguments: ["fail-nth:0", "fail-after:", "fail-after:-1", "eagain:1.5", "eagain:.", "eagain:0.5x", "sometimes", "None"])
    func aBadPlanIsReportedAndFailsNothing(plan: String) throws {
        let probe = try InterposerProbe.run(threads: 4, environment: ["IOWQ_THREAD_FAULTS": plan])
        #expect(probe.planError == 1)
        #expect(probe.failed == 0)
        #expect(probe.standardError == "iowq-interposer: bad IOWQ_THREAD_FAULTS '\(plan)'\n")
    }

    @Test func aBadSeedOrArmedValueIsAPlanErrorToo() throws {
        for environment in [["IOWQ_THREAD_FAULTS": "eagain:1", "IOWQ_THREAD_FAULTS_SEED": "x1"],
                            ["IOWQ_THREAD_FAULTS": "eagain:1", "IOWQ_THREAD_FAULTS_ARMED": "yes"],
                            ["IOWQ_THREAD_FAULTS": "eagain:1", "IOWQ_THREAD_FAULTS_SHM": "/nonexistent/counters"]] {
            let probe = try InterposerProbe.run(threads: 3, environment: environment)
            #expect(probe.planError == 1)
            #expect(probe.failed == 0)
            #expect(probe.standardError.hasPrefix("iowq-interposer: bad IOWQ_THREAD_FAULTS_"))
        }
    }
}
