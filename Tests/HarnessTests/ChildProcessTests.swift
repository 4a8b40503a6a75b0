@testable import Harness
import IOWQ
import Testing

/// The watchdog's mechanism: a child that stops talking is noticed by its deadline and killed.
@Suite struct ChildProcessTests {
    @Test func aSilentChildTimesOutAndIsKilled() throws {
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "echo first; exec sleep 30"])
        guard case .line(let line) = child.readLine(until: .after(.seconds(20))) else {
            Issue.record("no first line")
            return
        }
        #expect(line == "first")
        guard case .timedOut = child.readLine(until: .after(.milliseconds(200))) else {
            Issue.record("the silent child was not timed out")
            return
        }
        child.kill()
        #expect(child.wait() == 128 + 9)
    }

    @Test func aChildThatEndsIsSeenToEnd() throws {
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "echo one; echo two; exit 3"])
        var lines: [String] = []
        reading: while true {
            switch child.readLine(until: .after(.seconds(20))) {
            case .line(let line): lines.append(line)
            case .end: break reading
            case .timedOut, .stopped:
                Issue.record("unexpected stop")
                break reading
            }
        }
        #expect(lines == ["one", "two"])
        #expect(child.wait() == 3)
    }
}
