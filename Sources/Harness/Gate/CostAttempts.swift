/// The cost probes of one gate run, measured more than once where one measurement cannot decide.
///
/// A cost ratio moves with the machine's state from one second to the next (on this 2-core VM,
/// unchanged code gave first-worker ratios of 1.19 to 1.28 in 30 runs within ten minutes), and
/// noise only ever adds time. So:
///
/// - **Judging**: the probes run once; a cost check that fails is measured again, up to
///   `judgingLimit` attempts in all, and each kind keeps its lowest ratio. A check fails only
///   when every attempt failed: a real regression moves every attempt, a busy second moves one.
/// - **Refreshing the baseline**: the probes run `refreshAttempts` times and each kind keeps its
///   median attempt, so that the baseline is a typical run of the machine, not its luckiest.
///
/// Every attempt's ratio is kept and reported beside the value chosen.
public struct CostAttempts: Sendable {
    /// Attempts at most when judging.
    public static let judgingLimit = 3
    /// Attempts when refreshing the baseline.
    public static let refreshAttempts = 5

    /// Each attempt's probes, in the order they ran.
    public private(set) var attempts: [[CostProbe]] = []

    public init() {}

    public mutating func append(_ probes: [CostProbe]) { attempts.append(probes) }

    /// Every attempt of `kind`, in the order they ran.
    func probes(_ kind: CostProbe.Kind) -> [CostProbe] {
        attempts.compactMap { $0.first { $0.kind == kind } }
    }

    /// What the gate judges for `kind`: the lowest ratio when judging, the median attempt when
    /// refreshing (the lower middle one of an even count).
    func chosen(_ kind: CostProbe.Kind, refreshing: Bool) -> CostProbe? {
        let sorted = probes(kind).sorted { $0.ratio < $1.ratio }
        guard !sorted.isEmpty else { return nil }
        return refreshing ? sorted[(sorted.count - 1) / 2] : sorted[0]
    }

    /// The kinds whose chosen ratio still fails against `baseline`: what another attempt measures.
    func failing(against baseline: GateTable) -> [CostProbe.Kind] {
        let checks = PerfGate.judge(measurements(refreshing: false), baseline: baseline)
        return CostProbe.Kind.allCases.filter { kind in
            checks.contains { $0.name == PerfGate.costCheckName(kind) && $0.status == .failed }
        }
    }

    /// Whether another attempt is due: judging, below the limit, and some cost check failing.
    public func wantsAnotherAttempt(against baseline: GateTable, refreshing: Bool) -> Bool {
        if refreshing { return attempts.count < Self.refreshAttempts }
        return attempts.count < Self.judgingLimit && !failing(against: baseline).isEmpty
    }

    /// One measurement per kind, of the chosen attempt; with more than one attempt, the reason
    /// column lists every attempt's ratio in order.
    public func measurements(refreshing: Bool) -> [PerfGate.Measurement] {
        CostProbe.Kind.allCases.compactMap { kind in
            guard let probe = chosen(kind, refreshing: refreshing) else { return nil }
            var measurement = PerfGate.measurement(probe)
            let all = probes(kind)
            if all.count > 1 {
                let ratios = all.map { PerfGate.fmt($0.ratio) }.joined(separator: " ")
                measurement.note = "\(refreshing ? "median" : "lowest") of \(all.count) attempts: \(ratios)"
            }
            return measurement
        }
    }
}
