/// Whether a model row predicts the kernel's: the stuck rates agree when their Wilson intervals
/// overlap or they are within a factor of 2, and the outcome classes (ok, cancelled, failed, hung)
/// that take at least 5% of the items rank the same. Otherwise they disagree, and say how.
public struct FidelityVerdict: Sendable, Equatable {
    public let agrees: Bool
    /// Why not, in words; empty when they agree.
    public let reason: String

    /// The share below which an outcome class does not count towards the ranking: one stray hung
    /// item in a hundred trials is noise, not a different behaviour.
    static let classFloor = 0.05

    public init(kernel: ConfigurationSummary, model: ConfigurationSummary) {
        var reasons: [String] = []
        let (k, m) = (kernel.stuckInterval, model.stuckInterval)
        let overlap = k.low <= m.high && m.low <= k.high
        let (small, large) = (min(kernel.stuckRate, model.stuckRate), max(kernel.stuckRate, model.stuckRate))
        let withinTwo = large == 0 || (small > 0 && large / small <= 2)
        if !overlap && !withinTwo {
            reasons.append("stuck \(Format.fixed(model.stuckRate, 2)) against \(Format.fixed(kernel.stuckRate, 2))")
        }
        let (kernelClasses, modelClasses) = (Self.ranking(kernel.items), Self.ranking(model.items))
        if kernelClasses != modelClasses {
            reasons.append("outcomes \(modelClasses.joined(separator: ">")) against \(kernelClasses.joined(separator: ">"))")
        }
        agrees = reasons.isEmpty
        reason = reasons.joined(separator: "; ")
    }

    /// The outcome classes with at least `classFloor` of the items, largest first.
    static func ranking(_ items: ItemTally) -> [String] {
        guard items.submitted > 0 else { return [] }
        let counts = [("ok", items.ok), ("cancelled", items.cancelled), ("failed", items.failed), ("hung", items.hung), ("crashed", items.crashed)]
        // ties keep this order, so equal shares rank alike on both sides
        return counts.enumerated()
            .filter { Double($0.element.1) >= classFloor * Double(items.submitted) }
            .sorted { ($0.element.1, -$0.offset) > ($1.element.1, -$1.offset) }
            .map(\.element.0)
    }
}
