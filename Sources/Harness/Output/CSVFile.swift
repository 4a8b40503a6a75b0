#if canImport(Glibc)
import Glibc
#endif

/// A file written line by line with write(2): every line is in the kernel's hands as soon as it is
/// written, so a run that is interrupted leaves whole lines behind; a line a full disk cut short is
/// cut off again.
final class LineFile {
    private let fd: Int32
    /// The name errors give.
    let path: String
    /// Bytes of whole lines written: where a line that could not be written whole is cut back to.
    private var size: off_t = 0

    /// Creates `file` (it must not exist yet); errors name `path`.
    init(file: String, path: String) throws(OutputError) {
        fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path, String(cString: strerror(errno))) }
        self.path = path
    }

    deinit { close(fd) }

    func write(_ line: [UInt8]) throws(OutputError) {
        var offset = 0
        while offset < line.count {
            let n = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                // a full disk took part of the line: cut it off, so the file holds whole lines only
                _ = ftruncate(fd, size)
                _ = lseek(fd, size, SEEK_SET)
                throw .cannotWrite(path, reason)
            }
            offset += n
        }
        size += off_t(line.count)
    }
}

/// An RFC 4180 CSV file written row by row (a LineFile).
final class CSVFile {
    private let file: LineFile
    var path: String { file.path }

    /// Creates `path` (it must not exist yet) and writes the header.
    init(path: String, header: [String]) throws(OutputError) {
        file = try LineFile(file: path, path: path)
        try write(header)
    }

    func write(_ fields: [String]) throws(OutputError) {
        try file.write(Array(CSVFile.line(fields).utf8))
    }

    /// One row as the file holds it: fields escaped, joined by commas, CRLF at the end.
    static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\r\n"
    }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }
}

/// Why a result could not be written.
public enum OutputError: Error, CustomStringConvertible {
    case cannotWrite(String, String)
    case exists(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .exists(let path): "\(path) already exists and is not empty; refusing to overwrite earlier results (choose another --out)"
        }
    }
}
