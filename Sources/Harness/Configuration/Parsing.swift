import IOWQ

/// The command line's spellings of schedules, plans and durations. One parser per form, used by
/// the parent and by the child processes it spawns, so both read a configuration the same way.
extension SignalSchedule {
    /// Every form `--signals` takes; real signals sent to the submitting task.
    public static let catalog: [(form: String, summary: String)] = [
        ("none", "no signals"),
        ("one-shot", "one signal right before the pool's first thread creation (deterministic)"),
        ("storm", "a signal right before every thread creation (deterministic)"),
        ("storm:K", "the same from creation attempt K (\(SignalSchedule.stormAttempts.spelled)) on: the first workers exist before it starts"),
        ("periodic:RATE", "RATE signals per second (\(SignalSchedule.rates.spelled)) at fixed intervals"),
        ("poisson:RATE", "RATE signals per second (\(SignalSchedule.rates.spelled)) at seeded exponential intervals"),
        ("fatal:DELAY", "the fatal signal (SIGKILL's stand-in) once, DELAY (0s...60s) after the start, e.g. fatal:5ms"),
        ("A+B", "one creation-driven and one timed schedule together, e.g. storm+fatal:5ms"),
    ]

    public init(parsing text: String) throws(ConfigurationError) {
        let terms = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        if terms.count > 1 {
            // none adds nothing: none+storm is storm, one row with one name
            let parts = try terms.map { term throws(ConfigurationError) in try SignalSchedule(parsingOne: term, in: text) }.filter { $0 != .none }
            self = parts.count > 1 ? .combined(parts) : parts.first ?? .none
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
            self = .storm(fromAttempt: try SignalSchedule.stormAttempts.parse(parts[1], in: whole))
        case ("periodic", 2): self = .periodic(perSecond: try SignalSchedule.rates.parse(parts[1], in: whole))
        case ("poisson", 2): self = .poisson(perSecond: try SignalSchedule.rates.parse(parts[1], in: whole))
        case ("fatal", 2): self = .fatal(after: try parseDuration(parts[1], in: whole, within: SignalSchedule.fatalDelays))
        default:
            throw .invalid("unknown signal schedule '\(whole)' (expected one of: \(Vocabulary.list(SignalSchedule.catalog)))")
        }
    }
}

extension FaultPlan {
    /// Every form `--faults` takes; seeded and deterministic.
    public static let catalog: [(form: String, summary: String)] = [
        ("none", "no injected faults"),
        ("eagain:P", "each thread creation fails with EAGAIN with probability P (0...1)"),
        ("enomem:P", "each worker allocation fails with ENOMEM with probability P (0...1)"),
        ("fail-nth:N:ERRNO", "the Nth (\(FaultPlan.attempts.spelled)) thread creation attempt fails with ERRNO (EAGAIN, ENOMEM, EINTR, ...)"),
        ("fail-after:N", "every thread creation attempt after the first N fails with EAGAIN (fail-after:0: all)"),
        ("A+B", "several plans together, e.g. eagain:0.1+enomem:0.05"),
    ]

    public init(parsing text: String) throws(ConfigurationError) {
        var plan = FaultPlan()
        var given: Set<String> = []
        for term in text.split(separator: "+", omittingEmptySubsequences: false).map(String.init) {
            let parts = term.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            // a term said twice would silently replace the first (fail-nth: the same attempt twice)
            let name = parts[0] == "fail-nth" && parts.count == 3 ? "fail-nth:" + parts[1] : parts[0]
            guard given.insert(name).inserted || name == "none" else { throw .invalid("'\(name)' is given twice in '\(text)'") }
            switch (parts[0], parts.count) {
            case ("none", 1):
                break
            case ("eagain", 2):
                plan.eagainProbability = try FaultPlan.probabilities.parse(parts[1], in: text)
            case ("enomem", 2):
                plan.enomemProbability = try FaultPlan.probabilities.parse(parts[1], in: text)
            case ("fail-nth", 3):
                let attempt = try FaultPlan.attempts.parse(parts[1], in: text)
                guard let error = Errno(name: parts[2]) else { throw .invalid("unknown errno '\(parts[2])' in '\(text)' (e.g. EAGAIN, ENOMEM, EINTR, ERESTARTNOINTR)") }
                guard plan.failingAttempts[attempt] == nil else { throw .invalid("'fail-nth:\(attempt)' is given twice in '\(text)'") }
                plan.failingAttempts[attempt] = error
            case ("fail-after", 2):
                plan.failAfter = try FaultPlan.attemptsBefore.parse(parts[1], in: text)
            default:
                throw .invalid("unknown fault plan '\(text)' (expected one of: \(Vocabulary.list(FaultPlan.catalog)))")
            }
        }
        try plan.validate()
        self = plan
    }
}

/// A duration with a unit: `500us`, `5ms`, `2s`, in `range`; kept in whole microseconds, so that
/// its description (SignalSchedule's) parses back to it.
public func parseDuration(_ text: String, in whole: String, within range: ClosedRange<Duration>) throws(ConfigurationError) -> Duration {
    let units: [(String, Double)] = [("us", 1e-6), ("ms", 1e-3), ("s", 1)]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
        guard let value = Double(text.dropLast(suffix.count)), value.isFinite else { break }
        // checked in seconds before any conversion: 1e300s has no Duration
        let seconds = value * scale
        let low = Double(range.lowerBound.components.seconds), high = Double(range.upperBound.components.seconds)
        guard seconds >= low && seconds <= high else {
            throw .invalid("a duration must be in \(Int(low))s...\(Int(high))s, not \(text) in '\(whole)'")
        }
        return .microseconds(Int64((seconds * 1e6).rounded()))
    }
    throw .invalid("'\(text)' in '\(whole)' is not a duration (e.g. 500us, 5ms, 2s)")
}
