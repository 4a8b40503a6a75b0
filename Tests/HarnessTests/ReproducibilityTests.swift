import Harness
import IOWQ
import Testing

/// Same seed, same deterministic schedule and plan: the same outcomes and counts.
@Suite struct ReproducibilityTests {
    func outcome(_ strategy: String, _ scenario: String, _ signals: String, _ faults: String, seed: UInt64) throws -> [String] {
        let spec = try ConfigurationSpec(strategy: strategy, scenario: scenario, signals: signals, faults: faults)
        return (0..<3).map { trial in
            let r = TrialRunner.run(spec, trial: trial, baseSeed: seed, profile: .quick)
            let c = r.counters!
            return "\(r.items.ok)/\(r.items.cancelled)/\(r.items.failed)/\(r.items.hung) attempts=\(c[.createAttempts]) failures=\(c.createFailures) setup=\(c[.threadsCreatedAtSetup]) exitHung=\(r.exitHung)"
        }
    }

    @Test(arguments: [
        ("pre-patch", "first-worker", "one-shot", "none"),
        ("naive", "burst:16", "storm", "none"),
        ("naive", "first-worker", "none", "fail-nth:1:EAGAIN"),
        ("eager", "first-worker", "one-shot", "fail-nth:2:ENOMEM"),
        ("retry-via-workqueue", "first-worker", "none", "fail-nth:1:ENOMEM"),
    ])
    func deterministicSchedulesReproduce(configuration: (String, String, String, String)) throws {
        let (strategy, scenario, signals, faults) = configuration
        let first = try outcome(strategy, scenario, signals, faults, seed: 7)
        let second = try outcome(strategy, scenario, signals, faults, seed: 7)
        #expect(first == second)
    }
}
