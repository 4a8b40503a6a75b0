import IOWQ

/// What the pool itself costs, measured directly, each against its physical floor measured in the
/// same process and interleaved with it (A, B, A, B, ...), so that a change in the machine's load
/// hits both sides of every ratio. The perf gate judges these ratios.
public struct CostProbe: Sendable {
    /// A pool path and the floor it is judged against.
    public enum Kind: String, Sendable, CaseIterable {
        /// One no-op item to an idle worker, its completion seen by the task, against a bare futex
        /// round trip between two threads (the same two wakes, nothing else).
        case handoff
        /// The creation request to the worker running its first instruction, against
        /// `pthread_create` to the new thread running.
        case firstWorker = "first-worker"
        /// A burst of no-op items to idle workers: the pool's time per item, against the bare round
        /// trip (per item, the pool cannot beat one wake and one completion).
        case burst
    }

    public var kind: Kind
    /// Pool time and floor time per round (nanoseconds per item), paired.
    public var pool: [Double]
    public var floor: [Double]
    /// Items (or pools) behind each round's figure.
    public var perRound: Int

    /// The ratio of each round's pool time to the same round's floor.
    public var ratios: [Double] { zip(pool, floor).map { $0 / max($1, 1) } }
    /// The gated figure: the median of the paired ratios.
    public var ratio: Double { Self.median(ratios) }
    public var poolMedianNanoseconds: Double { Self.median(pool) }
    public var floorMedianNanoseconds: Double { Self.median(floor) }
    /// Samples behind the ratio: rounds x items per round, on each side.
    public var samples: Int { pool.count * perRound }

    /// One line for the terminal: both medians, the ratio, the samples.
    public var summaryLine: String {
        "\(kind.rawValue): pool \(Format.fixed(poolMedianNanoseconds / 1000, 2)) us, floor "
            + "\(Format.fixed(floorMedianNanoseconds / 1000, 2)) us, ratio \(Format.fixed(ratio, 3)) (\(samples) samples each)"
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
