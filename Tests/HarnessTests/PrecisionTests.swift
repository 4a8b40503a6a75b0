import Foundation
@testable import Harness
import IOWQ
import Testing

/// A row runs on until its stuck rate is precise enough, whether its trials disagree or all agree;
/// one that hit a cap stops and says why.
@Suite struct PrecisionTests {
    static let precision = Precision(halfWidth: 0.05, maxTrials: 400, timeBudget: .seconds(90))

    func row(stuck: Int, of trials: Int) -> ConfigurationSummary {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.prePatch, scenario: .firstWorker)
        var row = ConfigurationSummary(spec)
        for index in 0..<trials {
            var trial = TrialResult(spec: spec, trial: index, seed: 1)
            trial.items.submitted = 1
            if index < stuck { trial.items.hung = 1 } else { trial.items.ok = 1 }
            row.add(trial)
        }
        return row
    }

    @Test func whyARowStops() {
        let p = Self.precision
        #expect(p.stopReason(row(stuck: 0, of: 20), trials: 20, elapsed: .zero) == nil, "0 of 20 is [0, 0.16]: not ±0.05")
        #expect(p.stopReason(row(stuck: 20, of: 20), trials: 20, elapsed: .zero) == nil)
        #expect(p.stopReason(row(stuck: 0, of: 35), trials: 35, elapsed: .zero) == .precision)
        #expect(p.stopReason(row(stuck: 35, of: 35), trials: 35, elapsed: .zero) == .precision)
        #expect(p.stopReason(row(stuck: 6, of: 20), trials: 20, elapsed: .zero) == nil)
        #expect(p.stopReason(row(stuck: 120, of: 400), trials: 400, elapsed: .zero) == .precision, "±0.045 at 0.3 of 400")
        #expect(p.stopReason(row(stuck: 60, of: 200), trials: 200, elapsed: .seconds(91)) == .timeCap)
        var capped = p
        capped.maxTrials = 100
        #expect(capped.stopReason(row(stuck: 30, of: 100), trials: 100, elapsed: .zero) == .trialCap)
    }

    /// The next batch aims at the normal approximation's n for the rate seen: 0.3 needs 323.
    @Test func theNextBatchAimsAtTheTrialsTheRateNeeds() {
        #expect(Self.precision.nextBatch(row(stuck: 6, of: 20), trials: 20) == 303)
        #expect(Self.precision.nextBatch(row(stuck: 1, of: 20), trials: 20) == 53, "a rate under 0.05 counts as 0.05")
        #expect(Self.precision.nextBatch(row(stuck: 6, of: 20), trials: 390) == 10, "never past the cap")
        #expect(Self.precision.nextBatch(row(stuck: 0, of: 20), trials: 20) == 15, "0 of n needs n = 35 for ±0.05")
        #expect(Self.precision.nextBatch(row(stuck: 5, of: 5), trials: 5) == 30)
    }

    /// Through the command line: pre-patch under EAGAIN with p = 0.5 hangs in about half its
    /// trials, so 10 trials cannot give ±0.2 and the row runs on until they do.
    @Test func aRunGoesOnUntilItsRateIsPrecise() throws {
        let out = temporaryPath("precision")
        let run = try BenchProcess.run(["run", "--strategy", "pre-patch", "--scenario", "first-worker", "--signals", "none",
                                        "--faults", "eagain:0.5", "--trials", "10", "--precision", "0.2", "--max-trials", "200",
                                        "--out", out])
        #expect(run.status == 0, "\(run.standardError)")
        let summary = try #require(try CSVTable(path: out + "/summary.csv").rows.first)
        let trials = try #require(Int(summary["trials"] ?? ""))
        #expect(trials > 10)
        #expect(summary["stop_reason"] == "precision", "\(summary)")
        let low = try #require(Double(summary["stuck_rate_ci_low"] ?? "")), high = try #require(Double(summary["stuck_rate_ci_high"] ?? ""))
        #expect((high - low) / 2 <= 0.2)
        #expect(try CSVTable(path: out + "/trials.csv").rows.count == trials)
    }
}
