#if canImport(Glibc)
import Glibc
#endif
import Foundation
import IOWQ

/// The parent's side of a peer trial: the child's environment (the interposer preloaded with the
/// trial's plan, disarmed, counting into a shared page), its budget, and the result it is owed
/// when the child cannot write one (killed while trapped inside the pool, or dead by a signal).
/// The parent's watchdog, not a thread in the peer's process, ends a child trapped inside its pool.
final class PeerLaunch: ChildLaunch {
    let spec: ConfigurationSpec
    let profile: Profile
    let environment: [String: String]
    let looks: [Duration]
    /// The page the child's interposer and items count into.
    private let progress: PeerProgress
    /// The creation attempts at the first look, after the child's deadline.
    private var attemptsAtSample: UInt64?

    var trials: Int { 1 }
    var forwardsStandardError: Bool { false }

    init(_ spec: ConfigurationSpec, seed: UInt64, profile: Profile, scratch: String) throws {
        let page = scratch + "/peer.page"
        try? FileManager.default.removeItem(atPath: page)
        guard let progress = PeerProgress(path: page) else { throw OutputError.cannotWrite(page, "cannot map it") }
        self.spec = spec
        self.profile = profile
        self.progress = progress
        environment = Self.environment(spec, seed: seed, library: try Self.library(), page: page)
        let timeline = Self.timeline(spec, profile)
        looks = [timeline.sample, timeline.kill]
    }

    func look() {
        attemptsAtSample = progress.load(.attempts)
    }

    func owed(_ trial: Int, seed: UInt64, _ death: ChildDeath) -> TrialResult? {
        switch death {
        case .killed:
            return unreported(trial: trial, seed: seed, crashSignal: nil, crashMessage: nil)
        case .crashed(let signal, let message):
            return unreported(trial: trial, seed: seed, crashSignal: signal, crashMessage: message)
        case .exited(_, let message):
            // exited without a result: a child that could not run the trial says why on stderr
            var result = TrialResult(spec: spec, trial: trial, seed: seed)
            result.note = "not run: the peer's child exited without a result: \(message ?? "no message")"
            return result
        }
    }

    /// The interposer's file name, beside the running bench executable.
    static let libraryName = "libIOWQThreadInterposer.so"

    /// The interposer beside this executable, or a one-line error saying where it was looked for.
    static func library() throws(ConfigurationError) -> String {
        let path = URL(fileURLWithPath: ChildProcess.ownExecutable).deletingLastPathComponent().appendingPathComponent(libraryName).path
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .invalid("peer strategies need \(libraryName) beside the bench executable, and \(path) is missing (build it: swift build [-c release] --product IOWQThreadInterposer)")
        }
        return path
    }

    static func environment(_ spec: ConfigurationSpec, seed: UInt64, library: String, page: String) -> [String: String] {
        guard case .plan(let plan) = InterposerPlan.make(spec.faults) else { preconditionFailure("\(spec.label) is not applicable") }
        return [
            "LD_PRELOAD": library,
            "IOWQ_THREAD_FAULTS": plan,
            "IOWQ_THREAD_FAULTS_SEED": String(seed),
            "IOWQ_THREAD_FAULTS_ARMED": "0",
            "IOWQ_THREAD_FAULTS_SHM": page,
        ]
    }

    /// When the parent looks at the attempts (`sample`) and when it gives up on the child (`kill`):
    /// both after the child's own deadline, far enough apart that libdispatch's retry, once a
    /// second, shows; and after the child's own observation window, so a child that is not
    /// trapped always reports first.
    static func timeline(_ spec: ConfigurationSpec, _ profile: Profile) -> (sample: Duration, kill: Duration) {
        var work = profile.itemDeadline
        if spec.scenario.shape.isOpenLoop { work += profile.steadyDuration }
        let sample = work + .milliseconds(500)
        return (sample, sample + PeerTrial.observeWindow + .seconds(1))
    }

    /// The result of a trial whose child never wrote one: every item the page shows completed is
    /// ok, the rest hung (`killed`) or crashed (`crashSignal`).
    private func unreported(trial: Int, seed: UInt64, crashSignal: Int32?, crashMessage: String?) -> TrialResult {
        var result = TrialResult(spec: spec, trial: trial, seed: seed)
        result.items.submitted = Workload.itemCount(spec.scenario, profile: profile, seed: seed)
        result.items.ok = min(Int(progress.load(.completed)), result.items.submitted)
        let rest = result.items.submitted - result.items.ok
        if let crashSignal {
            result.items.crashed = rest
            result.crashSignal = crashSignal
            result.crashMessage = crashMessage
        } else {
            result.killed = true
            result.items.hung = rest
            if rest > 0 {
                result.hangKind = .peer(attemptsGrew: attemptsAtSample.map { progress.load(.attempts) > $0 } ?? false,
                                        failures: progress.load(.failures),
                                        itemsBlocked: progress.load(.started) > progress.load(.completed))
            }
        }
        result.counters = PeerTrial.counters(progress, atSetup: progress.load(.createdAtSetup), firstWorker: nil)
        return result
    }
}
