@testable import Harness
import IOWQ
import Testing

/// Timed schedules act while the work runs, and a row whose schedule never acted says so.
@Suite struct SignalScheduleTests {
    /// A 10 kHz schedule meets a sleepers trial (32 items of 1 ms on 8 workers) while it runs, and
    /// its signals are delivered on the task's way back to user space.
    @Test func aTenKilohertzScheduleDeliversSignalsWhileTheWorkRuns() {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.eager, scenario: .sleepers, signals: .periodic(perSecond: 10_000))
        let result = TrialRunner.run(spec, trial: 0, baseSeed: 1, profile: .quick)
        #expect(result.items.ok == Scenario.Shape.batch)
        #expect((result.counters?[.signalsDelivered] ?? 0) > 0)
    }

    @Test func aTimedScheduleThatDeliveredNothingIsFlagged() {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.prePatch, scenario: .firstWorker, signals: .poisson(perSecond: 1))
        var quiet = ConfigurationSummary(spec)
        var trial = TrialResult(spec: spec, trial: 0, seed: 1)
        trial.items.submitted = 1
        trial.items.ok = 1
        trial.counters = .zero
        quiet.add(trial)
        #expect(quiet.scheduleDidNotAct)
        #expect(quiet.displayNote == "timed schedule delivered no signal in any trial")

        var acted = ConfigurationSummary(spec)
        trial.counters![.signalsDelivered] = 1
        acted.add(trial)
        #expect(!acted.scheduleDidNotAct && acted.displayNote.isEmpty)

        // a creation-driven schedule is not on a clock: nothing to flag
        var oneShot = ConfigurationSummary(ConfigurationSpec(strategy: StrategyCatalog.prePatch, scenario: .firstWorker, signals: .oneShot))
        oneShot.add(trial)
        #expect(!oneShot.scheduleDidNotAct)
    }
}
