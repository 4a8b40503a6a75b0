import IOWQ

/// A strategy the command line can name.
public struct StrategyEntry: Sendable {
    /// What runs the strategy's trials.
    public enum Kind: Sendable {
        /// The model pool with this worker-creation strategy.
        case model(@Sendable () -> any WorkerCreationStrategy)
        /// The running kernel's own io-wq, through io_uring.
        case kernelAnchor
    }

    public let name: String
    public let summary: String
    public let kind: Kind

    init(name: String, summary: String, make: @escaping @Sendable () -> any WorkerCreationStrategy) {
        self.init(name: name, summary: summary, kind: .model(make))
    }

    init(name: String, summary: String, kind: Kind) {
        self.name = name
        self.summary = summary
        self.kind = kind
    }
}

/// Every strategy by name. A new strategy is one new file in IOWQ/Strategies and one entry here.
public enum StrategyCatalog {
    public static let all: [StrategyEntry] = classic + lineage + [kernel]

    /// The four strategies of the design card.
    public static let classic: [StrategyEntry] = [
        StrategyEntry(name: "naive", summary: "inline creation on every enqueue, 8 inline retries, then the item fails; no reuse") { Naive() },
        StrategyEntry(name: "pre-patch", summary: "Linux 5.14 before the seed: a failed creation gives up, an empty group hangs") { PrePatch() },
        StrategyEntry(name: "retry-via-workqueue", summary: "the seed (3146cba99aa2) as committed: retries through a kworker, with its defects") { RetryViaWorkqueue.seed },
        StrategyEntry(name: "eager", summary: "every worker created at setup, none on demand, none exits on idle") { Eager() },
    ]

    /// The seed as fixed upstream, cumulatively (retry-5.15 ... retry-6.19).
    public static let lineage: [StrategyEntry] = RetryViaWorkqueue.lineage.map { preset in
        let strategy = preset.strategy
        return StrategyEntry(name: strategy.name, summary: "+ \(preset.adds) (\(preset.commits))") { strategy }
    }

    public static let kernel = StrategyEntry(
        name: "kernel", summary: "the running kernel's io-wq through io_uring (IOSQE_ASYNC): the live anchor", kind: .kernelAnchor)

    public static func named(_ name: String) throws(ConfigurationError) -> StrategyEntry {
        guard let entry = all.first(where: { $0.name == name }) else {
            throw .invalid("unknown strategy '\(name)' (expected one of: \(all.map(\.name).joined(separator: ", ")))")
        }
        return entry
    }
}
