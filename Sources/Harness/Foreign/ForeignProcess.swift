#if canImport(Glibc)
import Glibc
#endif
import CProcessControl
import Foundation
import IOWQ

/// A foreign pool program while a trial runs it: `/bin/sh -c COMMAND` in a process group of its
/// own, with its events on a pipe (its fd 3), its control on another (its stdin), and its output in
/// a file.
final class ForeignProcess {
    let pid: pid_t
    let events: Int32
    private var control: Int32
    private var status: Int32?

    init(command: String, output: String, environment: [String: String]) throws(ForeignProtocolError) {
        let words: [String] = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let entries: [String] = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var envp: [UnsafeMutablePointer<CChar>?] = entries.map { strdup($0) } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid = pid_t(), events: Int32 = -1, control: Int32 = -1
        let rc = proc_spawn_foreign("/bin/sh", &argv, &envp, output, &pid, &events, &control)
        guard rc == 0 else { throw .cannotStart(String(cString: strerror(rc))) }
        self.pid = pid
        self.events = events
        self.control = control
    }

    deinit {
        endGroup()
        close(events)
        closeControl()
    }

    /// One line on its stdin.
    func say(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(control, $0.baseAddress, $0.count) }
    }

    /// Closes its stdin: the end of the trial, by the contract.
    func closeControl() {
        guard control >= 0 else { return }
        close(control)
        control = -1
    }

    /// How it ended.
    enum Ending {
        case running
        case exited(Int32)
        case signalled(Int32)

        var spelled: String {
            switch self {
            case .running: "was still running"
            case .exited(let status): "exited with status \(status)"
            case .signalled(let signal): "was killed by \(signalName(signal))"
            }
        }

        /// What the tally makes of it: /bin/sh reports a command killed by signal N as 128 + N.
        var tally: ForeignTally.Ending {
            switch self {
            case .running, .exited(0): .quiet
            case .exited(let status) where status > 128 && status < 128 + 65: .signal(status - 128)
            case .exited(let status): .status(status)
            case .signalled(let signal): .signal(signal)
            }
        }
    }

    /// Waits up to `grace` for it to exit (reaping it), and says how it ended.
    func waitForExit(within grace: Duration) -> Ending {
        let until = Deadline.after(grace)
        while status == nil {
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid { status = raw; break }
            if reaped < 0 && errno != EINTR { break }
            if Deadline.now().nanoseconds >= until.nanoseconds { return .running }
            usleep(2000)
        }
        guard let raw = status else { return .running }
        let signal = raw & 0x7f
        return signal != 0 ? .signalled(signal) : .exited((raw >> 8) & 0xff)
    }

    /// SIGKILL to its whole group (whatever it forked), then reap it. Safe to call more than once.
    func endGroup() {
        _ = kill(-pid, SIGKILL)
        if status == nil {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            status = raw
        }
    }

    /// Some process of its group has `library` mapped (/proc/PID/maps): the preload reached the
    /// program, not only the shell that started it.
    func groupMaps(_ library: String) -> Bool {
        let name = (library as NSString).lastPathComponent
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        for entry in entries where entry.allSatisfy(\.isNumber) {
            guard let stat = WholeFile.read("/proc/\(entry)/stat"),
                  let close = stat.lastIndex(of: ")") else { continue }
            // after "pid (comm)": state, ppid, pgrp
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[2]) == pid else { continue }
            if WholeFile.read("/proc/\(entry)/maps")?.contains(name) == true { return true }
        }
        return false
    }
}
