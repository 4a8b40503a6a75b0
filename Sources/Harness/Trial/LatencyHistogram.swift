import Histogram

/// Latencies in nanoseconds in an HDR histogram (3 significant digits, up to 100 s), and its sparse
/// form for sending between processes.
public struct LatencyHistogram: Sendable {
    private(set) var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 100_000_000_000, numberOfSignificantValueDigits: .three)

    public init() {}

    init(pairs: [[UInt64]]) {
        for pair in pairs where pair.count == 2 { _ = histogram.record(pair[0], count: pair[1]) }
    }

    public mutating func record(_ nanoseconds: UInt64) {
        _ = histogram.record(min(max(nanoseconds, 1), 100_000_000_000))
    }

    public mutating func add(_ other: LatencyHistogram) { histogram.add(other.histogram) }

    public var count: UInt64 { histogram.totalCount }

    /// The value at `percentile` (0...100) in microseconds, or nil when the sample cannot support
    /// it: a percentile away from the median needs at least one sample beyond it (p90 and p10 need
    /// 10, p99 100, p99.9 1,000); below that, the "p99" of 20 samples is just the worst one.
    public func microseconds(atPercentile percentile: Double) -> Double? {
        guard count >= Self.samplesNeeded(forPercentile: percentile) else { return nil }
        return Double(histogram.valueAtPercentile(percentile)) / 1000
    }

    /// The fewest samples for which `percentile` is not simply the smallest or largest one: 1 at
    /// the median, 100 / (100 - p) above it and 100 / p below, rounded up.
    static func samplesNeeded(forPercentile percentile: Double) -> UInt64 {
        let tail = percentile == 50 ? 100 : min(percentile, 100 - percentile)
        guard tail > 0 else { return 1 }
        return max(1, UInt64((100 / tail - 1e-9).rounded(.up)))  // 1e-9: 100 / 0.1 is 1000.0000000000001
    }

    public var maxMicroseconds: Double? { count == 0 ? nil : Double(histogram.max) / 1000 }

    /// (value, count) for every recorded bucket.
    var pairs: [[UInt64]] {
        histogram.recordedValues().map { [$0.value, $0.count] }
    }

    /// The whole distribution in microseconds, in HdrHistogram's percentile-distribution text
    /// (the `.hgrm` that HdrHistogram's plotter and tools read), so a reader is not limited to the
    /// percentiles summary.csv keeps.
    public var percentileDistribution: String {
        var text = ""
        histogram.outputPercentileDistribution(to: &text, outputValueUnitScalingRatio: 1000)
        return text
    }
}

/// As its (value, count) pairs, the form a child sends, and the largest value recorded: a bucket's
/// pair holds the bucket's highest value, but percentiles are capped at the largest value really
/// recorded (a first-worker time recorded in the parent), so it travels too. Decoded, every bucket
/// holds its count again and the cap is the same.
extension LatencyHistogram: Codable {
    private enum CodingKeys: String, CodingKey { case pairs, maxRecorded }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var pairs = try container.decode([[UInt64]].self, forKey: .pairs)
        let maxRecorded = try container.decodeIfPresent(UInt64.self, forKey: .maxRecorded)
        // the top bucket's counts recorded at the largest value: the same bucket, and the same cap
        if let maxRecorded, let top = pairs.last, top.count == 2, LatencyHistogram().histogram.valuesAreEquivalent(top[0], maxRecorded) {
            pairs[pairs.count - 1][0] = maxRecorded
        }
        self.init(pairs: pairs)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pairs, forKey: .pairs)
        if count > 0 { try container.encode(histogram.maxRecorded, forKey: .maxRecorded) }
    }
}
