#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The child side of isolation: runs trials of one configuration and writes each result to standard
/// output as one JSON line as soon as it ends. After a trial whose pool did not exit, it stops: the
/// abandoned threads must not share a process with the next trial.
public enum ChildMain {
    /// Exit status of a child that stopped after an exit hang.
    public static let poisonedStatus: Int32 = 3

    public static func run(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int, baseSeed: UInt64, profile: Profile) -> Int32 {
        let encoder = JSONEncoder()
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
