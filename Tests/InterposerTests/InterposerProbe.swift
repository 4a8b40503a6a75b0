#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs the built `interposer-probe` with the built `libIOWQThreadInterposer.so` preloaded (both sit
/// beside the test bundle) and reads its one line.
struct InterposerProbe {
    /// The probe's exit status, or the signal that ended it.
    var termination: (reason: Process.TerminationReason, status: Int32)
    var standardError: String
    /// The 1-based attempts whose pthread_create failed.
    var failedAt: [Int]
    var fields: [String: String]

    var failed: Int { Int(fields["failed"] ?? "") ?? -1 }
    var interposed: Bool { fields["interposed"] == "1" }
    var planError: Int { Int(fields["plan_error"] ?? "") ?? -1 }
    /// The interposer's own getters: armed attempts and injected failures.
    var counted: (attempts: UInt64, failures: UInt64) {
        let parts = (fields["counted"] ?? "").split(separator: "/").compactMap { UInt64($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : (.max, .max)
    }

    static let directory: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        // .build/<triple>/debug/<package>PackageTests.xctest may be a directory on some layouts
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("interposer-probe").path),
              directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }()

    static var executable: String { directory.appendingPathComponent("interposer-probe").path }
    static var library: String { directory.appendingPathComponent("libIOWQThreadInterposer.so").path }

    /// Creates `threads` threads in the probe under `environment` (the IOWQ_THREAD_FAULTS*
    /// variables; none of this process's are passed on).
    static func run(threads: Int, environment: [String: String], arguments: [String] = []) throws -> InterposerProbe {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [String(threads)] + arguments
        var inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("IOWQ_THREAD_FAULTS") }
        inherited["LD_PRELOAD"] = library
        process.environment = inherited.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // One short line on each: neither pipe can fill while the other is read.
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        var fields: [String: String] = [:]
        for field in output.split(whereSeparator: \.isWhitespace) {
            let pair = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        return InterposerProbe(termination: (process.terminationReason, process.terminationStatus),
                               standardError: error,
                               failedAt: (fields["failed_at"] ?? "").split(separator: ",").compactMap { Int($0) },
                               fields: fields)
    }
}

/// A counter file as the harness makes it: a fresh empty file; removed by the caller.
func makeCounterFile() throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("iowq-interposer-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
        throw CocoaError(.fileWriteUnknown)
    }
    return path
}

/// The two counters of a counter file: little-endian uint64 attempts at 0, failures at 8.
func readCounters(_ path: String) throws -> (attempts: UInt64, failures: UInt64) {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    guard bytes.count >= 16 else { return (.max, .max) }
    func word(_ offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
    return (word(0), word(8))
}
