import IOWQ

/// What one trial of a foreign program said and how it ended, made into a trial's outcomes: every
/// item is ok (ended by the deadline), failed (its submit was refused: the caller was told), hung
/// (not ended by the deadline, the program still running or gone quietly) or crashed (the program
/// died by a signal, or exited non-zero, with the item not ended); an item started twice is a
/// second completion, a counted defect.
struct ForeignTally {
    let items: Int
    /// From go; an item that ends later is not ok.
    let deadline: UInt64
    private(set) var submittedAt: [UInt64?]
    private(set) var refused: [Bool]
    private(set) var startedAt: [UInt64?]
    private(set) var endedAt: [UInt64?]
    private(set) var startedTwice = 0

    init(items: Int, deadline: UInt64) {
        self.items = items
        self.deadline = deadline
        submittedAt = Array(repeating: nil, count: items)
        refused = Array(repeating: false, count: items)
        startedAt = Array(repeating: nil, count: items)
        endedAt = Array(repeating: nil, count: items)
    }

    /// Takes `event`, seen `at` nanoseconds after go.
    mutating func add(_ event: ForeignEvent, at time: UInt64) {
        switch event {
        case .submitted(let id, let refusal):
            if submittedAt[id] == nil { submittedAt[id] = time }
            if refusal != nil { refused[id] = true }
        case .started(let id):
            if startedAt[id] != nil { startedTwice += 1 } else { startedAt[id] = time }
        case .ended(let id):
            if endedAt[id] == nil { endedAt[id] = time }
        case .ready, .done:
            break
        }
    }

    /// Every item has its end: ended, or refused.
    var settled: Bool { (0..<items).allSatisfy { endedAt[$0] != nil || refused[$0] } }

    /// How the program ended, as the tally needs it.
    enum Ending: Equatable {
        /// It was still running at the end, or exited with status 0.
        case quiet
        /// Killed by this signal, on its own (not by the harness).
        case signal(Int32)
        /// Exited with this status, not 0 (a Rust panic is 101, an uncaught Java exception 1).
        case status(Int32)
    }

    /// The items' outcomes, their latencies (submission to end, ok items only) and the first
    /// worker's time (the first submission to the first start).
    func fill(_ result: inout TrialResult, ending: Ending, output: String?) {
        result.items.submitted = items
        var latency = LatencyHistogram()
        var lastOK: UInt64 = 0
        for id in 0..<items {
            if refused[id] {
                result.items.failed += 1
            } else if let end = endedAt[id], end <= deadline {
                result.items.ok += 1
                // the submit line comes after the submit call returned, and a thread may have run
                // the item before that: its latency runs from the earlier of the two
                let from = min(submittedAt[id] ?? end, startedAt[id] ?? end, end)
                latency.record(max(1, end - from))
                lastOK = max(lastOK, end)
            } else if ending == .quiet {
                result.items.hung += 1
            } else {
                result.items.crashed += 1
            }
        }
        result.items.completedTwice = startedTwice
        result.latencies = latency.pairs
        let firstSubmit = (submittedAt + startedAt).compactMap { $0 }.min() ?? 0
        result.elapsedNanoseconds = lastOK > firstSubmit ? lastOK - firstSubmit : 0
        switch ending {
        case .signal(let signal) where result.items.crashed > 0:
            result.crashSignal = signal
            result.crashMessage = output
        case .status(let status) where result.items.crashed > 0:
            result.crashExitStatus = status
            result.crashMessage = output
        default:
            break
        }
    }

    /// Items refused at submit that started all the same (the pool kept them queued).
    var refusedYetRan: Int { (0..<items).filter { refused[$0] && startedAt[$0] != nil }.count }

    /// The first submission to the first item's start, when both were seen.
    var firstWorker: UInt64? {
        guard let start = startedAt.compactMap({ $0 }).min(), let submit = submittedAt.compactMap({ $0 }).min(), start >= submit else { return nil }
        return start - submit
    }

    /// Some item started and did not end: a worker is inside it.
    var itemsBlocked: Bool { (0..<items).contains { startedAt[$0] != nil && endedAt[$0] == nil } }
}
