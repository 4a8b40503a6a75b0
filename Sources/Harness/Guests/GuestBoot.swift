#if canImport(Glibc)
import Glibc
#endif
import Foundation
import IOWQ

/// How a guest's CPUs run: under KVM (hardware virtualisation, timings close to native) or under
/// qemu's TCG (an emulator: 3-10x slower, so outcome classes compare inside one guest, timings
/// never across guests).
public enum Acceleration: String, Sendable, CaseIterable {
    case kvm, tcg
    /// No guest: the host's kernel measured directly.
    case native
}

/// Boots a kernel image with virtme-ng (qemu over the host's root file system, shared read-only),
/// runs one shell line in it as root and waits for it. The guest writes only under `writable`;
/// everything else it writes vanishes with it. The script's exit status comes back through a file
/// there: virtme-ng's own exit status says nothing about it when it falls back to the console.
struct GuestBoot {
    let vmlinuz: String
    let acceleration: Acceleration
    /// Two vCPUs, so that the signal sender runs beside a submitter inside io_uring_enter, as on
    /// the host: with one, 6.1's inline batch was over before the first signal was sent. (Each
    /// trial's tracepoints no longer patch kernel text: see `KernelTrace.holdEvents`.)
    let cpus = 2
    var memory = "2G"

    /// Runs `script` in the guest; hands the lines it prints to `line` (the kernel's own messages
    /// left out). Returns its exit status, or nil when it never finished (the guest died, or
    /// `deadline` passed).
    func run(_ script: String, writable: String, until deadline: Deadline, line: (String) -> Void) throws(GuestError) -> Int32? {
        let marker = writable + "/.guest-exit-\(getpid())-\(monotonicNanoseconds())"
        defer { try? FileManager.default.removeItem(atPath: marker) }
        var arguments = ["vng", "--verbose", "--run", vmlinuz, "--cpus", String(cpus), "--memory", memory, "--rwdir", writable]
        if acceleration == .tcg { arguments.append("--disable-kvm") }
        // through a pipe, as on the host: the guest's console is a terminal, and progress bars
        // drawn for one would arrive here as a single endless line
        arguments += ["--exec", "{ \(script) 2>&1; echo $? > \(HostCommand.quoted([marker])); } | cat"]
        _ = try HostCommand.run(arguments, until: deadline) { text in
            if !Self.isConsoleNoise(text) { line(text) }
        }
        guard let status = try? String(contentsOfFile: marker, encoding: .utf8) else { return nil }
        return Int32(status.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The guest kernel's log lines ("[    1.501] ...") and virtme-ng's own.
    static func isConsoleNoise(_ line: String) -> Bool {
        let text = line.drop { $0 == "\r" || $0 == " " }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            // a timestamp: seconds.microseconds, padded with spaces
            let stamp = text[text.index(after: text.startIndex)..<close].drop { $0 == " " }
            let parts = stamp.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 2 && parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) { return true }
        }
        return text.hasPrefix("virtme-ng-init:") || text.isEmpty
    }

    /// KVM when /dev/kvm is there and a guest boots on it; else TCG, with the reason. A probe guest
    /// is cheap (seconds), and a VM that offers /dev/kvm may still fail in it (nested KVM that
    /// aborts qemu on its first MSR write).
    static func chooseAcceleration(probing vmlinuz: String, writable: String) throws(GuestError) -> (Acceleration, String) {
        guard access("/dev/kvm", R_OK | W_OK) == 0 else { return (.tcg, "no usable /dev/kvm: qemu's TCG emulates the guest") }
        var last = ""
        let probe = GuestBoot(vmlinuz: vmlinuz, acceleration: .kvm)
        if try probe.run("true", writable: writable, until: .after(.seconds(90)), line: { last = $0 }) == 0 {
            return (.kvm, "KVM")
        }
        let why = last.isEmpty ? "the probe guest never finished" : last
        return (.tcg, "KVM does not work here (\(why.trimmingCharacters(in: .whitespaces))): qemu's TCG emulates the guest")
    }
}
