import Synchronization

/// Everything one pool and its kernel stand-ins count, updated with relaxed atomics from any thread.
/// The harness reads a `CounterSnapshot` when a trial ends.
public final class Counters: Sendable {
    let threadsCreatedAtSetup = Atomic<Int>(0)
    let threadsCreatedOnDemand = Atomic<Int>(0)
    let createAttempts = Atomic<Int>(0)
    let createFailuresEINTR = Atomic<Int>(0)
    let createFailuresERESTART = Atomic<Int>(0)
    let createFailuresEAGAIN = Atomic<Int>(0)
    let createFailuresENOMEM = Atomic<Int>(0)
    let createFailuresOther = Atomic<Int>(0)
    let createRetries = Atomic<Int>(0)
    let createRequestsViaTaskWork = Atomic<Int>(0)
    let creationsOffTask = Atomic<Int>(0)
    let kworkerHops = Atomic<Int>(0)
    let signalsSent = Atomic<Int>(0)
    let signalsDelivered = Atomic<Int>(0)
    let workersLive = Atomic<Int>(0)
    let workersPeak = Atomic<Int>(0)
    let itemsOK = Atomic<Int>(0)
    let itemsCancelled = Atomic<Int>(0)
    let itemsFailed = Atomic<Int>(0)
    let completedTwice = Atomic<Int>(0)
    let firstWorkerNanoseconds = Atomic<UInt64>(0)

    public init() {}

    @inline(__always) func bump(_ counter: borrowing Atomic<Int>, by amount: Int = 1) {
        counter.wrappingAdd(amount, ordering: .relaxed)
    }

    func recordFailure(_ error: Errno) {
        switch error {
        case .EINTR: bump(createFailuresEINTR)
        case .ERESTARTSYS, .ERESTARTNOINTR, .ERESTARTNOHAND: bump(createFailuresERESTART)
        case .EAGAIN: bump(createFailuresEAGAIN)
        case .ENOMEM: bump(createFailuresENOMEM)
        default: bump(createFailuresOther)
        }
    }

    func threadCreated(atSetup: Bool) {
        if atSetup { bump(threadsCreatedAtSetup) } else { bump(threadsCreatedOnDemand) }
    }

    func workerExited() {
        workersLive.wrappingSubtract(1, ordering: .relaxed)
    }

    func workerStarted() {
        let live = workersLive.wrappingAdd(1, ordering: .relaxed).newValue
        var peak = workersPeak.load(ordering: .relaxed)
        while live > peak {
            let (exchanged, original) = workersPeak.compareExchange(expected: peak, desired: live, ordering: .relaxed)
            if exchanged { break }
            peak = original
        }
    }

    public func snapshot() -> CounterSnapshot {
        CounterSnapshot(
            threadsCreatedAtSetup: threadsCreatedAtSetup.load(ordering: .relaxed),
            threadsCreatedOnDemand: threadsCreatedOnDemand.load(ordering: .relaxed),
            createAttempts: createAttempts.load(ordering: .relaxed),
            createFailuresEINTR: createFailuresEINTR.load(ordering: .relaxed),
            createFailuresERESTART: createFailuresERESTART.load(ordering: .relaxed),
            createFailuresEAGAIN: createFailuresEAGAIN.load(ordering: .relaxed),
            createFailuresENOMEM: createFailuresENOMEM.load(ordering: .relaxed),
            createFailuresOther: createFailuresOther.load(ordering: .relaxed),
            createRetries: createRetries.load(ordering: .relaxed),
            createRequestsViaTaskWork: createRequestsViaTaskWork.load(ordering: .relaxed),
            creationsOffTask: creationsOffTask.load(ordering: .relaxed),
            kworkerHops: kworkerHops.load(ordering: .relaxed),
            signalsSent: signalsSent.load(ordering: .relaxed),
            signalsDelivered: signalsDelivered.load(ordering: .relaxed),
            workersLive: workersLive.load(ordering: .relaxed),
            workersPeak: workersPeak.load(ordering: .relaxed),
            itemsOK: itemsOK.load(ordering: .relaxed),
            itemsCancelled: itemsCancelled.load(ordering: .relaxed),
            itemsFailed: itemsFailed.load(ordering: .relaxed),
            completedTwice: completedTwice.load(ordering: .relaxed),
            firstWorkerNanoseconds: firstWorkerNanoseconds.load(ordering: .relaxed)
        )
    }
}

/// The counters at one moment.
public struct CounterSnapshot: Sendable, Equatable, Codable {
    public var threadsCreatedAtSetup: Int
    public var threadsCreatedOnDemand: Int
    public var createAttempts: Int
    public var createFailuresEINTR: Int
    public var createFailuresERESTART: Int
    public var createFailuresEAGAIN: Int
    public var createFailuresENOMEM: Int
    public var createFailuresOther: Int
    /// Creations retried after a failure (inline, through the workqueue, or at setup).
    public var createRetries: Int
    /// Creations requested by a worker and sent to the task as task_work.
    public var createRequestsViaTaskWork: Int
    /// Thread creations attempted on a thread other than the task (must stay 0).
    public var creationsOffTask: Int
    public var kworkerHops: Int
    public var signalsSent: Int
    public var signalsDelivered: Int
    public var workersLive: Int
    public var workersPeak: Int
    public var itemsOK: Int
    public var itemsCancelled: Int
    public var itemsFailed: Int
    public var completedTwice: Int
    /// Nanoseconds from the pool's first creation attempt to its first worker running (0: none ran).
    public var firstWorkerNanoseconds: UInt64

    public static let zero = Counters().snapshot()

    public var threadsCreated: Int { threadsCreatedAtSetup + threadsCreatedOnDemand }
    public var createFailures: Int {
        createFailuresEINTR + createFailuresERESTART + createFailuresEAGAIN + createFailuresENOMEM + createFailuresOther
    }
    public var itemsCompleted: Int { itemsOK + itemsCancelled + itemsFailed }
}
