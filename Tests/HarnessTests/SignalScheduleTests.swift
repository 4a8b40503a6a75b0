@testable import Harness
import IOWQ
import Testing

/// Timed schedules act while the work runs; a trial they did not act in is flagged and left out of
/// its row, and a row whose schedule never acted says so.
@Suite struct SignalScheduleTests {
    /// A first-worker trial lasts about 200 µs. Its 10 kHz schedule is due at a random phase inside
    /// the first 100 µs after the first submission, so it signals while the item runs (100 of 100
    /// trials of `bench run` here); a clock started at setup sent nothing in most such trials. The
    /// sender is a thread of its own, and beside this suite's other tests on two cores it may not
    /// get a CPU inside a window that short: such a trial is flagged idle, which is the point, so
    /// this asks that the schedule acted, and its signal reached the task, in some of ten (a signal
    /// sent in the window's last microseconds may find the task already on its exit path, where it
    /// is never delivered).
    @Test func aTenKilohertzScheduleActsInsideFirstWorkerTrials() {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.seed, scenario: .firstWorker, signals: .periodic(perSecond: 10_000))
        let results = (0..<10).map { TrialRunner.run(spec, trial: $0, baseSeed: 1, profile: .quick) }
        #expect(results.contains { $0.scheduleActed == true && ($0.counters?[.signalsDelivered] ?? 0) > 0 })
        #expect(results.allSatisfy { $0.scheduleActed != nil && $0.workWindowNanoseconds != nil })
    }

    /// The same on a trial of many items: the schedule keeps acting for as long as the work runs.
    @Test func aTenKilohertzScheduleDeliversSignalsWhileTheWorkRuns() {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.eager, scenario: .sleepers, signals: .periodic(perSecond: 10_000))
        let result = TrialRunner.run(spec, trial: 0, baseSeed: 1, profile: .quick)
        #expect(result.items.ok == Scenario.Shape.batch)
        #expect((result.counters?[.signalsDelivered] ?? 0) > 1)
    }

    func trial(_ spec: ConfigurationSpec, acted: Bool?, hung: Bool) -> TrialResult {
        var trial = TrialResult(spec: spec, trial: 0, seed: 1)
        trial.items.submitted = 1
        if hung { trial.items.hung = 1 } else { trial.items.ok = 1 }
        trial.counters = .zero
        trial.counters![.signalsDelivered] = acted == true ? 1 : 0
        trial.workWindowNanoseconds = 1_000_000
        trial.scheduleActed = acted
        return trial
    }

    @Test func aTrialTheTimedScheduleLeftIdleIsLeftOutAndCounted() {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.prePatch, scenario: .firstWorker, signals: .poisson(perSecond: 100))
        var row = ConfigurationSummary(spec)
        row.add(trial(spec, acted: false, hung: true))
        row.add(trial(spec, acted: true, hung: false))
        #expect(row.trials == 1 && row.scheduleIdleTrials == 1)
        #expect(row.hangRate == 0, "the idle trial's hang is not the schedule's")
        #expect(row.items.submitted == 1)
        #expect(row.signalsDeliveredPerSecond == 1000)
        #expect(row.displayNote == "1 of 2 trials left out: the timed schedule sent no signal inside them")
    }

    @Test func aRowWhoseTimedScheduleNeverActedIsEmptyAndSaysSo() {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.prePatch, scenario: .firstWorker, signals: .poisson(perSecond: 1))
        var row = ConfigurationSummary(spec)
        row.add(trial(spec, acted: false, hung: false))
        row.add(trial(spec, acted: false, hung: false))
        #expect(row.scheduleDidNotAct && !row.ran)
        #expect(row.signalsDeliveredPerSecond == nil)
        #expect(row.displayNote == "timed schedule sent no signal inside any of the 2 trials")
        let fields = Dictionary(uniqueKeysWithValues: zip(SummaryColumns.all.header(), SummaryColumns.all.fields(row)))
        #expect(fields["hang_rate"] == "" && fields["stuck_rate"] == "" && fields["signals_delivered_per_s"] == "")
        #expect(fields["trials_schedule_idle"] == "2")
    }

    /// A creation-driven schedule is not on a clock: its trials always count.
    @Test func aCreationDrivenScheduleIsNeverSetAside() {
        let spec = ConfigurationSpec(strategy: StrategyCatalog.prePatch, scenario: .firstWorker, signals: .oneShot)
        let result = TrialRunner.run(spec, trial: 0, baseSeed: 1, profile: .quick)
        #expect(result.scheduleActed == nil)
        var row = ConfigurationSummary(spec)
        row.add(result)
        #expect(row.trials == 1 && row.scheduleIdleTrials == 0 && row.ran)
    }
}
