import Harness
import IOWQ
import Testing

/// Each hang kind from the pool state that makes it, through the trial runner as a sweep runs it.
@Suite struct HangKindTests {
    func trial(_ strategy: String, _ scenario: Scenario, signals: SignalSchedule = .none) throws -> TrialResult {
        let spec = ConfigurationSpec(strategy: try StrategyCatalog.named(strategy), scenario: scenario, signals: signals, faults: .none)
        return TrialRunner.run(spec, trial: 0, baseSeed: 1, profile: .quick)
    }

    @Test func prePatchWithItsOnlyCreationFailedHasNoWorker() throws {
        let result = try trial("pre-patch", .firstWorker, signals: .oneShot)
        #expect(result.items.hung == 1)
        #expect(result.hangKind == .noWorker)
    }

    @Test func aChainWhoseCreationGaveUpHasItsWorkersBlocked() throws {
        let result = try trial("retry-6.14", .chain(8), signals: .storm(fromAttempt: 2))
        #expect(result.items.hung > 0)
        #expect(result.hangKind == .workersBlocked)
    }

    @Test func unboundedRetriesUnderAStormAreStillRetrying() throws {
        let result = try trial("retry-5.16", .firstWorker, signals: .storm)
        #expect(result.items.hung == 1)
        #expect(result.hangKind == .retrying)
    }

    @Test func theSeedsExitWaitsForTheRequestItNeverCancels() throws {
        let result = try trial("retry-via-workqueue", .exitUnderFire, signals: .oneShot)
        #expect(result.exitHung)
        #expect(result.hangKind == .exitWaiting)
    }

    @Test func aTrialThatIsNotStuckHasNoKind() throws {
        let result = try trial("retry-5.15", .exitUnderFire, signals: .oneShot)
        #expect(!result.stuck)
        #expect(result.hangKind == nil)
    }
}
