#if canImport(Glibc)
import Glibc
#endif
import CLineageProbe
import Foundation

/// The fingerprint's second feature: how io-wq activates a free worker (io_wq_activate_free_worker).
/// Two IOSQE_ASYNC blocking requests go in one io_uring_enter from a fresh thread that no worker can
/// preempt (SCHED_FIFO on its CPU, io-wq bound there: CLineageProbe's lp_run_activation), and the
/// count is the threads that enter created:
///
/// - two: a free worker counts only if wake_up_process() woke it, and one just created is already
///   running, so each request creates its own (`woken-only`: 6.1.192 io_uring/io-wq.c:297, before
///   22f7fb80e6d9);
/// - one: any worker on the free list counts, and a new one stays there until it takes work, so the
///   second request waits for it (`any-on-free-list`: from 6.6, 22f7fb80e6d9 "io_uring/io-wq: don't
///   gate worker wake up success on wake_up_process()"); later workers come from the sleep path.
public enum ActivationProbe {
    /// The kernel's free-worker activation, as the model's presets name it.
    public enum Activation: String, Codable, Sendable {
        case wokenOnly = "woken-only"
        case anyOnFreeList = "any-on-free-list"

        /// The model's name of it (FreeWorkerActivation).
        var modelName: String { self == .wokenOnly ? "wokenOnly" : "anyOnFreeList" }
    }

    /// One trial: `createdInEnter` threads made by the enter that carried `requests` requests.
    public struct Trial: Codable, Sendable, Equatable {
        public var requests: Int
        /// Nil when not measured (no ring, or the submission failed).
        public var createdInEnter: Int?
        /// No worker could run before the count (SCHED_FIFO and io-wq's affinity both took).
        public var held: Bool
        /// Requests that completed ok once released (all of them: the trial left nothing behind).
        public var completed: Int
        public var setupErrno: Int?

        public init(requests: Int = ActivationProbe.requests, createdInEnter: Int?, held: Bool, completed: Int? = nil, setupErrno: Int? = nil) {
            self.requests = requests
            self.createdInEnter = createdInEnter
            self.held = held
            self.completed = completed ?? requests
            self.setupErrno = setupErrno
        }

        enum CodingKeys: String, CodingKey {
            case requests, createdInEnter = "created_in_enter", held, completed, setupErrno = "setup_errno"
        }
    }

    public static let requests = 2
    /// The share of held trials that must agree.
    static let agreement = 0.8

    /// One trial in this process (a child's side).
    public static func runTrial() -> Trial {
        let raw = lp_run_activation(Int32(requests))
        return Trial(requests: Int(raw.requests), createdInEnter: raw.created_in_enter >= 0 ? Int(raw.created_in_enter) : nil,
                     held: raw.held != 0, completed: Int(raw.completed), setupErrno: raw.setup_errno == 0 ? nil : Int(raw.setup_errno))
    }

    /// `trials` trials, each in a child process (`bench fingerprint --activation-trial`).
    public static func measure(trials: Int, executable: String = "/proc/self/exe") throws -> [Trial] {
        try (0..<trials).map { _ in
            switch try ProbeChild.run(Trial.self, executable: executable, arguments: ["fingerprint", "--activation-trial"], watchdog: .seconds(5)) {
            case .answered(let trial): trial
            case .ended, .silent: Trial(createdInEnter: nil, held: false, completed: 0)
            }
        }
    }

    /// The activation the trials show, and why; nil with the reason when they show none.
    public static func classify(_ trials: [Trial]) -> (activation: Activation?, reason: String) {
        let measured = trials.filter { $0.createdInEnter != nil }
        let held = measured.filter(\.held)
        guard !held.isEmpty else {
            if measured.isEmpty { return (nil, "nothing measured: no activation trial could submit its requests") }
            return (nil, "no trial could hold its workers off the CPU (SCHED_FIFO and io-wq affinity need root): a worker that ran first would add its own creation to the count")
        }
        let n = held.count
        let one = held.filter { $0.createdInEnter == 1 }.count
        let each = held.filter { $0.createdInEnter == $0.requests }.count
        if Double(one) >= agreement * Double(n) {
            return (.anyOnFreeList, "\(one) of \(n) enters of \(requests) async requests created 1 worker: a worker on the free list counts, running or not (22f7fb80e6d9, 6.6)")
        }
        if Double(each) >= agreement * Double(n) {
            return (.wokenOnly, "\(each) of \(n) enters of \(requests) async requests created \(requests) workers: a free worker counts only if wake_up_process() woke it (before 22f7fb80e6d9; 6.1.192 io_uring/io-wq.c:297)")
        }
        let counts = held.compactMap(\.createdInEnter).map(String.init).joined(separator: ", ")
        return (nil, "mixed: the enters created \(counts) workers")
    }
}
