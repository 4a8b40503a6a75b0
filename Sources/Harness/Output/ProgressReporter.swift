#if canImport(Glibc)
import Glibc
#endif

/// What the sweep tells the person watching.
public protocol ProgressReporter: AnyObject {
    func configurationStarted(index: Int, of total: Int, _ label: String, trials: Int)
    func trialFinished(_ result: TrialResult)
    /// The configuration runs on, to `trials` in all, for a precise enough rate.
    func configurationExtended(trials: Int)
    func configurationFinished(_ summary: ConfigurationSummary, seconds: Double)
    func stopped()
}

/// On a terminal: one live line per configuration with a bar and the time left; the finished line
/// stays. Elsewhere (CI, a pipe): just the finished line.
public final class ConsoleProgress: ProgressReporter {
    private let live: Bool
    private var index = 0
    private var total = 0
    private var label = ""
    private var trials = 0
    private var done = 0
    private var hung = 0
    private let started = monotonicSeconds()
    private var configurationStart = monotonicSeconds()

    public init(live: Bool = isatty(STDERR_FILENO) != 0) {
        self.live = live
    }

    public func configurationStarted(index: Int, of total: Int, _ label: String, trials: Int) {
        (self.index, self.total, self.label, self.trials) = (index, total, label, trials)
        done = 0
        hung = 0
        configurationStart = monotonicSeconds()
        draw()
    }

    public func configurationExtended(trials: Int) {
        self.trials = trials
        draw()
    }

    public func trialFinished(_ result: TrialResult) {
        done += 1
        if result.hung { hung += 1 }
        draw()
    }

    public func configurationFinished(_ summary: ConfigurationSummary, seconds: Double) {
        let p50 = Format.optional(summary.latency.microseconds(atPercentile: 50), 1)
        guard summary.ran else {
            emit("\(counter()) \(label)  not run: \(summary.displayNote)", final: true)
            return
        }
        var line = "\(counter()) \(label)  stuck \(summary.stuckTrials)/\(summary.trials)  \(summary.outcomeShares)  p50 \(p50.isEmpty ? "-" : p50 + "us")  \(Format.human(seconds: seconds))"
        if summary.stopReason != .trials { line += "  [\(summary.stopReason.rawValue)]" }
        if summary.scheduleIdleTrials > 0 { line += "  (\(summary.scheduleIdleTrials) trials without a signal left out)" }
        emit(line, final: true)
    }

    public func stopped() {
        emit("stopped: the rows written so far are complete; the summary covers the finished configurations", final: true)
    }

    private func counter() -> String {
        let width = String(total).count
        let number = String(index + 1)
        return "[" + String(repeating: " ", count: width - number.count) + number + "/\(total)]"
    }

    private func draw() {
        guard live else { return }
        let width = 20
        let filled = trials == 0 ? 0 : width * done / trials
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        emit("\(counter()) \(label)  [\(bar)] \(done)/\(trials)  \(hung > 0 ? "hung \(hung)  " : "")eta \(eta())", final: false)
    }

    /// Time left: the average configuration so far times those still to come.
    private func eta() -> String {
        let elapsed = monotonicSeconds() - started
        let finished = Double(index) + (trials == 0 ? 0 : Double(done) / Double(trials))
        guard finished > 0 else { return "?" }
        return Format.human(seconds: elapsed / finished * (Double(total) - finished))
    }

    private func emit(_ text: String, final: Bool) {
        let line = live ? "\r\u{1B}[2K" + text + (final ? "\n" : "") : text + "\n"
        guard live || final else { return }
        writeStandardError(line)
    }
}

/// Writes to standard error with write(2): unbuffered, and no shared FILE state.
public func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
        if n <= 0 { return }
        offset += n
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
