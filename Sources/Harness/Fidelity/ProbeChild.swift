import Foundation

/// One probe trial in a child process of its own (`bench fingerprint --probe-trial` and the like):
/// its answer is one JSON line; a child that does not answer before `watchdog` is killed (its
/// thread may be retrying inside the kernel), and one that ends without answering set nothing up.
enum ProbeChild {
    enum Answer<T> {
        case answered(T)
        case silent
        case ended
    }

    static func run<T: Decodable>(_ type: T.Type, executable: String, arguments: [String], watchdog: Duration) throws -> Answer<T> {
        let child = try ChildProcess(executable: executable, arguments: arguments)
        defer { child.kill() }
        while true {
            switch child.readLine(until: .after(watchdog)) {
            case .line(let line):
                if let decoded = try? JSONDecoder().decode(T.self, from: Data(line.utf8)) { return .answered(decoded) }
            case .end:
                return .ended
            case .timedOut:
                return .silent
            case .stopped:
                throw LineageProbe.ProbeStopped()
            }
        }
    }
}
