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

    public static let catalog: [(form: String, summary: String)] = [
        ("first-worker", "fresh pool, one blocking item, wait: the seed's situation"),
        ("burst:N", "N items (1...1024) that block 200us, then wait for all"),
        ("steady:RATE", "open-loop Poisson arrivals at RATE items/s; latency from the scheduled arrival"),
        ("sleepers", "32 items that block 1ms inside blocking { }: workers come from the sleep path"),
        ("chain:N", "N unbound items, each blocked on a pipe until the next has run: N workers at once"),
        ("hashed:K", "items over K hashes; order within a hash is checked"),
        ("mixed", "32 bound and unbound items together"),
        ("exit-under-fire", "8 items; after 20ms, exit with a retried creation queued on the task, if any"),
    ]

    public init(parsing text: String) throws(ConfigurationError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func count(_ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            guard let n = Int(parts[1]), range.contains(n) else {
                throw .invalid("'\(parts[1])' in '\(text)' must be a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
            return n
        }
        switch (parts[0], parts.count) {
        case ("first-worker", 1): self = .firstWorker
        case ("burst", 2): self = .burst(try count(1...1024))
        case ("steady", 2): self = .steady(perSecond: try parseRate(parts[1], in: text))
        case ("sleepers", 1): self = .sleepers
        case ("chain", 2): self = .chain(try count(1...256))
        case ("hashed", 2): self = .hashed(try count(1...64))
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
        case .steady(let rate): "steady:\(rate == rate.rounded() ? String(Int(rate)) : String(rate))"
        case .sleepers: "sleepers"
        case .chain(let n): "chain:\(n)"
        case .hashed(let k): "hashed:\(k)"
        case .mixed: "mixed"
        case .exitUnderFire: "exit-under-fire"
        }
    }
}
