#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The child side of isolation: runs trials of one configuration as its backend does, each result
/// written to standard output as one JSON line as soon as it ends.
public enum ChildMain {
    /// Exit status of a child that stopped after an exit hang.
    public static let poisonedStatus: Int32 = 3

    /// `context` carries what only the command line can build (the peers' pools).
    public static func run(_ spec: ConfigurationSpec, firstTrial: Int, trials: Int, baseSeed: UInt64, profile: Profile,
                           context: ChildContext = ChildContext()) -> Int32 {
        spec.strategy.backend.runChild(spec, firstTrial: firstTrial, trials: trials, baseSeed: baseSeed, profile: profile,
                                       context: context)
    }

    /// Writes `result` to the parent as one line; false when the pipe is gone.
    static func report(_ result: TrialResult) -> Bool {
        guard var line = try? JSONEncoder().encode(result) else { return false }
        line.append(UInt8(ascii: "\n"))
        return writeAll(line)
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
