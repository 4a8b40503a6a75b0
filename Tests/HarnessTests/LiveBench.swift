#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A `bench` running in the background, to be signalled while it works: its output goes to files
/// (never a pipe nobody reads), and what it spawned is found in /proc.
final class LiveBench {
    let process = Process()
    let standardError: String

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        standardError = temporaryPath("live.err")
        try FileManager.default.createDirectory(atPath: (standardError as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: standardError, contents: nil)
        process.executableURL = URL(fileURLWithPath: BenchProcess.executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: standardError)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var pid: pid_t { process.processIdentifier }

    /// Sends `signal` and waits for the exit; the exit status (128 + n when a signal killed it, as
    /// a shell says).
    func signal(_ signal: Int32) -> Int32 {
        kill(pid, signal)
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// The first child process bench starts (a sweep's `bench child`, after calibration), once it
    /// runs as one (not while posix_spawn has not exec'd it yet), waiting at most `seconds`; nil if
    /// none came (or bench ended first).
    func firstChild(within seconds: Int) -> pid_t? {
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        while Date() < deadline && process.isRunning {
            for child in Self.processes() where child.parent == pid && !child.zombie {
                let arguments = (try? String(contentsOfFile: "/proc/\(child.pid)/cmdline", encoding: .utf8)) ?? ""
                if arguments.split(separator: "\0").dropFirst().first == "child" { return child.pid }
            }
            usleep(20_000)
        }
        return nil
    }

    /// Whether `pid` is gone (or a zombie nobody reaped: it runs no more) within `seconds`.
    static func gone(_ pid: pid_t, within seconds: Int) -> Bool {
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        while Date() < deadline {
            guard running(pid) else { return true }
            usleep(20_000)
        }
        return !running(pid)
    }

    /// Whether `pid` exists and is not a zombie.
    static func running(_ pid: pid_t) -> Bool {
        processes().contains { $0.pid == pid && !$0.zombie }
    }

    /// Every process /proc shows: its pid, parent and whether it is a zombie.
    static func processes() -> [(pid: pid_t, parent: pid_t, zombie: Bool)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name in
            guard let pid = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // after the command's parentheses: state, then the parent's pid
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, let parent = pid_t(fields[1]) else { return nil }
            return (pid, parent, fields[0] == "Z")
        }
    }
}
