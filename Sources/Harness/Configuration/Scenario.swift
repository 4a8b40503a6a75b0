import IOWQ

/// A workload of docs/model.md §6.
public enum Scenario: Hashable, Sendable, CustomStringConvertible {
    /// Fresh pool, one blocking item, wait: the seed's situation.
    case firstWorker
    /// N items that block for a while, then wait for all.
    case burst(Int)
    /// Open-loop Poisson arrivals at a rate (items/s); latency counted from the scheduled arrival.
    case steady(perSecond: Double)
    /// Items that block inside `blocking { }`, so workers come from the sleep path.
    case sleepers
    /// N items, each blocked on a pipe until the next has run: needs N workers alive together.
    case chain(Int)
    /// Items over K hashes; order within a hash must hold.
    case hashed(Int)
    /// Bound and unbound work together.
    case mixed
    /// Tear the pool down while creations are being retried.
    case exitUnderFire

    /// Every form `--scenario` takes, its summary built from the scenario's shape.
    public static let catalog: [(form: String, summary: String)] = [
        ("first-worker", "fresh pool, one item that blocks \(Format.spelled(Scenario.firstWorker.shape.block)), wait: the seed's situation"),
        ("burst:N", "N items (\(Scenario.burstItems.spelled)) that block \(Format.spelled(Scenario.burst(1).shape.block)), then wait for all"),
        ("steady:RATE", "open-loop Poisson arrivals at RATE items/s (\(Scenario.steadyRates.spelled)), each blocking \(Format.spelled(Scenario.steady(perSecond: 1).shape.block)); latency from the scheduled arrival"),
        ("sleepers", "\(Shape.batch) items that block \(Format.spelled(Scenario.sleepers.shape.block)) inside blocking { }; a worker that blocks with work queued asks for another from the sleep path"),
        ("chain:N", "N (\(Scenario.chainItems.spelled)) unbound items, each blocked on a pipe until the next has run: N workers at once, each created as its item is queued"),
        ("hashed:K", "\(Shape.itemsPerHash) items per hash over K (\(Scenario.hashes.spelled)) hashes; order within a hash is checked"),
        ("mixed", "\(Shape.batch) bound and unbound items together, blocking \(Format.spelled(Scenario.mixed.shape.block))"),
        ("exit-under-fire", "\(Shape.exitBatch) items; after \(Format.spelled(Scenario.exitUnderFire.shape.exitAfter!)), exit with a retried creation queued on the task, if any"),
    ]

    /// What a scenario is made of, defined once: the model's workload, the live kernel's requests,
    /// the item count and the watchdog are all built from it.
    public struct Shape: Sendable {
        /// Items of `sleepers` and `mixed`.
        public static let batch = 32
        /// Items per hash in `hashed:K`.
        public static let itemsPerHash = 16
        /// Items of `exit-under-fire`.
        public static let exitBatch = 8

        /// How many items; nil for open-loop arrivals, whose schedule decides.
        public var items: Int?
        /// How long each blocking item blocks (zero: its pipe or file decides).
        public var block: Duration
        /// exit-under-fire: how long after the submissions the pool (or the submitting thread) exits.
        public var exitAfter: Duration? = nil

        /// Items arrive on a schedule rather than all at once.
        public var isOpenLoop: Bool { items == nil }
    }

    public var shape: Shape {
        switch self {
        case .firstWorker: Shape(items: 1, block: .microseconds(100))
        case .burst(let n): Shape(items: n, block: .microseconds(200))
        case .steady: Shape(items: nil, block: .microseconds(50))
        case .sleepers: Shape(items: Shape.batch, block: .milliseconds(1))
        case .chain(let n): Shape(items: n, block: .zero)
        case .hashed(let k): Shape(items: k * Shape.itemsPerHash, block: .zero)
        case .mixed: Shape(items: Shape.batch, block: .microseconds(200))
        case .exitUnderFire: Shape(items: Shape.exitBatch, block: .milliseconds(1), exitAfter: .milliseconds(20))
        }
    }

    /// The items of `burst:N`.
    public static let burstItems = Bound<Int>(1...1024, "a burst's item count")
    /// The items of `chain:N`: each needs a worker of its own, alive with the others.
    public static let chainItems = Bound<Int>(1...256, "a chain's item count")
    /// The hashes of `hashed:K`.
    public static let hashes = Bound<Int>(1...64, "a number of hashes")
    /// The rates `steady:RATE` takes: at most 100k items a second (30k items in the quick
    /// profile's 300 ms), at least one.
    public static let steadyRates = Bound<Double>(1...100_000, "an arrival rate (items per second)")

    public init(parsing text: String) throws(ConfigurationError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch (parts[0], parts.count) {
        case ("first-worker", 1): self = .firstWorker
        case ("burst", 2): self = .burst(try Scenario.burstItems.parse(parts[1], in: text))
        case ("steady", 2): self = .steady(perSecond: try Scenario.steadyRates.parse(parts[1], in: text))
        case ("sleepers", 1): self = .sleepers
        case ("chain", 2): self = .chain(try Scenario.chainItems.parse(parts[1], in: text))
        case ("hashed", 2): self = .hashed(try Scenario.hashes.parse(parts[1], in: text))
        case ("mixed", 1): self = .mixed
        case ("exit-under-fire", 1): self = .exitUnderFire
        default:
            throw .invalid("unknown scenario '\(text)' (expected one of: \(Vocabulary.list(Scenario.catalog)))")
        }
    }

    public var description: String {
        switch self {
        case .firstWorker: "first-worker"
        case .burst(let n): "burst:\(n)"
        case .steady(let rate): "steady:\(rate.parameterText)"
        case .sleepers: "sleepers"
        case .chain(let n): "chain:\(n)"
        case .hashed(let k): "hashed:\(k)"
        case .mixed: "mixed"
        case .exitUnderFire: "exit-under-fire"
        }
    }
}
