#if canImport(Glibc)
import Glibc
#endif
import CProcessControl
import Foundation

/// The child side of isolation: runs trials of one configuration and writes each result to standard
/// output as one JSON line as soon as it ends. After a trial whose pool did not exit, it stops: the
/// abandoned threads must not share a process with the next trial.
public enum ChildMain {
    /// Exit status of a child that stopped after an exit hang.
    public static let poisonedStatus: Int32 = 3

    /// `peers` builds the pools people use (the Peers target, which this module does not see).
    public static func run(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int, baseSeed: UInt64, profile: Profile,
                           peers: PeerPoolFactory? = nil) -> Int32 {
        let encoder = JSONEncoder()
        if case .peer(let peer) = spec.strategy.kind {
            return runPeer(spec, peer, trial: firstTrial, baseSeed: baseSeed, profile: profile, peers: peers)
        }
        warmUp(spec, baseSeed: baseSeed, profile: profile)
        for trial in firstTrial..<(firstTrial + trials) {
            let result = TrialRunner.run(spec, trial: trial, baseSeed: baseSeed, profile: profile)
            guard var line = try? encoder.encode(result) else { return 1 }
            line.append(UInt8(ascii: "\n"))
            guard writeAll(line) else { return 1 }
            if result.exitHung { return poisonedStatus }
        }
        return 0
    }

    /// One peer trial, then the process ends at once with `_exit`: the pool's threads (some blocked
    /// in items, some retrying a creation) must not be waited for. No warm-up: it would leave a
    /// thread in the pool for the trial to find.
    private static func runPeer(_ spec: ConfigurationSpec, _ peer: Peer, trial: Int, baseSeed: UInt64, profile: Profile,
                                peers: PeerPoolFactory?) -> Int32 {
        guard let peers else {
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
        let result = PeerTrial.run(spec, peer: peer, trial: trial, baseSeed: baseSeed, profile: profile, pools: peers, progress: progress)
        guard var line = try? JSONEncoder().encode(result) else { return 1 }
        line.append(UInt8(ascii: "\n"))
        _exit(writeAll(line) ? 0 : 1)
    }

    /// A fresh process's first trial pays for its cold start (code pages, the allocator's first
    /// arenas, the first thread stacks), and it was every child's trial 0: the worst sample of many
    /// rows. One untimed first-worker trial of the same strategy, with no signal and no fault (so
    /// it cannot hang), pays it instead and is thrown away.
    static func warmUp(_ spec: ConfigurationSpec, baseSeed: UInt64, profile: Profile) {
        let warmUp = ConfigurationSpec(strategy: spec.strategy, scenario: .firstWorker)
        _ = TrialRunner.run(warmUp, trial: 0, baseSeed: baseSeed, profile: profile)
    }

    private static func writeAll(_ data: Data) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }
}
