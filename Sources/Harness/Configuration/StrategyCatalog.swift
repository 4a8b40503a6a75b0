import IOWQ

/// A strategy the command line can name.
public struct StrategyEntry: Sendable {
    public let name: String
    public let summary: String
    public let make: @Sendable () -> any WorkerCreationStrategy
}

/// Every strategy by name. A new strategy is one new file in IOWQ/Strategies and one entry here.
public enum StrategyCatalog {
    public static let all: [StrategyEntry] = [
        StrategyEntry(name: "naive", summary: "inline creation on every enqueue, 8 inline retries, then the item fails; no reuse") { Naive() },
        StrategyEntry(name: "pre-patch", summary: "Linux 5.14 before the seed: a failed creation gives up, an empty group hangs") { PrePatch() },
        StrategyEntry(name: "retry-via-workqueue", summary: "the seed (3146cba99aa2) as committed: retries through a kworker, with its defects") { RetryViaWorkqueue.seed },
        StrategyEntry(name: "eager", summary: "every worker created at setup, none on demand, none exits on idle") { Eager() },
    ]

    public static func named(_ name: String) throws(ConfigurationError) -> StrategyEntry {
        guard let entry = all.first(where: { $0.name == name }) else {
            throw .invalid("unknown strategy '\(name)' (expected one of: \(all.map(\.name).joined(separator: ", ")))")
        }
        return entry
    }
}
