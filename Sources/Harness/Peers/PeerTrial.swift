#if canImport(Glibc)
import Glibc
#endif
import CProcessControl
import IOWQ

/// One trial of a peer pool, in a child process of its own with libIOWQThreadInterposer.so
/// preloaded and disarmed: items built, the plan armed, the pool started and handed the items,
/// then read at the deadline. The child makes no thread of its own (its main thread waits), so
/// every creation the interposer counts is the pool's.
enum PeerTrial {
    /// How long a trial with items outstanding at its deadline goes on being watched: longer than
    /// libdispatch's 1 s sleep between retries, so a creation retried for ever shows its attempts
    /// growing.
    static let observeWindow: Duration = .milliseconds(1500)

    static func run(_ spec: ConfigurationSpec, peer: Peer, trial: Int, baseSeed: UInt64, profile: Profile,
                    pools: PeerPoolFactory, progress: PeerProgress) -> TrialResult {
        let seed = TrialRunner.seed(base: baseSeed, trial: trial)
        var result = TrialResult(spec: spec, trial: trial, seed: seed)
        let workload = PeerWorkload.make(spec.scenario, profile: profile, seed: seed)
        result.items.submitted = workload.items.count
        let bodies = workload.items.map { workload.body($0, progress: progress) }
        let threads = Workload.poolConfiguration(for: spec.scenario).maxUnboundWorkers

        _ = proc_interposer_arm(1)
        let cpuBefore = CPUTime.now()
        let start = monotonicNanoseconds()
        let pool = pools(peer, threads)
        let setup = progress.creations()
        let atSetup = setup.attempts - setup.failures
        progress.add(.createdAtSetup, atSetup)
        let deadline = Deadline(nanoseconds: start &+ workload.deadline.nanoseconds)
        for (index, item) in workload.items.enumerated() {
            let due = workload.arrivals.map { start &+ $0[index] } ?? monotonicNanoseconds()
            // the clock may pass `due` between two readings: the wait is computed once per reading
            while case let now = monotonicNanoseconds(), now < due { ItemBodies.sleepMicros(UInt32(min((due - now) / 1000 + 1, 1000))) }
            item.dueAt.store(due, ordering: .relaxed)
            pool.submit(bodies[index])
            progress.add(.submitted)
        }
        while !deadline.hasPassed && progress.load(.completed) < UInt64(workload.items.count) {
            ItemBodies.sleepMicros(200)
        }

        tally(workload.items, deadline: deadline, into: &result)
        let cpu = CPUTime.now() - cpuBefore
        result.cpuUserSeconds = cpu.user
        result.cpuSystemSeconds = cpu.system
        if result.hung {
            let before = progress.load(.attempts)
            ItemBodies.sleepMicros(UInt32(observeWindow.nanoseconds / 1000))
            result.hangKind = .peer(attemptsGrew: progress.load(.attempts) > before, failures: progress.load(.failures),
                                    itemsBlocked: progress.load(.started) > progress.load(.completed))
        }
        result.counters = counters(progress, atSetup: atSetup,
                                   firstWorker: workload.items.map { $0.startedAt.load(ordering: .acquiring) }.filter { $0 > 0 }.min().map { $0 &- start })
        return result
    }

    /// Outcomes as they stood at the deadline: an item that completed by it is ok, any other hung.
    static func tally(_ items: [PeerItem], deadline: Deadline, into result: inout TrialResult) {
        var histogram = LatencyHistogram()
        var firstDue = UInt64.max
        var lastCompletion: UInt64 = 0
        for item in items {
            let completed = item.completedAt.load(ordering: .acquiring)
            if completed > 0 && completed <= deadline.nanoseconds {
                let due = item.dueAt.load(ordering: .relaxed)
                result.items.ok += 1
                histogram.record(completed &- due)
                firstDue = min(firstDue, due)
                lastCompletion = max(lastCompletion, completed)
            } else {
                result.items.hung += 1
            }
        }
        result.latencies = histogram.pairs
        result.elapsedNanoseconds = lastCompletion > firstDue ? lastCompletion - firstDue : 0
    }

    /// What the interposer saw, as the model's counters: attempts, EAGAIN failures, threads made
    /// while the pool started and after. The rest (signals, retries, hops, threads alive) a peer
    /// does not show: empty.
    static func counters(_ progress: PeerProgress, atSetup: UInt64, firstWorker: UInt64?) -> CounterSnapshot {
        var counters = CounterSnapshot.zero(observedBy: .peer)
        let (attempts, failures) = progress.creations()
        let created = attempts - failures
        counters[.createAttempts] = Int(attempts)
        counters[.createFailuresEAGAIN] = Int(failures)
        counters[.threadsCreatedAtSetup] = Int(atSetup)
        counters[.threadsCreatedOnDemand] = Int(created - min(created, atSetup))
        counters[.firstWorkerNanoseconds] = firstWorker.map { Int(max($0, 1)) } ?? 0
        return counters
    }
}
