@testable import IOWQ
import PropertyBased
import Testing

/// A timed schedule gives one signal per due time, however late or often its sender looks.
@Suite struct SignalClockTests {
    /// A sender that wakes 1 ms late at 100k/s owes 100 signals, not one: the sender that folded
    /// catch-up into a single signal delivered a small fraction of 100k/s.
    @Test func aLateSenderOwesEverySignalThatFellDue() throws {
        var clock = try #require(SignalClock(.periodic(perSecond: 100_000), startingAt: 0, seed: 7))
        #expect((100...101).contains(clock.takeDue(now: 1_000_000)))
        #expect(clock.takeDue(now: 1_000_000) == 0)
        #expect(clock.nextDue > 1_000_000 && clock.nextDue <= 1_010_000)
    }

    /// How often the sender looks changes when signals go out, never how many: polling at random
    /// times adds up to the count of one look at the end.
    @Test func theCountDoesNotDependOnWhenTheSenderLooks() async {
        await propertyCheck(count: 50, input: Gen.int(in: 0...1), Gen.int(in: 1...1_000_000), Gen.int(in: 1...40)) { kind, seed, looks in
            let schedule: SignalSchedule = kind == 0 ? .periodic(perSecond: 100_000) : .poisson(perSecond: 10_000)
            let end: UInt64 = 5_000_000
            var once = SignalClock(schedule, startingAt: 1_000, seed: UInt64(seed))!
            var polled = SignalClock(schedule, startingAt: 1_000, seed: UInt64(seed))!
            var random = SeededRandom(seed: UInt64(seed))
            let times = ((0..<looks).map { _ in random.next() % end } + [end]).sorted()
            let total = times.reduce(0) { $0 + polled.takeDue(now: $1) }
            #expect(total == once.takeDue(now: end))
            #expect(total > 0)
        }
    }

    @Test func theFatalSignalIsDueOnce() throws {
        var clock = try #require(SignalClock(.fatal(after: .milliseconds(3)), startingAt: 1_000, seed: 1))
        #expect(clock.takeDue(now: 3_000_999) == 0)
        #expect(clock.takeDue(now: 3_001_000) == 1)
        #expect(clock.takeDue(now: .max - 1) == 0)
        #expect(clock.nextDue == .max)
        #expect(clock.isFatal)
    }

    /// Creation-driven schedules have no clock: their signals come from the creation hook.
    @Test func onlyATimedPartHasAClock() {
        #expect(SignalClock(.storm, startingAt: 0, seed: 1) == nil)
        #expect(SignalClock(.none, startingAt: 0, seed: 1) == nil)
        #expect(SignalClock(.combined([.oneShot, .periodic(perSecond: 10)]), startingAt: 0, seed: 1) != nil)
    }
}
