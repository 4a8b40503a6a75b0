#if canImport(Glibc)
import Glibc
#endif

/// SplitMix64: small, fast and reproducible. The same seed gives the same faults on every machine.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * (1.0 / Double(1 << 53))
    }

    /// The gap to the next event of a Poisson process of `rate` events per second, in nanoseconds:
    /// an exponential draw, the one every timed schedule and open-loop arrival uses.
    public mutating func poissonGapNanoseconds(perSecond rate: Double) -> Double {
        -log(max(nextUnit(), 1e-12)) / rate * 1e9
    }
}
