#if canImport(Glibc)
import Glibc
#endif
import Foundation
import IOWQ
import Synchronization

/// Why a trial's tracepoints could not be read: tracefs not mounted, not writable (not root), an
/// event or filter the kernel lacks, or a buffer that overran. The trace's counters are then
/// empty, never a measured 0.
struct KernelTraceUnavailable: Error, CustomStringConvertible, Equatable {
    var description: String
}

/// One kernel trial's private tracefs instance (`<tracefs>/instances/iowq-<pid>-<tid>-<n>`): its
/// own ring buffer, trace clock and event filters, so the global trace and other sessions' tracing
/// are never touched. The events (what they mean: KernelTraceObservation) are filtered to the
/// submitting thread and its io-wq workers (`common_pid`, or the current task's comm
/// `iou-wrk-<tid>`) rather than with `set_event_pid`, because the system workqueue's queueing of a
/// delayed retry fires in the timer softirq on whatever task it interrupted, which a pid list
/// would drop; that one event is filtered by its function and matched to our timers by address.
///
/// The instance is removed in `finish`, or when the value goes away on any other path; one left by
/// a process that died (a crashed child) is removed by the next trace of any process.
final class KernelTrace {
    static let defaultRoot = "/sys/kernel/tracing"
    static let prefix = "iowq-"
    /// Per CPU: a few hundred events per trial (creations, punts, retries, hops) need far less;
    /// the room is for a trial that retries for its whole deadline.
    static let bufferKilobytesPerCPU = 2048

    let directory: String
    let submitter: Int32
    /// The kernel prints hashed pointers (no `hash-ptr` option): hops cannot be matched.
    let pointersHashed: Bool
    private var removed = false

    private static let sequence = Atomic<Int>(0)
    private static let prepared = Atomic<Bool>(false)

    /// The events read, each with its filter (`%T`: the submitter's tid).
    static let events: [(path: String, filter: String)] = [
        ("task/task_newtask", "(common_pid == %T || COMM == \"iou-wrk-%T\") && clone_flags & 0x80000000"),
        ("io_uring/io_uring_queue_async_work", "common_pid == %T || COMM == \"iou-wrk-%T\""),
        ("timer/timer_start", "(common_pid == %T || COMM == \"iou-wrk-%T\") && function%F == delayed_work_timer_fn"),
        ("workqueue/workqueue_queue_work", "function%F == io_workqueue_create"),
    ]
    // Not signal:signal_generate / signal_deliver: the rows count their signals themselves, exactly
    // (pthread_kill successes, handler runs), and at 100k/s the trace's copies would fill the buffer.

    /// Why no trial can be traced here, or nil when tracefs looks usable (mounted, writable, with
    /// every event): the static checks, for the parent to say once before a sweep. As root, an
    /// unmounted tracefs is mounted first (a fresh machine often has none), as the guests' command
    /// line does.
    static func unavailability(root: String = defaultRoot) -> String? {
        var status = stat()
        if stat(root + "/instances", &status) != 0, errno == ENOENT, geteuid() == 0 {
            _ = mount("nodev", root, "tracefs", 0, nil)
        }
        guard stat(root + "/instances", &status) == 0 else {
            if errno == EACCES || errno == EPERM { return "\(root) cannot be read (\(String(cString: strerror(errno))); tracing needs root)" }
            return "tracefs is not mounted at \(root) (mount -t tracefs nodev \(root))"
        }
        guard access(root + "/instances", W_OK) == 0 else { return "\(root)/instances is not writable (\(String(cString: strerror(errno))); tracing needs root)" }
        for event in events where access("\(root)/events/\(event.path)/enable", F_OK) != 0 {
            return "the kernel has no \(event.path) tracepoint"
        }
        return nil
    }

    private static let reportedUnavailable = Atomic<Bool>(false)

    /// Writes why the kernel row's trace counters will be empty to standard error, once per
    /// process (the parent, before a sweep with a kernel row); meta.json's `kernel_trace` keeps it.
    static func reportUnavailabilityOnce(root: String = defaultRoot) {
        guard let reason = unavailability(root: root), !reportedUnavailable.exchange(true, ordering: .relaxed) else { return }
        writeStandardError("kernel trace unavailable: \(reason); the kernel row's creations, retries, hops and punts stay empty\n")
    }

    /// What meta.json says about the kernel row's trace on this machine.
    static var status: String { unavailability().map { "unavailable: \($0)" } ?? "tracefs instances at \(defaultRoot)" }

    /// Creates the instance, sets its clock, buffer and filters, and starts tracing.
    static func start(submitter: Int32, root: String = defaultRoot) -> Result<KernelTrace, KernelTraceUnavailable> {
        if let reason = unavailability(root: root) { return .failure(KernelTraceUnavailable(description: reason)) }
        prepare(root: root)
        let name = "\(prefix)\(getpid())-\(submitter)-\(sequence.wrappingAdd(1, ordering: .relaxed).newValue)"
        let directory = "\(root)/instances/\(name)"
        guard mkdir(directory, 0o700) == 0 else {
            return .failure(KernelTraceUnavailable(description: "cannot create the tracefs instance \(directory): \(String(cString: strerror(errno)))"))
        }
        // raw pointers, so a softirq's queueing can be matched to our timer (an instance's own option)
        let hashed = !write("0", to: directory + "/options/hash-ptr")
        let trace = KernelTrace(directory: directory, submitter: submitter, pointersHashed: hashed)
        guard write("mono", to: directory + "/trace_clock") else { return trace.failing("cannot set its trace_clock to mono") }
        _ = write(String(bufferKilobytesPerCPU), to: directory + "/buffer_size_kb")
        for event in events {
            let tid = String(submitter)
            let plain = event.filter.replacingOccurrences(of: "%T", with: tid)
            // `.function` (symbolic function filters) is 6.2's; older kernels get the address
            guard write(plain.replacingOccurrences(of: "%F", with: ".function"), to: "\(directory)/events/\(event.path)/filter")
                || symbolicFallback(plain).map({ write($0, to: "\(directory)/events/\(event.path)/filter") }) == true else {
                return trace.failing("the kernel refused the filter of \(event.path)")
            }
            guard write("1", to: "\(directory)/events/\(event.path)/enable") else { return trace.failing("cannot enable \(event.path)") }
        }
        guard write("1", to: directory + "/tracing_on") else { return trace.failing("cannot turn tracing on") }
        return .success(trace)
    }

    private init(directory: String, submitter: Int32, pointersHashed: Bool) {
        self.directory = directory
        self.submitter = submitter
        self.pointersHashed = pointersHashed
    }

    deinit { remove() }

    /// Stops tracing, reads what was recorded and removes the instance. Fails when the buffer
    /// overran (events were lost, so a count would be short).
    func finish() -> Result<KernelTraceObservation, KernelTraceUnavailable> {
        defer { remove() }
        _ = Self.write("0", to: directory + "/tracing_on")
        let lost = lostEvents()
        guard lost == 0 else { return .failure(KernelTraceUnavailable(description: "the trace buffer overran (\(lost) events lost)")) }
        guard let text = Self.read(directory + "/trace") else {
            return .failure(KernelTraceUnavailable(description: "cannot read \(directory)/trace"))
        }
        let records = text.split(separator: "\n").compactMap(TraceRecord.init(line:))
        return .success(KernelTraceObservation(records, submitter: submitter, pointersHashed: pointersHashed))
    }

    /// Removes the instance (once): events off first, so nothing holds it.
    func remove() {
        guard !removed else { return }
        removed = true
        _ = Self.write("0", to: directory + "/tracing_on")
        for event in Self.events { _ = Self.write("0", to: "\(directory)/events/\(event.path)/enable") }
        // tracefs refuses to remove an instance while something still holds it (EBUSY: a file of
        // it open, an event being disabled on another CPU): try again for up to a second
        for _ in 0..<100 {
            if rmdir(directory) == 0 || errno != EBUSY { return }
            usleep(10_000)
        }
    }

    private func failing(_ reason: String) -> Result<KernelTrace, KernelTraceUnavailable> {
        remove()
        return .failure(KernelTraceUnavailable(description: reason))
    }

    /// Events overwritten or dropped, summed over the CPUs' stats.
    private func lostEvents() -> Int {
        var lost = 0
        var cpu = 0
        while let stats = Self.read("\(directory)/per_cpu/cpu\(cpu)/stats") {
            for line in stats.split(separator: "\n") where line.hasPrefix("overrun:") || line.hasPrefix("dropped events:") {
                lost += Int(line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
            }
            cpu += 1
        }
        return lost
    }

    /// Two instances per process that keep every event of `events` enabled, recording nothing
    /// (tracing_on 0), so that a trial's own instance registers the third probe of each
    /// tracepoint: tracepoint_add_func's N -> N+1 case, a pointer swap, where 0 -> 1 and 1 -> 2
    /// patch kernel text (the static key, the static call: text_poke_bp, an IPI to every other
    /// CPU) and 2 -> 1 waits for RCU (6.1.192 kernel/tracepoint.c:353-382, :430-441). Under TCG
    /// with two vCPUs that per-trial patching stalled the 6.1 guest in smp_call_function_many_cond.
    /// They go when the process exits; a killed one's are swept by the next run (`removeStale`).
    private static func holdEvents(root: String) {
        var held: [String] = []
        for index in 0..<2 {
            let directory = "\(root)/instances/\(prefix)\(getpid())-hold-\(index)"
            guard mkdir(directory, 0o700) == 0 else { break }
            held.append(directory)
            _ = write("0", to: directory + "/tracing_on")
            _ = write("4", to: directory + "/buffer_size_kb")
            for event in events { _ = write("1", to: "\(directory)/events/\(event.path)/enable") }
        }
        heldInstances.withLock { $0 = held }
        if !held.isEmpty { atexit(releaseHeldTraceEvents) }
    }

    /// The instances `holdEvents` made, removed at exit.
    static let heldInstances = Mutex<[String]>([])

    static func releaseHeldEvents() {
        let held = heldInstances.withLock { list in
            defer { list = [] }
            return list
        }
        for directory in held {
            KernelTrace(directory: directory, submitter: 0, pointersHashed: false).remove()
        }
    }

    /// Instances of this program whose process is gone (a child that crashed mid-trial).
    private static func removeStale(root: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root + "/instances") else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), pid != getpid() else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                let stale = KernelTrace(directory: "\(root)/instances/\(name)", submitter: 0, pointersHashed: false)
                stale.remove()
            }
        }
    }

    /// A function filter with the function's address from /proc/kallsyms, for kernels without
    /// `.function`: nil when there is none to replace or kallsyms hides addresses.
    private static func symbolicFallback(_ filter: String) -> String? {
        guard filter.contains("%F") else { return nil }
        guard let name = filter.split(separator: " ").last, let address = functionAddresses[String(name)] else { return nil }
        return filter.replacingOccurrences(of: "%F", with: "").replacingOccurrences(of: String(name), with: "0x" + String(address, radix: 16))
    }

    /// The functions the filters name (`function%F == name`).
    static let functionNames: [String] = events.compactMap { event in
        event.filter.contains("%F") ? event.filter.split(separator: " ").last.map(String.init) : nil
    }

    /// The addresses of `functionNames`, read from /proc/kallsyms once per process: 4 MB, which
    /// took longer than a whole trial's guard under TCG when every trial read it twice (the
    /// trial thread never published, and every kernel row of Debian's 6.1 guest came out hung).
    static let functionAddresses: [String: UInt64] = WholeFile.bytes("/proc/kallsyms").map { addresses(of: functionNames, inKallsyms: $0) } ?? [:]

    /// What a process does once, before its first trial's guard starts (`KernelAnchor` calls it;
    /// `start` does too, for a caller that did not): sweeps the instances of processes that are
    /// gone, makes the instances that hold the events (`holdEvents`), and on kernels whose filters
    /// need addresses (symbolic `.function` filters are 6.2's; 6.1 gets the address) pays for
    /// `functionAddresses`. Nothing where tracefs cannot be used.
    static func prepare(root: String = defaultRoot) {
        guard !prepared.load(ordering: .relaxed), unavailability(root: root) == nil,
              !prepared.exchange(true, ordering: .relaxed) else { return }
        removeStale(root: root)
        holdEvents(root: root)
        if let version = KernelVersion.running.version, version < KernelVersion(major: 6, minor: 2) { _ = functionAddresses }
    }

    /// Each of `names`' address in kallsyms text ("ffffffff9a6c51f0 T delayed_work_timer_fn"),
    /// scanned as bytes: a line is parsed only when it ends with " name" (a built-in symbol's
    /// line; a module's has "\t[module]" after it). A zero address (kptr_restrict) counts as none.
    static func addresses(of names: [String], inKallsyms text: [UInt8]) -> [String: UInt64] {
        let wanted = names.map { Array($0.utf8) }
        var found: [String: UInt64] = [:]
        var start = 0
        while start < text.count && found.count < names.count {
            var end = start
            while end < text.count && text[end] != UInt8(ascii: "\n") { end += 1 }
            for (index, name) in wanted.enumerated() where found[names[index]] == nil && end - start > name.count {
                let nameStart = end - name.count
                guard text[nameStart - 1] == UInt8(ascii: " "), text[nameStart..<end].elementsEqual(name) else { continue }
                let field = text[start..<end].prefix { $0 != UInt8(ascii: " ") }
                if let address = UInt64(String(decoding: field, as: UTF8.self), radix: 16), address != 0 { found[names[index]] = address }
            }
            start = end + 1
        }
        return found
    }

    /// One write(2) of `text` to a tracefs file: false when the kernel refused it.
    @discardableResult
    static func write(_ text: String, to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count
    }

    static func read(_ path: String) -> String? { WholeFile.read(path) }
}

/// atexit: a plain function, as atexit takes.
private func releaseHeldTraceEvents() {
    KernelTrace.releaseHeldEvents()
}
