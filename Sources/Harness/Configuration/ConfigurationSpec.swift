import IOWQ

/// One point of a sweep: a strategy under a scenario, a signal schedule and a fault plan, run for a
/// number of trials. Kept as the command line spells it, so a child process gets the very same text.
public struct ConfigurationSpec: Sendable, Hashable {
    public let strategy: StrategyEntry
    public let scenario: Scenario
    public let signals: SignalSchedule
    public let faults: FaultPlan

    public init(strategy: String, scenario: String, signals: String, faults: String) throws(ConfigurationError) {
        self.strategy = try StrategyCatalog.named(strategy)
        self.scenario = try Scenario(parsing: scenario)
        self.signals = try SignalSchedule(parsing: signals)
        self.faults = try FaultPlan(parsing: faults)
    }

    public var label: String { "\(strategy.name) \(scenario) signals=\(signals) faults=\(faults)" }

    public static func == (lhs: ConfigurationSpec, rhs: ConfigurationSpec) -> Bool { lhs.label == rhs.label }
    public func hash(into hasher: inout Hasher) { hasher.combine(label) }
}
