import IOWQ

/// Sizes a configuration's sample by what it shows, as hyperfine and criterion size theirs: after
/// its first trials, a row whose trials disagree (some stuck, some not) runs on in batches until
/// its stuck rate's Wilson interval is at most `halfWidth` either side of it, or a cap is hit. A row
/// whose trials all agree runs on too: 0 of 5 is an interval of [0, 0.43], and it takes 0 of 35 to
/// bring it under 0.05 either side.
public struct Precision: Sendable, Hashable {
    /// The target half-width of the stuck rate's 95% interval.
    public var halfWidth: Double
    public var maxTrials: Int
    /// Per configuration.
    public var timeBudget: Duration

    /// What `--precision` takes: narrower than ±0.001 needs millions of trials, wider than ±0.25
    /// says nothing about a rate in 0...1.
    public static let halfWidths = Bound<Double>(0.001...0.25, "a precision (the stuck rate's interval half-width)")
    /// What `--max-trials` takes.
    public static let trialCaps = Bound<Int>(SweepPlan.trialCounts.range, "a trial cap per configuration")
    /// What `--time-budget` takes, in seconds per configuration: at most a day.
    public static let timeBudgets = Bound<Double>(1...86_400, "a time budget (seconds per configuration)")

    public init(halfWidth: Double, maxTrials: Int, timeBudget: Duration) {
        self.halfWidth = halfWidth
        self.maxTrials = maxTrials
        self.timeBudget = timeBudget
    }

    /// Why a row's trials stopped.
    public enum StopReason: String, Sendable {
        /// The count asked for (no precision target).
        case trials
        /// The interval is as narrow as asked.
        case precision
        case trialCap = "trial-cap"
        case timeCap = "time-cap"
        /// The strategy cannot run the configuration (its note says why): no trial ran.
        case notApplicable = "not-applicable"
    }

    /// Whether `row`, after `trials` trials run and `elapsed`, is done, and why; nil to go on.
    func stopReason(_ row: ConfigurationSummary, trials: Int, elapsed: Duration) -> StopReason? {
        guard row.ran else { return .trials }
        let interval = row.stuckInterval
        if (interval.high - interval.low) / 2 <= halfWidth { return .precision }
        if trials >= maxTrials { return .trialCap }
        if elapsed >= timeBudget { return .timeCap }
        return nil
    }

    /// How many more trials to run: the n the rate seen so far needs (the normal approximation's;
    /// for a unanimous row, the Wilson interval's own at 0 of n), less those counted, scaled up for
    /// trials a timed schedule leaves out; at least 10.
    func nextBatch(_ row: ConfigurationSummary, trials: Int) -> Int {
        let needed: Int
        if row.stuckTrials == 0 || row.stuckTrials == row.trials {
            needed = (row.trials...).first { WilsonInterval(successes: 0, trials: $0).high / 2 <= halfWidth }!
        } else {
            let rate = min(0.95, max(0.05, row.stuckRate))
            needed = Int((1.96 * 1.96 * rate * (1 - rate) / (halfWidth * halfWidth)).rounded(.up))
        }
        let counting = Double(row.trials) / Double(max(1, trials))
        let batch = Int((Double(max(10, needed - row.trials)) / max(0.1, counting)).rounded(.up))
        return min(batch, maxTrials - trials)
    }
}
