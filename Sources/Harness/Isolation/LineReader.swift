#if canImport(Glibc)
import Glibc
#endif
import CProcessControl
import IOWQ

/// Lines from a pipe, each waited for with a deadline: a child's standard output, a foreign
/// program's events. A stop request (SIGINT or SIGTERM) ends the wait at once.
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var finished = false

    init(fd: Int32) { self.fd = fd }

    enum Line {
        case line(String)
        /// The writer closed its end (it exited or crashed).
        case end
        /// Nothing came before the deadline.
        case timedOut
        /// A stop was requested (SIGINT or SIGTERM).
        case stopped
    }

    /// The next line, waiting at most until `deadline`.
    mutating func readLine(until deadline: Deadline) -> Line {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            if finished { return .end }
            if proc_stop_requested() != 0 { return .stopped }
            let now = monotonicNanoseconds()
            guard deadline.nanoseconds > now else { return .timedOut }
            let waitMs = Int32(min((deadline.nanoseconds - now) / 1_000_000 + 1, 200))
            guard proc_wait_readable(fd, waitMs) == 1 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer.append(contentsOf: chunk[..<n])
            } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                finished = true
            }
        }
    }
}
