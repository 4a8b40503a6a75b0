import Foundation

/// One event line of a tracefs `trace` file, as the kernel prints it:
///
///     <comm>-<pid> [<cpu>] <flags> <seconds>.<microseconds>: <event>: <fields>
///
/// e.g. `bench-2287 [001] d..1. 669.528842: timer_start: timer=ffff88812ed42fb8
/// function=delayed_work_timer_fn expires=4295059615 [timeout=2] ...`. The pid is the current
/// task's (common_pid: the thread the event fired on, not the one it is about); the timestamp is
/// the instance's trace_clock, `mono` here, so it is CLOCK_MONOTONIC to the microsecond.
struct TraceRecord: Sendable, Equatable {
    /// The thread the event fired on, and its comm (an io-wq worker's is `iou-wrk-<task tid>`).
    var pid: Int32
    var comm: Substring
    /// Trace clock in nanoseconds (microsecond resolution).
    var nanoseconds: UInt64
    var event: String
    /// The flags field says it fired in a softirq (`s`, or `H`: a hardirq inside one), on
    /// whatever task was interrupted: a timer's work, not the task's own.
    var inSoftirq: Bool
    /// What follows `<event>: `.
    var fields: Substring

    /// Nil for comment lines (`#`), lost-event markers and anything else not shaped like an event.
    init?(line: Substring) {
        guard let open = line.firstIndex(of: "["), !line.hasPrefix("#") else { return nil }
        // the comm may hold spaces and dashes: the pid is after the last '-' before the cpu field
        let task = line[..<open].trimmingTrailingSpaces
        guard let dash = task.lastIndex(of: "-"), let pid = Int32(task[task.index(after: dash)...]) else { return nil }
        // after the cpu and the flags: "<seconds>.<microseconds>: <event>: <fields>"
        guard let stampEnd = line[open...].range(of: ": ") else { return nil }
        guard let stampStart = line[..<stampEnd.lowerBound].lastIndex(of: " ") else { return nil }
        let stamp = line[line.index(after: stampStart)..<stampEnd.lowerBound].split(separator: ".")
        guard stamp.count == 2, let seconds = UInt64(stamp[0]), let micro = UInt64(stamp[1]), stamp[1].count == 6 else { return nil }
        // "[001] dNs1.": the flags are the token after the cpu field (irqs-off, need-resched, irq
        // context, preempt depth, migrate-disable); the third says softirq
        let afterCPU = line[open...].drop { $0 != "]" }.dropFirst().drop { $0 == " " }
        let flags = afterCPU.prefix { $0 != " " }
        let rest = line[stampEnd.upperBound...]
        guard let eventEnd = rest.range(of: ": ") else { return nil }
        self.pid = pid
        comm = task[..<dash]
        nanoseconds = seconds * 1_000_000_000 + micro * 1000
        event = String(rest[..<eventEnd.lowerBound])
        inSoftirq = flags.count >= 3 && "sH".contains(flags[flags.index(flags.startIndex, offsetBy: 2)])
        fields = rest[eventEnd.upperBound...]
    }

    /// The value of `key=` in the fields (`timer=ffff...`, `[timeout=2]`), up to the next space.
    func field(_ key: String) -> Substring? {
        var search = fields[...]
        while let found = search.range(of: key + "=") {
            let before = found.lowerBound == fields.startIndex ? " " : fields[fields.index(before: found.lowerBound)]
            if before == " " || before == "[" {
                let value = fields[found.upperBound...].prefix { $0 != " " && $0 != "]" && $0 != "," }
                return value
            }
            search = fields[found.upperBound...]
        }
        return nil
    }

    /// A field printed in hexadecimal without a prefix (pointers, clone_flags).
    func hexField(_ key: String) -> UInt64? {
        field(key).flatMap { UInt64($0.hasPrefix("0x") ? $0.dropFirst(2) : $0, radix: 16) }
    }

    func intField(_ key: String) -> Int? { field(key).flatMap { Int($0) } }
}

private extension Substring {
    var trimmingTrailingSpaces: Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return self[startIndex..<end].drop { $0 == " " }
    }
}
