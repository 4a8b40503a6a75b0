/// The due times of a timed schedule (periodic, Poisson, fatal), for the threads that send it: the
/// model's injector and the kernel anchor's. Every due time is one signal, however late its sender
/// gets to look: a sender that woke late sends what fell due while it slept instead of folding it
/// into one, which capped the delivered rate far below the asked one at 100k/s.
public struct SignalClock: Sendable {
    /// When the next signal is due, in monotonic nanoseconds; `.max` once nothing more is due.
    public private(set) var nextDue: UInt64
    private let schedule: SignalSchedule
    private var random: SeededRandom

    /// The clock of `schedule`'s timed part, started at `start`. The first periodic signal lands
    /// at a seeded random phase in its first period, so a trial shorter than a period still meets
    /// the rate's share of signals. Nil when the schedule has no timed part.
    public init?(_ schedule: SignalSchedule, startingAt start: UInt64, seed: UInt64) {
        guard let timed = schedule.parts.first(where: \.isTimed) else { return nil }
        self.schedule = timed
        random = SeededRandom(seed: seed ^ 0x516_7A15)
        nextDue = 0
        switch timed {
        case .periodic(let rate): nextDue = start &+ UInt64(random.nextUnit() * 1e9 / rate)
        case .poisson(let rate): nextDue = start &+ UInt64(random.poissonGapNanoseconds(perSecond: rate))
        case .fatal(let delay): nextDue = start &+ delay.nanoseconds
        default: preconditionFailure("\(timed) is not a timed schedule")
        }
    }

    /// Whether the schedule's signal is the fatal one.
    public var isFatal: Bool { if case .fatal = schedule { true } else { false } }

    /// The signals due at or before `now`, one for each due time; the clock moves past them.
    public mutating func takeDue(now: UInt64) -> Int {
        var due = 0
        while nextDue <= now {
            due += 1
            switch schedule {
            case .periodic(let rate): nextDue &+= UInt64(1e9 / rate)
            case .poisson(let rate): nextDue &+= UInt64(random.poissonGapNanoseconds(perSecond: rate))
            default: nextDue = .max  // the fatal signal is sent once
            }
        }
        return due
    }
}
