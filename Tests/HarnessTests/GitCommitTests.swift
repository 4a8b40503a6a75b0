import Foundation
@testable import Harness
import Testing

/// meta.json's git_commit: HEAD of the checkout a run comes from, a linked worktree's included
/// (its .git is a file naming the main checkout's folder), which read "unknown" before.
@Suite struct GitCommitTests {
    func git(_ arguments: [String], in directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-C", directory, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aWorktreeNamesItsHead() throws {
        let base = temporaryPath("git")
        let main = base + "/main", linked = base + "/linked"
        try FileManager.default.createDirectory(atPath: main + "/sub", withIntermediateDirectories: true)
        _ = try git(["init", "-q"], in: main)
        try "a".write(toFile: main + "/a", atomically: true, encoding: .utf8)
        _ = try git(["add", "a"], in: main)
        _ = try git(["commit", "-qm", "one"], in: main)
        _ = try git(["worktree", "add", "-q", "-b", "other", linked], in: main)
        try "b".write(toFile: linked + "/b", atomically: true, encoding: .utf8)
        _ = try git(["add", "b"], in: linked)
        _ = try git(["commit", "-qm", "two"], in: linked)
        let mainHead = try git(["rev-parse", "HEAD"], in: main), linkedHead = try git(["rev-parse", "HEAD"], in: linked)
        #expect(RunMetadata.gitCommit(around: main + "/sub") == mainHead)
        #expect(RunMetadata.gitCommit(around: linked) == linkedHead && linkedHead != mainHead)
        _ = try git(["pack-refs", "--all"], in: main)
        #expect(RunMetadata.gitCommit(around: linked) == linkedHead, "from packed-refs")
    }
}
