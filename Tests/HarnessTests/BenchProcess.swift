#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import Harness

/// Runs the built `bench` executable (it sits beside the test bundle) and captures what it says.
struct BenchProcess {
    var status: Int32
    var standardOutput: String
    var standardError: String

    static var executable: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        // .build/<triple>/debug/<package>PackageTests.xctest may be a directory on some layouts
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("bench").path),
              directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("bench").path
    }

    /// A run that outlived its deadline: it was killed, and the test fails with what it said.
    struct TimedOut: Error, CustomStringConvertible {
        var arguments: [String]
        var seconds: Int
        var description: String { "bench \(arguments.joined(separator: " ")) did not finish within \(seconds) s (killed)" }
    }

    /// Runs bench and reads both of its pipes as they fill, so a chatty standard error can never
    /// block it; kills it once `timeout` has passed.
    /// `launcher`: a program that runs bench (its path follows the launcher's arguments), e.g. a
    /// shell that sets a limit first.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(120),
                    launcher: [String] = []) throws -> BenchProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher.first ?? executable)
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [executable] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = ContinuousClock.now + timeout
        var buffers: [Int32: [UInt8]] = [out.fileHandleForReading.fileDescriptor: [], err.fileHandleForReading.fileDescriptor: []]
        var open = Array(buffers.keys)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !open.isEmpty {
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                process.terminate()
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw TimedOut(arguments: arguments, seconds: Int(timeout.components.seconds))
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let milliseconds = Int32(min(1000, max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))  // attoseconds / 1e15 = ms
            guard poll(&fds, nfds_t(fds.count), milliseconds) > 0 else { continue }
            for entry in fds where entry.revents != 0 {
                let n = chunk.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    buffers[entry.fd]!.append(contentsOf: chunk[0..<n])
                } else if n == 0 || errno != EINTR {
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        process.waitUntilExit()
        return BenchProcess(status: process.terminationStatus,
                            standardOutput: String(decoding: buffers[out.fileHandleForReading.fileDescriptor]!, as: UTF8.self),
                            standardError: String(decoding: buffers[err.fileHandleForReading.fileDescriptor]!, as: UTF8.self))
    }
}

/// A fresh temporary folder path that does not exist yet.
func temporaryPath(_ name: String) -> String {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("iowq-bench-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    return base.appendingPathComponent(name).path
}

/// summary.csv or trials.csv as header and rows of name -> value, read as `bench merge` reads them
/// (RFC 4180, quoted fields included).
struct CSVTable {
    let header: [String]
    let rows: [[String: String]]

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = CSVReader.rows(text)
        header = lines.first ?? []
        rows = lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    func rows(strategy: String) -> [[String: String]] { rows.filter { $0["strategy"] == strategy } }
}
