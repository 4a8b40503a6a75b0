import IOWQ

/// The command line's spellings of schedules, plans and durations. One parser per form, used by
/// the parent and by the child processes it spawns, so both read a configuration the same way.
extension SignalSchedule {
    /// Every form `--signals` takes; real signals sent to the submitting task.
    public static let catalog: [(form: String, summary: String)] = [
        ("none", "no signals"),
        ("one-shot", "one signal right before the pool's first thread creation (deterministic)"),
        ("storm", "a signal right before every thread creation (deterministic)"),
        ("storm:K", "the same from creation attempt K on: the first workers exist before it starts"),
        ("periodic:RATE", "RATE signals per second at fixed intervals"),
        ("poisson:RATE", "RATE signals per second at seeded exponential intervals"),
        ("fatal:DELAY", "the fatal signal (SIGKILL's stand-in) once, DELAY after the start, e.g. fatal:5ms"),
        ("A+B", "one creation-driven and one timed schedule together, e.g. storm+fatal:5ms"),
    ]

    public init(parsing text: String) throws(ConfigurationError) {
        let terms = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        if terms.count > 1 {
            self = .combined(try terms.map { term throws(ConfigurationError) in try SignalSchedule(parsingOne: term, in: text) })
        } else {
            self = try SignalSchedule(parsingOne: text, in: text)
        }
        try validate()
    }

    private init(parsingOne text: String, in whole: String) throws(ConfigurationError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch (parts[0], parts.count) {
        case ("none", 1): self = .none
        case ("one-shot", 1): self = .oneShot
        case ("storm", 1): self = .storm
        case ("storm", 2):
            guard let attempt = Int(parts[1]) else { throw .invalid("storm:K needs a whole attempt number, not '\(parts[1])' in '\(whole)'") }
            self = .storm(fromAttempt: attempt)
        case ("periodic", 2): self = .periodic(perSecond: try parseRate(parts[1], in: whole))
        case ("poisson", 2): self = .poisson(perSecond: try parseRate(parts[1], in: whole))
        case ("fatal", 2): self = .fatal(after: try parseDuration(parts[1], in: whole))
        default:
            throw .invalid("unknown signal schedule '\(whole)' (expected one of: \(Vocabulary.list(SignalSchedule.catalog)))")
        }
    }
}

extension FaultPlan {
    /// Every form `--faults` takes; seeded and deterministic.
    public static let catalog: [(form: String, summary: String)] = [
        ("none", "no injected faults"),
        ("eagain:P", "each thread creation fails with EAGAIN with probability P"),
        ("enomem:P", "each worker allocation fails with ENOMEM with probability P"),
        ("fail-nth:N:ERRNO", "the Nth thread creation attempt fails with ERRNO (EAGAIN, ENOMEM, EINTR, ...)"),
        ("fail-after:N", "every thread creation attempt after the first N fails with EAGAIN (fail-after:0: all)"),
        ("A+B", "several plans together, e.g. eagain:0.1+enomem:0.05"),
    ]

    public init(parsing text: String) throws(ConfigurationError) {
        var plan = FaultPlan()
        for term in text.split(separator: "+", omittingEmptySubsequences: false).map(String.init) {
            let parts = term.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            switch (parts[0], parts.count) {
            case ("none", 1):
                break
            case ("eagain", 2):
                plan.eagainProbability = try parseProbability(parts[1], in: text)
            case ("enomem", 2):
                plan.enomemProbability = try parseProbability(parts[1], in: text)
            case ("fail-nth", 3):
                guard let attempt = Int(parts[1]) else { throw .invalid("fail-nth needs a whole attempt number, not '\(parts[1])' in '\(text)'") }
                guard let error = Errno(name: parts[2]) else { throw .invalid("unknown errno '\(parts[2])' in '\(text)' (e.g. EAGAIN, ENOMEM, EINTR, ERESTARTNOINTR)") }
                plan.failingAttempts[attempt] = error
            case ("fail-after", 2):
                guard let attempts = Int(parts[1]), attempts >= 0 else {
                    throw .invalid("fail-after needs a whole number of attempts of 0 or more, not '\(parts[1])' in '\(text)'")
                }
                plan.failAfter = attempts
            default:
                throw .invalid("unknown fault plan '\(text)' (expected one of: \(Vocabulary.list(FaultPlan.catalog)))")
            }
        }
        try plan.validate()
        self = plan
    }
}

/// A rate in events per second: a positive, finite number.
func parseRate(_ text: String, in whole: String) throws(ConfigurationError) -> Double {
    guard let rate = Double(text), rate.isFinite else { throw .invalid("'\(text)' in '\(whole)' is not a rate (events per second)") }
    guard rate > 0 else { throw .invalid("rate must be positive, not \(text) in '\(whole)'") }
    return rate
}

func parseProbability(_ text: String, in whole: String) throws(ConfigurationError) -> Double {
    guard let p = Double(text), (0...1).contains(p) else { throw .invalid("probability must be a number in 0...1, not '\(text)' in '\(whole)'") }
    return p
}

/// A duration with a unit: `500us`, `5ms`, `2s`.
public func parseDuration(_ text: String, in whole: String) throws(ConfigurationError) -> Duration {
    let units: [(String, Double)] = [("us", 1e-6), ("ms", 1e-3), ("s", 1)]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
        let number = text.dropLast(suffix.count)
        guard let value = Double(number), value.isFinite else { break }
        guard value >= 0 else { throw .invalid("duration must not be negative, not \(text) in '\(whole)'") }
        return .nanoseconds(Int64(value * scale * 1e9))
    }
    throw .invalid("'\(text)' in '\(whole)' is not a duration (e.g. 500us, 5ms, 2s)")
}
