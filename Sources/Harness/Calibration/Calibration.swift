#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import IOWQ
import Synchronization

/// One calibration measurement: the machine's own cost of something the pools do.
public struct CalibrationResult: Sendable {
    /// `futex-handoff` or `thread-create`.
    public var name: String
    public var latency: LatencyHistogram

    /// One line for the terminal.
    public var summaryLine: String {
        "\(name) p50 \(Format.optional(latency.microseconds(atPercentile: 50), 1)) us (\(latency.count) samples)"
    }
}

/// The machine's own limits, measured in the same run as the pools, so every latency can be read as
/// a ratio: a futex handoff to a parked thread, and `pthread_create` until the new thread runs.
/// They go to calibration.csv, not among the strategies' rows.
public enum Calibration {
    public static func run(samples: Int = 2000) -> [CalibrationResult] {
        [futexHandoff(samples: samples), threadCreate(samples: max(1, samples / 4))]
    }

    /// One thread parks; the other stamps the time and unparks it; the woken thread stamps again.
    /// Samples are spaced out so the parked thread's CPU may go idle, as an idle worker's does.
    static func futexHandoff(samples: Int) -> CalibrationResult {
        let responder = RoundTripResponder()
        var histogram = LatencyHistogram()
        for _ in 0..<samples {
            var gap = timespec(tv_sec: 0, tv_nsec: 200_000)
            nanosleep(&gap, nil)
            let sentAt = monotonicNanoseconds()
            responder.roundTrip(deadline: .after(.seconds(5)))
            histogram.record(responder.wokeAt.load(ordering: .acquiring) &- sentAt)
        }
        responder.stop()
        return CalibrationResult(name: "futex-handoff", latency: histogram)
    }

    /// pthread_create, measured from the call until the new thread's first instruction.
    static func threadCreate(samples: Int) -> CalibrationResult {
        var histogram = LatencyHistogram()
        for _ in 0..<samples {
            if let nanoseconds = ThreadStart.measure(.joined) { histogram.record(nanoseconds) }
        }
        return CalibrationResult(name: "thread-create", latency: histogram)
    }
}
