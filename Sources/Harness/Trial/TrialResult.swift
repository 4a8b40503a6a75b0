import IOWQ

/// Everything one trial measured; one row of trials.csv. Sent from a child process to its parent
/// as one JSON line.
public struct TrialResult: Codable, Sendable, ConfigurationKeyed {
    /// The configuration and where it ran.
    public var key: ConfigurationKey
    public var trial: Int
    public var seed: UInt64
    public var items = ItemTally()
    /// Latency of the items that completed ok, in nanoseconds, as (value, count) pairs.
    public var latencies: [[UInt64]] = []
    /// From the first submission to the last ok completion.
    public var elapsedNanoseconds: UInt64 = 0
    public var counters: CounterSnapshot?
    /// Teardown time; nil where there is none to time (a peer pool lives as long as its process).
    public var exitNanoseconds: UInt64?
    public var exitHung = false
    /// The pool could not be set up (eager with no worker): every item counts as failed.
    public var setupFailed = false
    /// The child running this trial was killed by the watchdog: every item counts as hung.
    public var killed = false
    /// Worker records the allocator still held after the exit; nil where it cannot be seen (the kernel).
    public var leakedBytes: Int?
    /// The hang was certain before its deadline (nothing could ever move), and the trial ended
    /// there rather than waiting it out.
    public var endedEarly = false
    /// Why the trial was stuck, read from the pool at the deadline; nil for a trial that was not.
    public var hangKind: HangKind?
    /// From the first submission to the end of the work (all completed, or the item deadline):
    /// the window the timed signal schedule runs in. Nil when nothing was submitted.
    public var workWindowNanoseconds: UInt64?
    /// Whether the timed schedule sent a signal inside the work window; nil without a timed schedule.
    /// A trial it did not act in is flagged and left out of the configuration's rates.
    public var scheduleActed: Bool?
    /// Items of one hash that ran out of order or at the same time (hashed scenarios).
    public var orderViolations = 0
    /// CPU time of the child during the trial; nil when nobody could measure it (the child was
    /// killed or crashed).
    public var cpuUserSeconds: Double?
    public var cpuSystemSeconds: Double?
    /// Waits for completions that returned EINTR (the kernel anchor).
    public var waitInterruptions = 0
    /// The signal that killed the child mid-trial (SIGILL for a Swift trap): its items that had not
    /// completed count as crashed. Nil when the child did not die by a signal of its own.
    public var crashSignal: Int32?
    /// The exit status of a foreign program that ended non-zero with items not done (a Rust panic
    /// exits 101): a crash, though no signal.
    public var crashExitStatus: Int32?
    /// The last line the crashed child wrote to standard error (a trap's message), trimmed.
    public var crashMessage: String?
    /// Kernel anchor: whether the signal handler had SA_RESTART (nil for the model).
    public var saRestart: Bool?
    /// Why the trial measured nothing, when it could not: "not applicable: ...", "kernel anchor
    /// unavailable: ...". Empty for a trial that ran.
    public var note = ""

    public init(spec: ConfigurationSpec, trial: Int, seed: UInt64) {
        key = ConfigurationKey(spec)
        self.trial = trial
        self.seed = seed
        observer = spec.strategy.backend.observer
    }

    /// Which kind of row measured it (`Counter.Observers`): what its columns can hold.
    public var observer: Counter.Observers = .all

    public var hung: Bool { items.hung > 0 }
    /// The child died by a signal mid-trial.
    public var crashed: Bool { crashSignal != nil || crashExitStatus != nil }
    /// How it crashed, for people: "SIGILL", "exit 101".
    public var crashName: String? { crashSignal.map(signalName) ?? crashExitStatus.map { "exit \($0)" } }
    /// Stuck: an item never completed, or the pool never finished exiting. Either way the
    /// program waiting on it would wait for ever.
    public var stuck: Bool { hung || exitHung }
    /// The trial measured something: no note says it could not run.
    public var didRun: Bool { note.isEmpty }
    public var histogram: LatencyHistogram { LatencyHistogram(pairs: latencies) }

    /// ok items per second over the trial's elapsed time.
    public var throughput: Double {
        elapsedNanoseconds == 0 ? 0 : Double(items.ok) / (Double(elapsedNanoseconds) / 1e9)
    }
}
