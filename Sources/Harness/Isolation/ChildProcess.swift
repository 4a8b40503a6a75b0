#if canImport(Glibc)
import Glibc
#endif
import Foundation
import CProcessControl
import IOWQ

/// A copy of this program running some trials, whose standard output the parent reads line by line
/// with a deadline. It can be killed at any moment: what it wrote before stays valid.
final class ChildProcess {
    private let pid: pid_t
    private let fd: Int32
    private var reader: LineReader

    /// This program's own path, resolved: what a guest sharing the host's files runs, and where
    /// the files built beside it are.
    static var ownExecutable: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }

    /// Starts `executable` (by default this program again) with `arguments`, this process's
    /// environment plus `environment`, and its standard error in the file `standardError` (nil:
    /// inherited).
    init(executable path: String = "/proc/self/exe", arguments: [String], environment: [String: String] = [:],
         standardError: String? = nil) throws(OutputError) {
        var environment = environment
        if path == "/proc/self/exe" || path == Self.ownExecutable {
            // this program again: it dies with this process (proc_die_with_parent), so a parent
            // killed outright leaves no child behind. Only this program reads it: a shell or a
            // guest's tools never get it
            environment[PROC_PARENT_PID_VARIABLE] = String(getpid())
        }
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var envp: [UnsafeMutablePointer<CChar>?] = []
        if !environment.isEmpty {
            var inherited: [String] = []
            var entry = environ
            while let pointer = entry.pointee {
                let text = String(cString: pointer)
                if !environment.keys.contains(where: { text.hasPrefix($0 + "=") }) { inherited.append(text) }
                entry += 1
            }
            envp = (inherited + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).map { strdup($0) }
            envp.append(nil)
        }
        defer { for pointer in envp { free(pointer) } }
        var pid = pid_t()
        var fd: Int32 = -1
        let rc = envp.withUnsafeBufferPointer { env in
            proc_spawn(path, argv, env.isEmpty ? nil : env.baseAddress, standardError, &pid, &fd)
        }
        guard rc == 0 else { throw .cannotWrite("child process", String(cString: strerror(rc))) }
        self.pid = pid
        self.fd = fd
        reader = LineReader(fd: fd)
    }

    deinit {
        kill()
        close(fd)
    }

    typealias Line = LineReader.Line

    /// The next line the child writes, waiting at most until `deadline`.
    func readLine(until deadline: Deadline) -> Line { reader.readLine(until: deadline) }

    /// SIGKILL, then reap. Safe to call more than once.
    func kill() {
        guard !reaped else { return }
        _ = Glibc.kill(pid, SIGKILL)
        wait()
    }

    private var reaped = false

    /// The signal that ended the child, once it has been reaped; nil when it exited.
    private(set) var terminatingSignal: Int32?

    /// Waits for the child to exit and returns its exit status (or 128 + signal).
    @discardableResult
    func wait() -> Int32 {
        guard !reaped else { return exitStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        let signal = status & 0x7f
        if signal != 0 { terminatingSignal = signal }
        exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return exitStatus
    }

    private var exitStatus: Int32 = 0
}

extension ChildProcess {
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
