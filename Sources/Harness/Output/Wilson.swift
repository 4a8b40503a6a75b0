/// The Wilson score interval for a proportion k/n at 95%: well behaved at 0 and 1 and for small n,
/// which is where hang rates live.
public struct WilsonInterval: Sendable, Equatable {
    public let low: Double
    public let high: Double

    public init(successes k: Int, trials n: Int, z: Double = 1.959964) {
        guard n > 0 else {
            low = 0
            high = 1
            return
        }
        let p = Double(k) / Double(n)
        let nn = Double(n)
        let denominator = 1 + z * z / nn
        let center = (p + z * z / (2 * nn)) / denominator
        let half = z * ((p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()) / denominator
        // exact at the ends: no rounding may put a bound of 0 of n above 0, or of n of n below 1
        low = k == 0 ? 0 : max(0, center - half)
        high = k == n ? 1 : min(1, center + half)
    }
}
