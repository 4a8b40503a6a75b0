import IOWQ

/// One configuration's trials added up: one row of summary.csv, and one record of summary.jsonl
/// (Codable, lossless: its histograms as (value, count) pairs, so a row decoded back exports the
/// same CSV row).
public struct ConfigurationSummary: Codable, Sendable, ConfigurationKeyed {
    /// The configuration and where it ran.
    public var key: ConfigurationKey
    /// Trials counted: every trial, except those whose timed schedule did not act.
    public var trials = 0
    /// Trials whose timed schedule sent no signal inside the work: flagged and left out of every
    /// rate, count and latency, since they measured the configuration without its schedule.
    public var scheduleIdleTrials = 0
    /// The counted trials' work windows added up, for the delivered signal rate.
    public var workWindowNanoseconds: UInt64 = 0
    /// Trials that measured something (a kernel row that is not applicable runs none).
    public var trialsRun = 0
    public var hungTrials = 0
    /// Trials with an item hung or an exit hung.
    public var stuckTrials = 0
    public var items = ItemTally()
    public var latency = LatencyHistogram()
    public var firstWorker = LatencyHistogram()
    public var elapsedNanoseconds: UInt64 = 0
    public var counters = CounterSnapshot.zero
    public var exitHangs = 0
    /// Trials whose child died by a signal mid-trial, and those signals by name.
    public var crashedTrials = 0
    public var crashSignalCounts: [String: Int] = [:]
    /// The configuration's wall time in the sweep, its child processes included.
    public var wallSeconds = 0.0
    /// Why its trials stopped where they did.
    public var stopReason = Precision.StopReason.trials
    /// Stuck trials that ended as soon as their hang was certain.
    public var endedEarlyTrials = 0
    public var setupFailures = 0
    public var killedTrials = 0
    /// Summed over the trials that could see it; nil when none could (the kernel).
    public var leakedBytes: Int?
    /// Stuck trials by why they were stuck.
    public var hangKinds: [HangKind: Int] = [:]
    public var orderViolations = 0
    /// Summed over the trials that measured it; nil when none did.
    public var cpuUser: Double?
    public var cpuSystem: Double?
    public var waitInterruptions = 0
    /// The first trial's note (they share one when the configuration cannot run).
    public var note = ""
    public var workerRecordBytes = IOWorkQueue.workerRecordBytes
    public var workerStackBytes = IOWorkQueue.workerStackBytes

    public init(key: ConfigurationKey) {
        self.key = key
    }

    /// The configuration on this machine.
    public init(strategy: String, scenario: String, signals: String, faults: String) {
        self.init(key: ConfigurationKey(strategy: strategy, scenario: scenario, signals: signals, faults: faults))
    }

    public init(_ spec: ConfigurationSpec) {
        self.init(key: ConfigurationKey(spec))
        observer = spec.strategy.backend.observer
    }

    /// Which kind of row it is (`Counter.Observers`): what its columns can hold. A row read back
    /// from summary.csv takes its strategy's, or everything when this build does not know it.
    public var observer: Counter.Observers = .all

    /// The timed schedule acted in none of the trials: the row measured nothing of it, and says so
    /// rather than pass the schedule-free trials off as its effect.
    public var scheduleDidNotAct: Bool { scheduleIdleTrials > 0 && trials == 0 }

    /// The note the row shows: the trials' own, or how many trials the timed schedule left idle.
    public var displayNote: String {
        guard note.isEmpty, scheduleIdleTrials > 0 else { return note }
        let all = scheduleIdleTrials + trials
        return scheduleDidNotAct ? (all == 1 ? "timed schedule sent no signal inside its trial" : "timed schedule sent no signal inside any of the \(all) trials")
            : "\(scheduleIdleTrials) of \(all) trials left out: the timed schedule sent no signal inside them"
    }

    public mutating func add(_ trial: TrialResult) {
        if trial.scheduleActed == false {
            scheduleIdleTrials += 1
            return
        }
        trials += 1
        workWindowNanoseconds += trial.workWindowNanoseconds ?? 0
        if trial.didRun { trialsRun += 1 }
        if trial.hung { hungTrials += 1 }
        if trial.stuck { stuckTrials += 1 }
        assert(trial.items.addsUp, "a trial's tally does not add up")
        items.add(trial.items)
        latency.add(trial.histogram)
        elapsedNanoseconds += trial.elapsedNanoseconds
        if let c = trial.counters {
            counters.add(c)
            if c[.firstWorkerNanoseconds] > 0 { firstWorker.record(UInt64(c[.firstWorkerNanoseconds])) }
        }
        if trial.exitHung { exitHangs += 1 }
        if let crash = trial.crashName {
            crashedTrials += 1
            crashSignalCounts[crash, default: 0] += 1
        }
        if trial.endedEarly { endedEarlyTrials += 1 }
        if trial.setupFailed { setupFailures += 1 }
        if trial.killed { killedTrials += 1 }
        if let leaked = trial.leakedBytes { leakedBytes = (leakedBytes ?? 0) + leaked }
        // every stuck trial has a kind, so the kinds add up to the stuck trials
        if trial.stuck { hangKinds[trial.hangKind ?? .unknown, default: 0] += 1 }
        orderViolations += trial.orderViolations
        if let user = trial.cpuUserSeconds { cpuUser = (cpuUser ?? 0) + user }
        if let system = trial.cpuSystemSeconds { cpuSystem = (cpuSystem ?? 0) + system }
        waitInterruptions += trial.waitInterruptions
        if note.isEmpty { note = trial.note }
    }

    /// At least one trial measured something; otherwise every rate and count is empty, not 0.
    public var ran: Bool { trialsRun > 0 }

    /// Signals delivered per second of work, over the counted trials: the rate the work really met,
    /// which a short trial's nominal rate overstates.
    public var signalsDeliveredPerSecond: Double? {
        guard ran, workWindowNanoseconds > 0 else { return nil }
        return Double(counters[.signalsDelivered]) / (Double(workWindowNanoseconds) / 1e9)
    }

    /// Hung trials over trials.
    public var hangRate: Double { trials == 0 ? 0 : Double(hungTrials) / Double(trials) }
    /// Stuck trials (an item hung or the exit hung) over trials: what a user of the pool feels.
    public var stuckRate: Double { trials == 0 ? 0 : Double(stuckTrials) / Double(trials) }
    public var stuckInterval: WilsonInterval { WilsonInterval(successes: stuckTrials, trials: trials) }
    /// Crashed trials over trials.
    public var crashRate: Double { trials == 0 ? 0 : Double(crashedTrials) / Double(trials) }
    public var crashInterval: WilsonInterval { WilsonInterval(successes: crashedTrials, trials: trials) }
    /// The signals that crashed trials, most frequent first: "SIGILL 5".
    public var crashSignals: String {
        crashSignalCounts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: " ")
    }

    /// Each outcome's share of the submitted items, and exit hangs as a share of trials, for people:
    /// "ok 1.00", or "ok 0.40 cancelled 0.60 exit-hung 5/5"; an all-cancelled row never reads as fine.
    public var outcomeShares: String {
        guard items.submitted > 0 else { return "" }
        var parts: [String] = []
        for (name, count) in [("ok", items.ok), ("cancelled", items.cancelled), ("failed", items.failed), ("hung", items.hung),
                             ("crashed", items.crashed)] where count > 0 {
            parts.append("\(name) \(Format.fixed(Double(count) / Double(items.submitted), 2))")
        }
        if exitHangs > 0 { parts.append("exit-hung \(exitHangs)/\(trials)") }
        return parts.joined(separator: " ")
    }

    /// The stuck trials by kind, most frequent first: "workers-blocked 9".
    public var hangKindCounts: String {
        HangKind.allCases.filter { hangKinds[$0, default: 0] > 0 }
            .sorted { hangKinds[$0]! > hangKinds[$1]! }
            .map { "\($0.rawValue) \(hangKinds[$0]!)" }
            .joined(separator: " ")
    }

    public var hangInterval: WilsonInterval { WilsonInterval(successes: hungTrials, trials: trials) }

    /// ok items per second of the trials' measured time.
    public var throughput: Double {
        elapsedNanoseconds == 0 ? 0 : Double(items.ok) / (Double(elapsedNanoseconds) / 1e9)
    }
}

extension Precision.StopReason: Codable {}
/// The stuck trials by kind are a JSON object keyed by the kind's name.
extension HangKind: CodingKeyRepresentable {}
