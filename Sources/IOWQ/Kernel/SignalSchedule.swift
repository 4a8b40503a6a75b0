/// When the injector sends signals to the task.
public enum SignalSchedule: Sendable, Hashable, CustomStringConvertible {
    /// No signals.
    case none
    /// One signal every 1/rate seconds.
    case periodic(perSecond: Double)
    /// Signals at exponentially distributed intervals with mean 1/rate seconds (seeded).
    case poisson(perSecond: Double)
    /// One signal right before the pool's first thread creation: the seed's situation, every time.
    case oneShot
    /// A signal right before every thread creation: a storm that never lets up.
    case storm
    /// The fatal signal (SIGKILL's stand-in) once, `delay` after the injector starts.
    case fatal(after: Duration)

    public func validate() throws(ConfigurationError) {
        switch self {
        case .periodic(let rate), .poisson(let rate):
            guard rate > 0, rate.isFinite else { throw .invalid("signal rate must be a positive number of signals per second, not \(rate)") }
        case .fatal(let delay):
            guard delay >= .zero else { throw .invalid("fatal signal delay must not be negative") }
        case .none, .oneShot, .storm:
            break
        }
    }

    /// Deterministic schedules give the same signals at the same creation attempts on every run.
    public var isDeterministic: Bool {
        switch self {
        case .none, .oneShot, .storm: true
        case .periodic, .poisson, .fatal: false
        }
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .periodic(let rate): "periodic:\(formatRate(rate))"
        case .poisson(let rate): "poisson:\(formatRate(rate))"
        case .oneShot: "one-shot"
        case .storm: "storm"
        case .fatal(let delay): "fatal:\(delay.nanoseconds / 1_000_000)ms"
        }
    }

    private func formatRate(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(rate)
    }
}
