import IOWQ

/// How long a sweep can take, before it starts: every trial that waits out its deadlines (a hung
/// one does; most end far sooner, a certain hang at once), each row that runs on for precision up
/// to its cap. An upper bound, not a forecast: it is what `bench run` shows before a long sweep,
/// and what it refuses beyond `SweepEstimate.refusedBeyond` without --yes.
public struct SweepEstimate: Sendable, CustomStringConvertible {
    /// Trials planned (each row's first trials).
    public let trials: Int
    /// The longest the sweep can take, in seconds.
    public let longestSeconds: Double

    /// Shown before a sweep that can take longer than this.
    public static let shownBeyond = 5.0 * 60
    /// Refused without --yes beyond this: a day.
    public static let refusedBeyond = 24.0 * 3600

    public init(_ plan: SweepPlan) {
        var trials = 0
        var seconds = 0.0
        for spec in plan.configurations {
            let first = plan.trials(for: spec)
            trials += first
            guard Applicability.reason(spec) == nil else { continue }  // its trials only say why not
            let longest = Self.seconds(spec.strategy.backend.longestTrial(spec, plan.profile))
            var row = Double(first) * longest
            if let precision = plan.precision {
                // runs on until its cap: trials or time, whichever comes first
                row = max(row, min(Double(precision.maxTrials) * longest, Self.seconds(precision.timeBudget) + longest))
            }
            seconds += row
        }
        self.trials = trials
        longestSeconds = seconds
    }

    public var isShown: Bool { longestSeconds > Self.shownBeyond }
    public var isRefused: Bool { longestSeconds > Self.refusedBeyond }

    /// "at most 3 h 20 min (12000 trials to their deadlines; most end far sooner)".
    public var description: String {
        "at most \(Self.spelled(longestSeconds)) (\(trials) trials, each to its deadlines; most end far sooner)"
    }

    /// 45 s, 12 min, 3 h 20 min, 4 d 2 h.
    public static func spelled(_ seconds: Double) -> String {
        let whole = Int(min(seconds.rounded(.up), 1e15))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\((whole + 59) / 60) min" }
        if whole < 86400 { return "\(whole / 3600) h \((whole % 3600 + 59) / 60) min" }
        return "\(whole / 86400) d \((whole % 86400 + 3599) / 3600) h"
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
