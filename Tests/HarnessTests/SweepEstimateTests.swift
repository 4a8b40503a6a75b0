import Foundation
@testable import Harness
import IOWQ
import Testing

/// The sweep's longest time, before it runs: shown beyond a few minutes, refused beyond a day
/// without --yes, before anything is written; the profiles' own sweeps are never refused.
@Suite struct SweepEstimateTests {
    @Test func everyProfileRunsWithoutYes() {
        for profile in Profile.all {
            let plan = SweepPlan(configurations: profile.defaultSweep(), trials: nil, seed: 1, profile: profile, precision: profile.precision)
            let estimate = SweepEstimate(plan)
            #expect(!estimate.isRefused, "\(profile.name): \(estimate)")
            print("\(profile.name): \(plan.configurations.count) configurations, \(estimate)")
        }
    }

    /// Each trial counts its deadlines: the quick profile's 300 ms items and 300 ms exit, a
    /// steady row its 300 ms of arrivals too, a peer its parent's last look.
    @Test func eachTrialCountsItsDeadlines() throws {
        let eager = try StrategyCatalog.named("eager")
        let plan = SweepPlan(configurations: [ConfigurationSpec(strategy: eager, scenario: .firstWorker),
                                              ConfigurationSpec(strategy: eager, scenario: .steady(perSecond: 100))],
                             trials: 1000, seed: 1, profile: .quick)
        let estimate = SweepEstimate(plan)
        #expect(estimate.trials == 2000)
        #expect(abs(estimate.longestSeconds - (1000 * 0.6 + 1000 * 0.9)) < 1e-6)
        #expect(estimate.isShown && !estimate.isRefused)
        #expect(estimate.description == "at most 25 min (2000 trials, each to its deadlines; most end far sooner)")
        let dispatch = try StrategyCatalog.named("dispatch")
        let peer = SweepEstimate(SweepPlan(configurations: [ConfigurationSpec(strategy: dispatch, scenario: .firstWorker)], trials: 1, seed: 1, profile: .quick))
        #expect(abs(peer.longestSeconds - 3.3) < 1e-6, "300 ms + 500 ms to the sample, 1.5 s observed, 1 s more")
    }

    @Test func anAbsurdSweepIsRefusedWithoutYes() throws {
        let out = temporaryPath("absurd")
        let run = try BenchProcess.run(["run", "--strategy", "eager", "--strategy", "naive", "--scenario", "first-worker", "--signals", "none",
                                        "--trials", "99999", "--out", out])
        #expect(run.status == 64)
        #expect(run.standardError == "bench: error: this sweep may take at most 1 d 10 h (199998 trials, each to its deadlines; most end far sooner); refusing one that may take over a day without --yes (or ask for fewer --trials or configurations)\n")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// gate and fidelity run sweeps too: the same bound.
    @Test func gateAndFidelityRefuseAbsurdSweepsToo() throws {
        for command in ["gate", "fidelity"] {
            let out = temporaryPath(command)
            let run = try BenchProcess.run([command, "--trials", "100000", "--out", out])
            #expect(run.status == 64, "\(command): \(run.standardError)")
            #expect(run.standardError.hasPrefix("bench: error: this sweep may take at most ") && run.standardError.contains("without --yes"), "\(run.standardError)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    /// A long sweep says how long before it starts (and is stopped here at once).
    @Test func aLongSweepSaysHowLong() throws {
        let out = temporaryPath("long")
        let bench = try LiveBench(["run", "--strategy", "eager", "--scenario", "first-worker", "--signals", "none", "--trials", "1000", "--out", out])
        _ = try #require(bench.firstChild(within: 120))
        #expect(bench.signal(SIGTERM) == 143)
        let said = try String(contentsOfFile: bench.standardError, encoding: .utf8)
        #expect(said.contains("bench: this sweep may take at most 10 min (1000 trials, each to its deadlines; most end far sooner)"), "\(said)")
    }
}
