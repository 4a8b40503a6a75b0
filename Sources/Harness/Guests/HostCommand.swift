#if canImport(Glibc)
import Glibc
#endif
import IOWQ

/// A program on the host (apt-get, dpkg-deb, vng), run through /bin/sh with its standard error
/// joined to its output, read line by line with a deadline.
enum HostCommand {
    /// `arguments` quoted for the shell.
    static func quoted(_ arguments: [String]) -> String {
        arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
    }

    /// Runs `arguments`, handing every line to `line` as it comes; kills it at `deadline`.
    /// Returns the exit status (nil when it was killed or a stop was requested).
    static func run(_ arguments: [String], until deadline: Deadline,
                    line: (String) -> Void = { _ in }) throws(GuestError) -> Int32? {
        let child: ChildProcess
        do { child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "exec \(quoted(arguments)) 2>&1"]) }
        catch { throw .failed(arguments.first ?? "", "\(error)") }
        while true {
            switch child.readLine(until: deadline) {
            case .line(let text): line(text)
            case .end: return child.wait()
            case .timedOut, .stopped:
                child.kill()
                _ = child.wait()
                return nil
            }
        }
    }

    /// Runs `arguments` and returns its output lines; throws with its last line when it fails.
    static func output(_ arguments: [String], until deadline: Deadline = .after(.seconds(300))) throws(GuestError) -> [String] {
        var lines: [String] = []
        let status = try run(arguments, until: deadline) { lines.append($0) }
        guard status == 0 else {
            throw .failed(arguments.prefix(2).joined(separator: " "), lines.last ?? (status.map { "exit status \($0)" } ?? "timed out"))
        }
        return lines
    }
}

/// What went wrong on the way to a guest's numbers, in one line.
public enum GuestError: Error, CustomStringConvertible {
    /// A host program failed: what ran, and the last line it printed.
    case failed(String, String)
    case invalid(String)

    public var description: String {
        switch self {
        case .failed(let command, let why): "\(command) failed: \(why)"
        case .invalid(let why): why
        }
    }
}
