import IOWQ

/// One of n disjoint parts of a sweep (`bench run --shard i/n`), so that any job runner (a CI
/// matrix, Slurm array jobs, Kubernetes indexed jobs) can run a sweep on many machines and
/// `bench merge` can put the parts back together.
///
/// The split depends on the plan alone: the same configurations with the same trial counts give the
/// same shards on any machine. It balances expected trials (each configuration's first trials; a
/// row that runs on for precision cannot be foreseen) by the longest-first greedy rule: heaviest
/// configuration first (ties: sweep order) onto the lightest shard (ties: the lowest index). Each
/// shard keeps its configurations in sweep order.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    /// The most parts a sweep splits into (the split keeps a load per part).
    public static let maxCount = 1000

    public init(index: Int, count: Int) throws(ConfigurationError) {
        guard (1...Self.maxCount).contains(count), (1...count).contains(index) else {
            throw .invalid("--shard must be i/n with 1 <= i <= n <= \(Self.maxCount) (e.g. 2/4), not '\(index)/\(count)'")
        }
        self.index = index
        self.count = count
    }

    /// "i/n", as the command line spells it.
    public init(parsing text: String) throws(ConfigurationError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw .invalid("--shard must be i/n with 1 <= i <= n <= \(Self.maxCount) (e.g. 2/4), not '\(text)'")
        }
        try self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// Which shard (0-based) each element goes to, by the longest-first greedy rule on `weight`.
    static func assignment<Element>(_ elements: [Element], count: Int, weight: (Element) -> Int) -> [Int] {
        let weights = elements.map(weight)
        let order = weights.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }
        var loads = [Int](repeating: 0, count: count)
        var shardOf = [Int](repeating: 0, count: elements.count)
        for element in order {
            let lightest = loads.indices.min { loads[$0] != loads[$1] ? loads[$0] < loads[$1] : $0 < $1 }!
            shardOf[element] = lightest
            loads[lightest] += weights[element]
        }
        return shardOf
    }

    /// This shard's part of `elements`, in their order.
    public func select<Element>(_ elements: [Element], weight: (Element) -> Int) -> [Element] {
        let shardOf = Self.assignment(elements, count: count, weight: weight)
        return elements.indices.filter { shardOf[$0] == index - 1 }.map { elements[$0] }
    }
}

extension SweepPlan {
    /// The plan cut down to one shard's configurations, balanced by their expected trials.
    public func restricted(to shard: Shard) -> SweepPlan {
        var plan = self
        plan.configurations = shard.select(configurations) { trials(for: $0) }
        return plan
    }
}
