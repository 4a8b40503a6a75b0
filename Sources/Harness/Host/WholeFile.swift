#if canImport(Glibc)
import Glibc
#endif

/// A file read to its end with read(2): /proc and tracefs files say their size is 0, so a reader
/// that trusts the size (String(contentsOfFile:)) gets a part of them.
enum WholeFile {
    static func read(_ path: String) -> String? {
        bytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file's bytes, read to its end; nil when it cannot be opened or read.
    static func bytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return n < 0 ? nil : data }
            data.append(contentsOf: chunk[0..<n])
        }
    }
}
