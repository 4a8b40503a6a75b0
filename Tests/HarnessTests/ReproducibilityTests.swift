import Harness
import IOWQ
import Testing

/// Same seed, same deterministic schedule and plan: the same outcomes and counts.
@Suite struct ReproducibilityTests {
    func outcome(_ spec: ConfigurationSpec, seed: UInt64) -> [String] {
        (0..<3).map { trial in
            let r = TrialRunner.run(spec, trial: trial, baseSeed: seed, profile: .quick)
            let c = r.counters!
            return "\(r.items.ok)/\(r.items.cancelled)/\(r.items.failed)/\(r.items.hung) attempts=\(c[.createAttempts]) failures=\(c.createFailures) setup=\(c[.threadsCreatedAtSetup]) exitHung=\(r.exitHung)"
        }
    }

    static let deterministic: [ConfigurationSpec] = [
        ConfigurationSpec(strategy: StrategyCatalog.prePatch, scenario: .firstWorker, signals: .oneShot),
        ConfigurationSpec(strategy: StrategyCatalog.naive, scenario: .burst(16), signals: .storm),
        ConfigurationSpec(strategy: StrategyCatalog.naive, scenario: .firstWorker, faults: .failNth(1, .EAGAIN)),
        ConfigurationSpec(strategy: StrategyCatalog.eager, scenario: .firstWorker, signals: .oneShot, faults: .failNth(2, .ENOMEM)),
        ConfigurationSpec(strategy: StrategyCatalog.seed, scenario: .firstWorker, faults: .failNth(1, .ENOMEM)),
    ]

    @Test(arguments: deterministic)
    func deterministicSchedulesReproduce(configuration: ConfigurationSpec) {
        #expect(outcome(configuration, seed: 7) == outcome(configuration, seed: 7))
    }
}
