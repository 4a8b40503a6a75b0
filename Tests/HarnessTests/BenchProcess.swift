#if canImport(Glibc)
import Glibc
#endif
import Foundation

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

    static func run(_ arguments: [String]) throws -> BenchProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return BenchProcess(status: process.terminationStatus,
                            standardOutput: String(decoding: outData, as: UTF8.self),
                            standardError: String(decoding: errData, as: UTF8.self))
    }
}

/// A fresh temporary folder path that does not exist yet.
func temporaryPath(_ name: String) -> String {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("iowq-bench-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    return base.appendingPathComponent(name).path
}

/// summary.csv or trials.csv as header and rows of name -> value (plain RFC 4180, no quoting used).
struct CSVTable {
    let header: [String]
    let rows: [[String: String]]

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        header = lines.first ?? []
        rows = lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    func rows(strategy: String) -> [[String: String]] { rows.filter { $0["strategy"] == strategy } }
}
