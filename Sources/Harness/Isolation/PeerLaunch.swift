#if canImport(Glibc)
import Glibc
#endif
import Foundation
import IOWQ

/// The parent's side of a peer trial: the child's environment (the interposer preloaded with the
/// trial's plan, disarmed, counting into a shared page), its budget, and the result it is owed
/// when the child cannot write one (killed while trapped inside the pool, or dead by a signal).
public enum PeerLaunch {
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

    /// Checks, before a sweep starts, that every peer row in it can be launched.
    public static func check(_ configurations: [ConfigurationSpec]) throws(ConfigurationError) {
        if configurations.contains(where: { if case .peer = $0.strategy.kind { Applicability.reason($0) == nil } else { false } }) {
            _ = try library()
        }
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
    static func unreported(_ spec: ConfigurationSpec, trial: Int, seed: UInt64, profile: Profile, progress: PeerProgress,
                           attemptsAtSample: UInt64?, crashSignal: Int32?, crashMessage: String?) -> TrialResult {
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

    /// The last line a crashed child wrote to standard error, trimmed: the last before the Swift
    /// runtime's "Current stack trace:" when it printed one (that line is the trap's message, the
    /// frames after it are addresses), else the last non-empty one.
    static func lastLine(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let trace = lines.lastIndex(of: "Current stack trace:") { lines = Array(lines[..<trace]) }
        return lines.last.map { String($0.prefix(300)) }
    }
}
