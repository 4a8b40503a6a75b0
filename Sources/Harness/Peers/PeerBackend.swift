#if canImport(Glibc)
import Glibc
#endif
import CProcessControl
import Foundation
import IOWQ

/// A pool people use as a row: each trial in a child of its own with libIOWQThreadInterposer.so
/// preloaded (PeerLaunch), the pool built by the PeerPools target (PeerTrial). It sees what the
/// interposer counts (creation attempts and their EAGAIN failures) and the items' own marks.
struct PeerBackend: InterposedBackend {
    let peer: Peer

    var poolNoun: String { "a peer pool" }

    func unsupported(_ scenario: Scenario) -> String? { PeerWorkload.unsupported(scenario) }

    /// A trapped peer's child lives until the parent's last look.
    func longestTrial(_ spec: ConfigurationSpec, _ profile: Profile) -> Duration {
        PeerLaunch.timeline(spec, profile).kill
    }

    /// A peer's threads outlive its trial and it needs the interposer preloaded: it runs only in a
    /// child process of its own, never in this one.
    func runTrial(_ spec: ConfigurationSpec, trial: Int, seed: UInt64, profile: Profile) -> TrialResult {
        var result = TrialResult(spec: spec, trial: trial, seed: seed)
        result.note = "not run: a peer pool runs only in a child process under the interposer (bench run)"
        return result
    }

    func launch(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int, baseSeed: UInt64, profile: Profile,
                scratch: String) throws -> any ChildLaunch {
        try PeerLaunch(spec, seed: TrialRunner.seed(base: baseSeed, trial: firstTrial), profile: profile, scratch: scratch)
    }

    /// One peer trial, then the process ends at once with `_exit`: the pool's threads (some blocked
    /// in items, some retrying a creation) must not be waited for. No warm-up: it would leave a
    /// thread in the pool for the trial to find.
    func runChild(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int, baseSeed: UInt64, profile: Profile,
                  context: ChildContext) -> Int32 {
        guard let pools = context.peers else {
            writeStandardError("bench child: this build has no peer pools\n")
            return 1
        }
        // a plan the interposer did not take would run the trial without its faults, under their name
        switch proc_interposer_state() {
        case -1:
            writeStandardError("bench child: a peer trial needs libIOWQThreadInterposer.so preloaded (LD_PRELOAD)\n")
            return 1
        case 1:
            let plan = ProcessInfo.processInfo.environment["IOWQ_THREAD_FAULTS"] ?? ""
            writeStandardError("bench child: the interposer refused IOWQ_THREAD_FAULTS='\(plan)' or another of its variables\n")
            return 1
        default:
            break
        }
        guard let path = ProcessInfo.processInfo.environment["IOWQ_THREAD_FAULTS_SHM"], let progress = PeerProgress(path: path) else {
            writeStandardError("bench child: a peer trial needs IOWQ_THREAD_FAULTS_SHM naming a file it can map\n")
            return 1
        }
        let result = PeerTrial.run(spec, peer: peer, trial: firstTrial, baseSeed: baseSeed, profile: profile, pools: pools, progress: progress)
        _exit(ChildMain.report(result) ? 0 : 1)
    }
}
