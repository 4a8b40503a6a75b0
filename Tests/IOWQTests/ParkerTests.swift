#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import IOWQ

/// The futex parker's contract, never its timing: a wake-up that comes first is remembered, a
/// notification is consumed once, a passed deadline ends a park, and unpark tells whether it
/// found a thread parked.
@Suite struct ParkerTests {
    @Test func anUnparkBeforeParkIsRemembered() {
        let parker = Parker()
        #expect(parker.unpark() == false)
        #expect(parker.park(until: .after(completionDeadline)))
    }

    @Test func aNotificationIsConsumedOnce() {
        let parker = Parker()
        parker.unpark()
        parker.unpark()
        #expect(parker.park(until: .after(completionDeadline)))
        #expect(parker.park(until: .now()) == false)
    }

    @Test func parkWithAPassedDeadlineReturnsFalse() {
        let parker = Parker()
        #expect(parker.park(until: .now()) == false)
        #expect(parker.park(until: Deadline(nanoseconds: 1)) == false)
        // the time-out left the parker empty, so a later notification is still remembered
        #expect(parker.unpark() == false)
        #expect(parker.park(until: .after(completionDeadline)))
    }

    @Test func unparkWithNobodyParkedReturnsFalse() {
        let parker = Parker()
        #expect(parker.unpark() == false)
        #expect(parker.unpark() == false)
    }

    /// Unparks until it catches the thread parked: each miss leaves a notification that the thread
    /// takes and parks again, so the thread is caught parked sooner or later.
    @Test func unparkReturnsTrueWhenItWakesAParkedThread() {
        let sleeper = Sleeper()
        sleeper.start()
        let deadline = Deadline.after(completionDeadline)
        var caughtParked = false
        while !caughtParked && !deadline.hasPassed {
            caughtParked = sleeper.parker.unpark()
            if !caughtParked { usleep(100) }
        }
        sleeper.stop()
        #expect(caughtParked)
        #expect(sleeper.wakeUps.load(ordering: .acquiring) >= 1)
    }
}

/// A thread that parks, round after round, until stopped; it counts the parks that a
/// notification ended.
private final class Sleeper: @unchecked Sendable {
    let parker = Parker()
    let wakeUps = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var thread = pthread_t()

    func start() {
        let rc = pthread_create(&thread, nil, sleeperEntry, Unmanaged.passRetained(self).toOpaque())
        precondition(rc == 0, "cannot start the sleeper thread: errno \(rc)")
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        parker.unpark()
        pthread_join(thread, nil)
    }

    fileprivate func run() {
        while !stopping.load(ordering: .acquiring) {
            if parker.park(until: .after(completionDeadline)) { wakeUps.wrappingAdd(1, ordering: .releasing) }
        }
    }
}

/// Entry point of the sleeper thread.
private func sleeperEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<Sleeper>.fromOpaque(argument!).takeRetainedValue().run()
    return nil
}
