#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import IOWQ
import Synchronization

/// The machine's own limits, measured in the same run as the pools, so every latency can be read as
/// a ratio: a futex handoff to a parked thread, and `pthread_create` until the new thread runs.
public enum Calibration {
    public static func run(samples: Int = 2000) -> [ConfigurationSummary] {
        [futexHandoff(samples: samples), threadCreate(samples: max(1, samples / 4))]
    }

    /// One thread parks; the other stamps the time and unparks it; the woken thread stamps again.
    /// Samples are spaced out so the parked thread's CPU may go idle, as an idle worker's does.
    static func futexHandoff(samples: Int) -> ConfigurationSummary {
        let ping = HandoffPair()
        var thread = pthread_t()
        precondition(iowq_thread_create(&thread, 256 << 10, handoffResponderEntry, Unmanaged.passRetained(ping).toOpaque()) == 0)
        var histogram = LatencyHistogram()
        for _ in 0..<samples {
            var gap = timespec(tv_sec: 0, tv_nsec: 200_000)
            nanosleep(&gap, nil)
            ping.sentAt.store(monotonicNanoseconds(), ordering: .releasing)
            ping.request.unpark()
            ping.reply.park(until: .after(.seconds(5)))
            histogram.record(ping.wokeAt.load(ordering: .acquiring) &- ping.sentAt.load(ordering: .acquiring))
        }
        ping.stop.store(true, ordering: .releasing)
        ping.request.unpark()
        return summary("futex-handoff", histogram, samples: samples)
    }

    /// pthread_create, measured from the call until the new thread's first instruction.
    static func threadCreate(samples: Int) -> ConfigurationSummary {
        var histogram = LatencyHistogram()
        for _ in 0..<samples {
            let box = StartStamp()
            var thread = pthread_t()
            let argument = Unmanaged.passRetained(box).toOpaque()
            let start = monotonicNanoseconds()
            guard pthread_create(&thread, nil, threadStampEntry, argument) == 0 else { continue }
            pthread_join(thread, nil)
            histogram.record(box.startedAt.load(ordering: .acquiring) &- start)
        }
        return summary("thread-create", histogram, samples: samples)
    }

    private static func summary(_ name: String, _ histogram: LatencyHistogram, samples: Int) -> ConfigurationSummary {
        var row = ConfigurationSummary(strategy: "calibration", scenario: name, signals: "none", faults: "none")
        row.trials = 1
        row.itemsSubmitted = samples
        row.itemsOK = Int(histogram.count)
        row.latency = histogram
        return row
    }
}

final class HandoffPair: Sendable {
    let request = Parker()
    let reply = Parker()
    let sentAt = Atomic<UInt64>(0)
    let wokeAt = Atomic<UInt64>(0)
    let stop = Atomic<Bool>(false)
}

final class StartStamp: Sendable {
    let startedAt = Atomic<UInt64>(0)
}

private func handoffResponderEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let pair = Unmanaged<HandoffPair>.fromOpaque(argument!).takeRetainedValue()
    while true {
        pair.request.park(until: .after(.seconds(5)))
        if pair.stop.load(ordering: .acquiring) { return nil }
        pair.wokeAt.store(monotonicNanoseconds(), ordering: .releasing)
        pair.reply.unpark()
    }
}

private func threadStampEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let box = Unmanaged<StartStamp>.fromOpaque(argument!).takeRetainedValue()
    box.startedAt.store(monotonicNanoseconds(), ordering: .releasing)
    return nil
}
