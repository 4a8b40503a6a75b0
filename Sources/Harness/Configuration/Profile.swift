import IOWQ

/// How long and how often: the quick profile is the default sweep (about three minutes in a release
/// build on two cores); the full profile is for reference runs.
public struct Profile: Sendable, Hashable {
    public let name: String
    public let trials: Int
    /// How long `steady` submits for.
    public let steadyDuration: Duration
    /// How long a trial waits for its items before the pending ones count as hung.
    public let itemDeadline: Duration
    /// How long exit may take before it counts as an exit hang.
    public let exitDeadline: Duration
    public let scenarios: [String]
    public let signals: [String]
    public let faults: [String]
    /// Configurations beyond the product, for the classic strategies and the kernel anchor: the
    /// signal-rate sweep and fault plans of the reference run.
    public var extras: [(scenario: String, signals: String, faults: String)] = []

    /// The configurations on which the seed and its upstream presets differ (docs/model.md §5):
    /// run for the lineage strategies in the default sweep, instead of the whole product.
    public static let lineageConfigurations: [(scenario: String, signals: String, faults: String)] = [
        ("exit-under-fire", "one-shot", "none"),         // seed: exit hang; 5.15: clean exit
        ("first-worker", "none", "fail-nth:1:ENOMEM"),   // seed: completed twice, leaked record; 5.15: neither
        ("first-worker", "storm+fatal:5ms", "none"),     // 5.15: retries without end; 5.16: gives up, exits
        ("first-worker", "storm", "none"),               // 6.11/6.14: cancelled after 3 retries; 6.19: retried on
        ("first-worker", "none", "eagain:1"),            // 6.19: EAGAIN still bounded
        ("chain:8", "storm:2", "none"),                  // creation gives up beside blocked workers
    ]

    /// The default sweep: the classic strategies and the kernel anchor over the profile's product,
    /// then the seed and its presets over the lineage configurations.
    public func defaultSweep() throws(ConfigurationError) -> [ConfigurationSpec] {
        var specs: [ConfigurationSpec] = []
        for strategy in StrategyCatalog.classic + [StrategyCatalog.kernel] {
            for scenario in scenarios {
                for signals in signals {
                    for faults in faults {
                        specs.append(try ConfigurationSpec(strategy: strategy.name, scenario: scenario, signals: signals, faults: faults))
                    }
                }
            }
            for (scenario, signals, faults) in extras {
                specs.append(try ConfigurationSpec(strategy: strategy.name, scenario: scenario, signals: signals, faults: faults))
            }
        }
        for strategy in ["retry-via-workqueue"] + StrategyCatalog.lineage.map(\.name) {
            for (scenario, signals, faults) in Profile.lineageConfigurations {
                let spec = try ConfigurationSpec(strategy: strategy, scenario: scenario, signals: signals, faults: faults)
                if !specs.contains(spec) { specs.append(spec) }
            }
        }
        return specs
    }

    public static let quick = Profile(
        name: "quick", trials: 5, steadyDuration: .milliseconds(300), itemDeadline: .milliseconds(300),
        exitDeadline: .milliseconds(300),
        scenarios: ["first-worker", "burst:64", "steady:2000", "sleepers", "chain:8", "hashed:4", "mixed", "exit-under-fire"],
        signals: ["none", "one-shot", "storm"],
        faults: ["none"]
    )

    public static let full = Profile(
        name: "full", trials: 20, steadyDuration: .milliseconds(500), itemDeadline: .milliseconds(500),
        exitDeadline: .milliseconds(500),
        scenarios: ["first-worker", "burst:16", "burst:64", "burst:256", "steady:2000", "sleepers", "chain:8",
                    "hashed:4", "mixed", "exit-under-fire"],
        signals: ["none", "one-shot", "storm"],
        faults: ["none"],
        extras: ["poisson:100", "poisson:1000", "poisson:10000", "periodic:1000"].map { ("first-worker", $0, "none") }
            + ["eagain:0.1", "enomem:0.1"].map { ("first-worker", "none", $0) }
    )

    public static let all = [quick, full]

    public static func == (lhs: Profile, rhs: Profile) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    public static func named(_ name: String) -> Profile? { all.first { $0.name == name } }
}
