/// When the injector sends signals to the task.
public indirect enum SignalSchedule: Sendable, Hashable, CustomStringConvertible {
    /// No signals.
    case none
    /// One signal every 1/rate seconds.
    case periodic(perSecond: Double)
    /// Signals at exponentially distributed intervals with mean 1/rate seconds (seeded).
    case poisson(perSecond: Double)
    /// One signal right before the pool's first thread creation: the seed's situation, every time.
    case oneShot
    /// A signal right before every thread creation from attempt `fromAttempt` (1-based) on: a storm
    /// that never lets up. From a later attempt, the first workers exist before it starts.
    case storm(fromAttempt: Int)
    /// The fatal signal (SIGKILL's stand-in) once, `delay` after the injector starts.
    case fatal(after: Duration)
    /// Several schedules at once: at most one driven by creations (one-shot, storm) and one timed.
    case combined([SignalSchedule])

    /// A signal before every creation.
    public static let storm = SignalSchedule.storm(fromAttempt: 1)

    /// The rates `periodic:RATE` and `poisson:RATE` take: at most one signal per microsecond (the
    /// injector's clock counts nanoseconds), at least one a second.
    public static let rates = Bound<Double>(1...1_000_000, "a signal rate (signals per second)")
    /// The attempts `storm:K` starts at.
    public static let stormAttempts = Bound<Int>(1...1_000_000, "a storm's first creation attempt")
    /// The delays `fatal:DELAY` takes, in whole microseconds: no trial runs for a minute.
    public static let fatalDelays: ClosedRange<Duration> = .zero ... .seconds(60)

    public func validate() throws(ConfigurationError) {
        switch self {
        case .periodic(let rate), .poisson(let rate):
            _ = try Self.rates.check(rate)
        case .fatal(let delay):
            guard Self.fatalDelays.contains(delay) else { throw .invalid("a fatal signal's delay must be in 0s...60s, not \(delay)") }
        case .storm(let attempt):
            _ = try Self.stormAttempts.check(attempt)
        case .combined(let parts):
            for part in parts { try part.validate() }
            guard parts.filter(\.isCreationDriven).count <= 1, parts.filter(\.isTimed).count <= 1,
                  !parts.contains(where: { if case .combined = $0 { true } else { false } }) else {
                throw .invalid("combine at most one creation-driven schedule (one-shot, storm) with one timed one (periodic, poisson, fatal)")
            }
        case .none, .oneShot:
            break
        }
    }

    /// The schedules this one is made of.
    public var parts: [SignalSchedule] {
        if case .combined(let parts) = self { return parts }
        return self == .none ? [] : [self]
    }

    /// Sent from the creation hook.
    var isCreationDriven: Bool {
        switch self {
        case .oneShot, .storm: true
        default: false
        }
    }

    /// Sent from the injector's own thread.
    var isTimed: Bool {
        switch self {
        case .periodic, .poisson, .fatal: true
        default: false
        }
    }

    /// Has a part sent on a clock (periodic, Poisson, fatal).
    public var hasTimedPart: Bool { parts.contains(where: \.isTimed) }

    public var description: String {
        switch self {
        case .none: "none"
        case .periodic(let rate): "periodic:\(rate.parameterText)"
        case .poisson(let rate): "poisson:\(rate.parameterText)"
        case .oneShot: "one-shot"
        case .storm(let attempt): attempt == 1 ? "storm" : "storm:\(attempt)"
        case .fatal(let delay):
            // whole milliseconds as ms, else whole microseconds as us: the text parses back to the delay
            delay.nanoseconds % 1_000_000 == 0 ? "fatal:\(delay.nanoseconds / 1_000_000)ms" : "fatal:\(delay.nanoseconds / 1000)us"
        case .combined(let parts): parts.map(\.description).joined(separator: "+")
        }
    }
}
