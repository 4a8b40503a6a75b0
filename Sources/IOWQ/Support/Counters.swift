import Synchronization

/// Everything one pool and its kernel stand-ins count, defined once: each case's CSV column, what it
/// means, how trials add up and whether summary.csv shows it. The atomics, the snapshot, the CSV
/// columns, the summary's aggregation and docs/csv.md are all built from this table, so a new
/// counter is one new case and one new row of `definition`.
public enum Counter: Int, CaseIterable, Sendable, Codable {
    case threadsCreatedAtSetup
    case threadsCreatedOnDemand
    case createAttempts
    case createFailuresEINTR
    case createFailuresERESTART
    case createFailuresEAGAIN
    case createFailuresENOMEM
    case createFailuresOther
    case createRetries
    case createRequestsViaTaskWork
    case creationsOffTask
    case kworkerHops
    case signalsSent
    case signalsDelivered
    case signalsInEnter
    case itemsPunted
    case firstSignalAt
    case firstCreationAttemptAt
    case workersLive
    case workersPeak
    case itemsOK
    case itemsCancelled
    case itemsFailed
    case completedTwice
    case firstWorkerNanoseconds
    case refusedYetRan

    /// How a configuration's trials combine.
    public enum Aggregation: Sendable {
        /// Added up over the trials.
        case sum
        /// The largest trial's.
        case max
        /// Not combined (kept per trial, or summarised another way).
        case none
    }

    public struct Definition: Sendable {
        /// Its column in trials.csv, or nil when it is written another way (outcomes are tallied
        /// from the items; first-worker time is a latency).
        public let column: String?
        /// What one count is (threads, attempts, signals, ...).
        public let unit: String
        public let meaning: String
        public let aggregation: Aggregation
        /// Shown in summary.csv too (as the aggregate).
        public let inSummary: Bool
        /// The rows that can see it; in every other row it is written empty, never as a measured 0.
        public let observedBy: Observers
    }

    /// Who can count a counter: the model pool itself, the live kernel (through io_uring, /proc
    /// and the signals it is sent), the live kernel through its tracepoints (a private tracefs
    /// instance, KernelTrace: only where tracefs is mounted and writable), or a peer pool (through
    /// the interposer's shared page). A row may have several (the kernel row with tracefs is
    /// `[.liveKernel, .kernelTrace]`): a counter is observed when any of them sees it.
    public struct Observers: OptionSet, Sendable, Hashable, Codable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let model = Observers(rawValue: 1 << 0)
        public static let liveKernel = Observers(rawValue: 1 << 1)
        public static let peer = Observers(rawValue: 1 << 2)
        public static let kernelTrace = Observers(rawValue: 1 << 3)
        public static let all: Observers = [.model, .liveKernel, .kernelTrace, .peer]
    }

    /// The rows' names, for people: "model, kernel".
    public static func names(_ observers: Observers) -> String {
        // a counter the kernel row sees without tracefs it sees with it too: name "kernel" once
        let kernelTrace = observers.contains(.kernelTrace) && !observers.contains(.liveKernel)
        return [(Observers.model, "model"), (.liveKernel, "kernel"), (kernelTrace ? .kernelTrace : [], "kernel (tracefs)"), (.peer, "peer")]
            .filter { !$0.0.isEmpty && observers.contains($0.0) }.map(\.1).joined(separator: ", ")
    }

    public var definition: Definition {
        switch self {
        case .threadsCreatedAtSetup: Definition(column: "threads_created_at_setup", unit: "threads", meaning: "created while the pool was being set up (eager)", aggregation: .sum, inSummary: false, observedBy: .all)
        case .threadsCreatedOnDemand: Definition(column: "threads_created_on_demand", unit: "threads", meaning: "created after setup, when work needed them", aggregation: .sum, inSummary: true, observedBy: .all)
        case .createAttempts: Definition(column: "create_attempts", unit: "attempts", meaning: "thread creation attempts (create_io_thread calls)", aggregation: .sum, inSummary: true, observedBy: [.model, .peer])
        case .createFailuresEINTR: Definition(column: "create_failures_eintr", unit: "attempts", meaning: "failed with EINTR (a fatal signal pending)", aggregation: .sum, inSummary: true, observedBy: .model)
        case .createFailuresERESTART: Definition(column: "create_failures_erestart", unit: "attempts", meaning: "failed with ERESTARTSYS, ERESTARTNOINTR or ERESTARTNOHAND (a signal pending)", aggregation: .sum, inSummary: true, observedBy: .model)
        case .createFailuresEAGAIN: Definition(column: "create_failures_eagain", unit: "attempts", meaning: "failed with EAGAIN (fault plan or pthread_create)", aggregation: .sum, inSummary: true, observedBy: [.model, .peer])
        case .createFailuresENOMEM: Definition(column: "create_failures_enomem", unit: "attempts", meaning: "failed with ENOMEM (worker allocation or fault plan)", aggregation: .sum, inSummary: true, observedBy: .model)
        case .createFailuresOther: Definition(column: nil, unit: "attempts", meaning: "failed with another errno", aggregation: .sum, inSummary: false, observedBy: .model)
        case .createRetries: Definition(column: "create_retries", unit: "retries", meaning: "failed creations that were tried again (inline, through the workqueue, or at setup); kernel: io-wq's retries queued (queue_create_worker_retry's timer_start, or before 6.12 its queue_work)", aggregation: .sum, inSummary: true, observedBy: [.model, .kernelTrace])
        case .createRequestsViaTaskWork: Definition(column: "create_requests_task_work", unit: "requests", meaning: "creations requested by a worker going to sleep (or a kworker), sent to the task as task_work", aggregation: .sum, inSummary: false, observedBy: .model)
        case .creationsOffTask: Definition(column: nil, unit: "attempts", meaning: "thread creations attempted off the task (must stay 0)", aggregation: .sum, inSummary: false, observedBy: .model)
        case .kworkerHops: Definition(column: "kworker_hops", unit: "hops", meaning: "times a creation passed through the system workqueue; kernel: workqueue_queue_work of io_workqueue_create", aggregation: .sum, inSummary: true, observedBy: [.model, .kernelTrace])
        case .signalsSent: Definition(column: "signals_sent", unit: "signals", meaning: "signals the injector sent to the task", aggregation: .sum, inSummary: true, observedBy: [.model, .liveKernel])
        case .signalsDelivered: Definition(column: "signals_delivered", unit: "signals", meaning: "signals delivered to the task: handler runs (a task no schedule can signal consumes them on entering the kernel)", aggregation: .sum, inSummary: true, observedBy: [.model, .liveKernel])
        case .signalsInEnter: Definition(column: "signals_in_enter", unit: "signals", meaning: "kernel row: signals handled while the submitter was inside io_uring_enter, where they can fail a creation (the model has no such call: empty)", aggregation: .sum, inSummary: true, observedBy: .liveKernel)
        case .itemsPunted: Definition(column: "items_punted", unit: "items", meaning: "items handed to io-wq: the kernel row's io_uring_queue_async_work events, the model's enqueues", aggregation: .sum, inSummary: true, observedBy: [.model, .kernelTrace])
        case .firstSignalAt: Definition(column: nil, unit: "ns", meaning: "when the first signal was sent to the task (CLOCK_MONOTONIC)", aggregation: .none, inSummary: false, observedBy: [.model, .liveKernel, .kernelTrace])
        case .firstCreationAttemptAt: Definition(column: nil, unit: "ns", meaning: "when the first creation attempt began (CLOCK_MONOTONIC); kernel: the first request punted to the fresh io-wq, whose enqueue creates its first worker", aggregation: .none, inSummary: false, observedBy: [.model, .kernelTrace])
        case .workersLive: Definition(column: nil, unit: "threads", meaning: "worker threads alive now", aggregation: .none, inSummary: false, observedBy: [.model, .liveKernel])
        case .workersPeak: Definition(column: "workers_peak", unit: "threads", meaning: "most worker threads alive at once", aggregation: .max, inSummary: true, observedBy: [.model, .liveKernel])
        case .itemsOK: Definition(column: nil, unit: "items", meaning: "items completed ok", aggregation: .sum, inSummary: false, observedBy: .all)
        case .itemsCancelled: Definition(column: nil, unit: "items", meaning: "items completed as cancelled", aggregation: .sum, inSummary: false, observedBy: .all)
        case .itemsFailed: Definition(column: nil, unit: "items", meaning: "items completed as failed", aggregation: .sum, inSummary: false, observedBy: .all)
        case .completedTwice: Definition(column: nil, unit: "items", meaning: "second completions of an item (a defect)", aggregation: .sum, inSummary: false, observedBy: .all)
        case .refusedYetRan: Definition(column: "refused_yet_ran", unit: "items", meaning: "foreign rows: items whose submit was refused (counted failed) that the pool ran anyway: a caller that retries a refused item runs it twice", aggregation: .sum, inSummary: true, observedBy: .peer)
        case .firstWorkerNanoseconds: Definition(column: nil, unit: "ns", meaning: "from the first creation attempt to the first worker running", aggregation: .none, inSummary: false, observedBy: [.model, .peer])
        }
    }

    /// A figure computed from the counters, with a column of its own.
    public struct Derived: Sendable {
        public let column: String
        public let unit: String
        public let meaning: String
        public let inSummary: Bool
        /// The counters it is made of: it is known only when all of them were observed.
        public let parts: [Counter]
        /// Nil when the trial has no such figure (no signal was sent): written empty.
        public let value: @Sendable (CounterSnapshot) -> Int?
    }

    /// Creation failures, by errno.
    public static let failures: [Counter] = [.createFailuresEINTR, .createFailuresERESTART, .createFailuresEAGAIN, .createFailuresENOMEM, .createFailuresOther]

    /// Sums that trials.csv and summary.csv show before their parts.
    public static let derived: [Derived] = [
        Derived(column: "threads_created", unit: "threads", meaning: "worker threads created (at setup + on demand)", inSummary: true,
                parts: [.threadsCreatedAtSetup, .threadsCreatedOnDemand]) {
            $0.threadsCreated
        },
        Derived(column: "create_failures", unit: "attempts", meaning: "attempts that failed, for any reason", inSummary: true,
                parts: Counter.failures) { $0.createFailures },
        Derived(column: "first_signal_lead_ns", unit: "ns", meaning: "from the first signal sent to the first creation attempt (negative: the attempt came first); empty when either did not happen", inSummary: false,
                parts: [.firstSignalAt, .firstCreationAttemptAt]) { $0.firstSignalLead },
    ]
}

/// The live counters of one task and the pools on it, updated with relaxed atomics from any thread.
/// The harness reads a `CounterSnapshot` when a trial ends.
public final class Counters: Sendable {
    /// One atomic per counter, in `Counter` order.
    private let cells: [Cell]

    private final class Cell: Sendable {
        let value = Atomic<Int>(0)
    }

    public init() {
        cells = Counter.allCases.map { _ in Cell() }
    }

    @inline(__always) func bump(_ counter: Counter, by amount: Int = 1) {
        cells[counter.rawValue].value.wrappingAdd(amount, ordering: .relaxed)
    }

    func recordFailure(_ error: Errno) {
        switch error {
        case .EINTR: bump(.createFailuresEINTR)
        case .ERESTARTSYS, .ERESTARTNOINTR, .ERESTARTNOHAND: bump(.createFailuresERESTART)
        case .EAGAIN: bump(.createFailuresEAGAIN)
        case .ENOMEM: bump(.createFailuresENOMEM)
        default: bump(.createFailuresOther)
        }
    }

    func threadCreated(atSetup: Bool) {
        bump(atSetup ? .threadsCreatedAtSetup : .threadsCreatedOnDemand)
    }

    func workerExited() {
        bump(.workersLive, by: -1)
    }

    func workerStarted() {
        let live = cells[Counter.workersLive.rawValue].value.wrappingAdd(1, ordering: .relaxed).newValue
        let peak = cells[Counter.workersPeak.rawValue]
        var seen = peak.value.load(ordering: .relaxed)
        while live > seen {
            let (exchanged, original) = peak.value.compareExchange(expected: seen, desired: live, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
    }

    /// Keeps the first time `counter` (a `...At` timestamp) was recorded: later calls do nothing.
    func recordFirst(_ counter: Counter, at nanoseconds: UInt64) {
        _ = cells[counter.rawValue].value.compareExchange(expected: 0, desired: Int(max(nanoseconds, 1)), ordering: .relaxed)
    }

    /// Keeps the first pool's time to its first worker (later pools on the task do not replace it).
    func recordFirstWorker(nanoseconds: UInt64) {
        _ = cells[Counter.firstWorkerNanoseconds.rawValue].value
            .compareExchange(expected: 0, desired: Int(max(nanoseconds, 1)), ordering: .relaxed)
    }

    public func snapshot() -> CounterSnapshot {
        CounterSnapshot(values: cells.map { $0.value.load(ordering: .relaxed) })
    }
}

/// The counters at one moment, or a configuration's trials combined. A counter can be unobserved
/// (the live kernel does not tell how many creations it attempted): it then reads 0 in sums but is
/// written empty, never as a measured 0.
public struct CounterSnapshot: Sendable, Equatable {
    private var values: [Int]
    /// One bit per `Counter` that nobody observed.
    private var unobserved: UInt64 = 0

    init(values: [Int]) { self.values = values }

    public static let zero = CounterSnapshot(values: Array(repeating: 0, count: Counter.allCases.count))

    /// Nothing counted yet, and every counter that `observer` cannot see unobserved: what a row of
    /// that kind starts from, so a counter it cannot see is empty by construction.
    public static func zero(observedBy observer: Counter.Observers) -> CounterSnapshot {
        var snapshot = zero
        snapshot.keepObserved(by: observer)
        return snapshot
    }

    /// Marks every counter that `observer` cannot see unobserved.
    public mutating func keepObserved(by observer: Counter.Observers) {
        markUnobserved(Counter.allCases.filter { $0.definition.observedBy.isDisjoint(with: observer) })
    }

    public subscript(counter: Counter) -> Int {
        get { values[counter.rawValue] }
        set { values[counter.rawValue] = newValue }
    }

    public func isObserved(_ counter: Counter) -> Bool { unobserved & (1 << UInt64(counter.rawValue)) == 0 }

    /// Marks counters that the source of this snapshot cannot see.
    public mutating func markUnobserved(_ counters: [Counter]) {
        for counter in counters {
            unobserved |= 1 << UInt64(counter.rawValue)
            values[counter.rawValue] = 0
        }
    }

    /// Combines `other` into this, each counter by its aggregation; unobserved in either, unobserved.
    public mutating func add(_ other: CounterSnapshot) {
        unobserved |= other.unobserved
        for counter in Counter.allCases {
            switch counter.definition.aggregation {
            case .sum: self[counter] += other[counter]
            case .max: self[counter] = Swift.max(self[counter], other[counter])
            case .none: break
            }
        }
    }

    public var threadsCreated: Int { self[.threadsCreatedAtSetup] + self[.threadsCreatedOnDemand] }
    public var createFailures: Int { Counter.failures.reduce(0) { $0 + self[$1] } }
    /// From the first signal sent to the first creation attempt; nil unless both happened.
    public var firstSignalLead: Int? {
        let signal = self[.firstSignalAt], attempt = self[.firstCreationAttemptAt]
        return signal == 0 || attempt == 0 ? nil : attempt - signal
    }
}

extension CounterSnapshot: Codable {
    /// Keyed by counter name, observed counters only, so a parent and a child built from different
    /// trees still agree on every counter they both know, and an unobserved one stays unobserved.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let named = try container.decode([String: Int].self)
        self = .zero
        for counter in Counter.allCases {
            if let value = named["\(counter)"] { self[counter] = value } else { markUnobserved([counter]) }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: Counter.allCases.filter(isObserved).map { ("\($0)", self[$0]) }))
    }
}
