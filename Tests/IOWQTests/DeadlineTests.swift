import Testing
@testable import IOWQ

/// Deadlines order with `.never` last, tell whether they have passed, and convert durations to
/// whole nanoseconds, clamped at zero. Behaviour only: no assertion depends on how long a step took.
@Suite struct DeadlineTests {
    @Test func neverComesAfterEveryDeadline() {
        let early = Deadline(nanoseconds: 1)
        let late = Deadline(nanoseconds: .max)
        #expect(early < .never)
        #expect(late < .never)
        #expect(!(Deadline.never < early))
        #expect(!(Deadline.never < .never))
        #expect(Deadline.never <= .never)
        #expect(min(Deadline.never, late) == late)
        #expect(max(early, .never) == .never)
    }

    @Test func finiteDeadlinesOrderByTheirNanoseconds() {
        let deadlines = [Deadline(nanoseconds: 30), .never, Deadline(nanoseconds: 10), Deadline(nanoseconds: 20)]
        #expect(deadlines.sorted() == [Deadline(nanoseconds: 10), Deadline(nanoseconds: 20), Deadline(nanoseconds: 30), .never])
        #expect(Deadline(nanoseconds: 5) < Deadline(nanoseconds: 6))
        #expect(!(Deadline(nanoseconds: 6) < Deadline(nanoseconds: 6)))
    }

    @Test func neverHasNotPassed() {
        #expect(!Deadline.never.hasPassed)
        #expect(Deadline.never.nanoseconds == 0)
    }

    @Test func aDeadlineInThePastHasPassed() {
        #expect(Deadline(nanoseconds: 1).hasPassed)
        #expect(Deadline.now().hasPassed)
        #expect(Deadline.after(.zero).hasPassed)
        #expect(Deadline.after(.seconds(-1)).hasPassed)
    }

    @Test func aDeadlineAnHourAwayHasNotPassed() {
        let now = Deadline.now()
        let later = Deadline.after(.seconds(3600))
        #expect(!later.hasPassed)
        #expect(now < later)
        #expect(later.nanoseconds - now.nanoseconds >= 3600 * 1_000_000_000)
    }

    @Test func durationsConvertToWholeNanoseconds() {
        #expect(Duration.zero.nanoseconds == 0)
        #expect(Duration.nanoseconds(7).nanoseconds == 7)
        #expect(Duration.microseconds(3).nanoseconds == 3_000)
        #expect(Duration.milliseconds(1500).nanoseconds == 1_500_000_000)
        #expect(Duration.seconds(2).nanoseconds == 2_000_000_000)
        // attoseconds below a nanosecond are dropped
        #expect(Duration(secondsComponent: 1, attosecondsComponent: 999_999_999).nanoseconds == 1_000_000_000)
    }

    @Test func negativeDurationsClampAtZero() {
        #expect(Duration.seconds(-1).nanoseconds == 0)
        #expect(Duration.seconds(-1.5).nanoseconds == 0)
        #expect(Duration.milliseconds(-1).nanoseconds == 0)
        #expect(Duration.nanoseconds(-1).nanoseconds == 0)
    }
}
