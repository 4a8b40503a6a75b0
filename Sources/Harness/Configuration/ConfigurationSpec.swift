import IOWQ

/// One point of a sweep: a strategy under a scenario, a signal schedule and a fault plan, run for a
/// number of trials. Kept as the command line spells it, so a child process gets the very same text.
public struct ConfigurationSpec: Sendable, Hashable {
    public let strategy: StrategyEntry
    public let scenario: Scenario
    public let signals: SignalSchedule
    public let faults: FaultPlan

    public init(strategy: StrategyEntry, scenario: Scenario, signals: SignalSchedule = .none, faults: FaultPlan = .none) {
        self.strategy = strategy
        self.scenario = scenario
        self.signals = signals
        self.faults = faults
    }

    /// A configuration as the command line spells it.
    public init(strategy: String, scenario: String, signals: String, faults: String, foreign: [ForeignPool] = []) throws(ConfigurationError) {
        self.init(strategy: try StrategyCatalog.named(strategy, foreign: foreign), scenario: try Scenario(parsing: scenario),
                  signals: try SignalSchedule(parsing: signals), faults: try FaultPlan(parsing: faults))
    }

    public var label: String { "\(strategy.name) \(scenario) signals=\(signals) faults=\(faults)" }

    public static func == (lhs: ConfigurationSpec, rhs: ConfigurationSpec) -> Bool { lhs.label == rhs.label }
    public func hash(into hasher: inout Hasher) { hasher.combine(label) }
}
