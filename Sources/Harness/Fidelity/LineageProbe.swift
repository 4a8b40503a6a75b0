#if canImport(Glibc)
import Glibc
#endif
import CLineageProbe
import Foundation
import IOWQ

/// The lineage fingerprint's measurement on the live kernel: one IOSQE_ASYNC request whose every
/// worker creation meets a pending signal (a persistent storm on the submitting task), and what the
/// kernel then does with it: cancel it at once (3 retries back to back, 6.11), cancel it after the
/// backoff (6.14), or retry until the storm stops (5.16, and 6.19 for signals). The C side
/// (CLineageProbe) says how the storm is held; each trial runs in a child process of its own,
/// because a kernel that retries back to back may never give the submitting thread back.
public enum LineageProbe {
    /// What became of one probe request.
    public enum Outcome: String, Codable, Sendable {
        /// -ECANCELED during the storm: creation gave up.
        case cancelled
        /// Completed during the storm: a creation slipped past the signals (the probe failed to hold).
        case completedInStorm = "completed-in-storm"
        /// Completed after the storm stopped: creation was retried until then.
        case completedAfterStorm = "completed-after-storm"
        /// Another error during the storm.
        case otherError = "other-error"
        /// No completion even after the settle time.
        case noCompletion = "no-completion"
        /// The trial's child never answered and was killed: its thread retried inside the kernel.
        case killed
        /// Nothing measured (no ring, thread or process).
        case setupFailed = "setup-failed"
    }

    /// One trial: a storm trial, or a control (no signal sent) that shows the request completes.
    public struct Trial: Codable, Sendable, Equatable {
        public var outcome: Outcome
        public var control = false
        /// The request's completion result (0, -125 for -ECANCELED, ...).
        public var result: Int?
        /// From the first failed creation (the first storm cycle's end) to the completion.
        public var outcomeMs: Double?
        /// completed-after-storm: from the storm's end to the completion.
        public var afterStormMs: Double?
        public var stormMs: Double?
        /// Storm cycles: times the task was held in a wait with a signal pending.
        public var cycles: Int?
        /// Whether the thread ran SCHED_FIFO pinned to its CPU, so that each retry came back in a
        /// storm cycle of its own (without it a kernel that retries back to back does all its
        /// retries inside one task_work run).
        public var realtime: Bool?
        public var setupErrno: Int?

        public init(outcome: Outcome, control: Bool = false, result: Int? = nil, outcomeMs: Double? = nil,
                    afterStormMs: Double? = nil, stormMs: Double? = nil, cycles: Int? = nil, realtime: Bool? = nil,
                    setupErrno: Int? = nil) {
            self.outcome = outcome
            self.control = control
            self.result = result
            self.outcomeMs = outcomeMs
            self.afterStormMs = afterStormMs
            self.stormMs = stormMs
            self.cycles = cycles
            self.realtime = realtime
            self.setupErrno = setupErrno
        }

        enum CodingKeys: String, CodingKey {
            case outcome, control, result, outcomeMs = "outcome_ms", afterStormMs = "after_storm_ms", stormMs = "storm_ms"
            case cycles, realtime, setupErrno = "setup_errno"
        }
    }

    /// The storm: SIGUSR1 with a handler, held 500 µs per cycle, for at most 250 ms after the first
    /// failed creation (6.14's three backoffs take about 30-50 ms); then 1 s to complete.
    public static let signal = SIGUSR1
    public static let cycleMicroseconds: Int32 = 500
    public static let stormMilliseconds: Int32 = 250
    public static let settleMilliseconds: Int32 = 1000

    /// One trial in this process (a child's side).
    public static func runTrial(control: Bool) -> Trial {
        let raw = lp_run_trial(control ? 0 : signal, cycleMicroseconds, stormMilliseconds, settleMilliseconds)
        func ms(_ nanoseconds: Int64) -> Double { (Double(nanoseconds) / 1e4).rounded() / 100 }
        let outcome: Outcome = switch raw.outcome {
        case Int32(LP_CANCELLED.rawValue): .cancelled
        case Int32(LP_COMPLETED_IN_STORM.rawValue): .completedInStorm
        case Int32(LP_COMPLETED_AFTER.rawValue): .completedAfterStorm
        case Int32(LP_NOTHING.rawValue): .noCompletion
        case Int32(LP_OTHER_ERROR.rawValue): .otherError
        default: .setupFailed
        }
        guard outcome != .setupFailed else { return Trial(outcome: outcome, control: control, setupErrno: Int(raw.setup_errno)) }
        let completed = outcome != .noCompletion
        return Trial(outcome: outcome, control: control, result: completed ? Int(raw.result) : nil,
                     outcomeMs: completed ? ms(raw.outcome_ns) : nil,
                     afterStormMs: outcome == .completedAfterStorm ? ms(raw.after_storm_ns) : nil,
                     stormMs: ms(raw.storm_ns), cycles: Int(raw.storm_cycles), realtime: raw.realtime != 0)
    }

    /// `controls` control trials, then `trials` storm trials, each in a child process (`bench
    /// fingerprint --probe-trial`) that is killed if it does not answer in time.
    public static func measure(trials: Int, controls: Int, executable: String = "/proc/self/exe",
                               progress: (Int, Trial) -> Void = { _, _ in }) throws -> [Trial] {
        let watchdog = Duration.milliseconds(Int64(stormMilliseconds + settleMilliseconds)) + .seconds(4)
        var measured: [Trial] = []
        for index in 0..<(controls + trials) {
            let control = index < controls
            let arguments = ["fingerprint", "--probe-trial"] + (control ? ["--control"] : [])
            let trial: Trial = switch try ProbeChild.run(Trial.self, executable: executable, arguments: arguments, watchdog: watchdog) {
            case .answered(let trial): trial
            case .ended: Trial(outcome: .setupFailed, control: control)
            case .silent: Trial(outcome: .killed, control: control)
            }
            measured.append(trial)
            progress(index, trial)
        }
        return measured
    }

    /// SIGINT or SIGTERM during the measurement.
    public struct ProbeStopped: Error, CustomStringConvertible {
        public var description: String { "stopped" }
    }
}
