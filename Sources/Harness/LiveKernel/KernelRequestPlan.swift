import IOWQ

/// What one scenario becomes on the kernel's io-wq: the io_uring requests, in submission order, and
/// the pipe writes that release the ones that wait. Pure, so the mapping can be checked without a
/// ring. Every request goes out with IOSQE_ASYNC, so it is punted to io-wq (and flagged
/// concurrent there) whatever the opcode would do inline.
struct KernelRequestPlan: Equatable, Sendable {
    enum Operation: Equatable, Sendable {
        /// IORING_OP_NOP: io-wq's bound group (no file), never blocks.
        case nop
        /// Splice one byte from pipe `from` to pipe `to` (nil: /dev/null): the model's blocking
        /// item. io-wq's unbound group. It blocks inside the worker until the pipe is written, so
        /// the worker really sleeps (io_wq_worker_sleeping) for the item's time; a pipe read would
        /// arm poll and free its worker at once, and measure poll instead.
        case splice(from: Int, to: Int?)
        /// Write 8 bytes (the request's index) at the current position of temporary file `index`:
        /// buffered writes to one inode are hashed work, run one at a time in order.
        case appendToFile(Int)
    }

    struct Request: Equatable, Sendable {
        var operation: Operation
        /// Open loop: when the request is due, in nanoseconds after the start; latency counts from
        /// then. Nil: submitted as soon as the one before it.
        var arrival: UInt64? = nil
    }

    /// `bytes` written to pipe `pipe` once `delay` has passed since request `after` was submitted.
    struct Release: Equatable, Sendable {
        var pipe: Int
        var bytes: Int = 1
        var after: Int
        var delay: Duration
    }

    var requests: [Request]
    var releases: [Release] = []
    var pipes = 0
    var files = 0
    /// io_uring_register_iowq_max_workers: the model pool's caps.
    var boundWorkers: Int
    var unboundWorkers: Int
    /// How long the requests may take before the pending ones count as hung.
    var deadline: Duration
    /// exit-under-fire: the submitting thread exits, requests in flight, after this long (or once
    /// all completed); its exit is the kernel's io-wq teardown, and outcomes are read afterwards.
    var exitAfter: Duration? = nil

    var isOpenLoop: Bool { requests.contains { $0.arrival != nil } }

    /// The requests each io_uring_enter carries, as a program would submit them: open loop, each
    /// alone at its arrival; closed loop, all at once, `capacity` (the submission queue) at a time.
    /// A chain therefore goes in with one enter, and one signal inside it meets all its creations.
    func batches(capacity: Int) -> [Range<Int>] {
        let size = isOpenLoop ? 1 : capacity
        return stride(from: 0, to: requests.count, by: size).map { $0..<min(requests.count, $0 + size) }
    }

    /// Items per hashed file, in submission order: the order each file must show afterwards.
    func hashedOrder(file: Int) -> [Int] {
        requests.indices.filter { requests[$0].operation == .appendToFile(file) }
    }

    static func make(_ scenario: Scenario, profile: Profile, seed: UInt64) -> KernelRequestPlan {
        let limits = Workload.poolConfiguration(for: scenario)
        var plan = KernelRequestPlan(requests: [], boundWorkers: limits.maxBoundWorkers,
                                     unboundWorkers: limits.maxUnboundWorkers, deadline: profile.itemDeadline)
        /// `count` splices from pipe 0, each released `block` after its own submission: each holds
        /// a worker for that long, as the model's items each block for that long.
        func blockingSplices(_ count: Int, block: Duration) {
            plan.pipes = 1
            plan.requests = Array(repeating: Request(operation: .splice(from: 0, to: nil)), count: count)
            plan.releases = (0..<count).map { Release(pipe: 0, after: $0, delay: block) }
        }
        let shape = scenario.shape
        switch scenario {
        case .firstWorker, .burst, .sleepers:
            blockingSplices(shape.items!, block: shape.block)
        case .steady(let rate):
            let arrivals = SteadyArrivals(rate: rate, duration: profile.steadyDuration, seed: seed).arrivals
            blockingSplices(arrivals.count, block: shape.block)
            for index in arrivals.indices { plan.requests[index].arrival = arrivals[index] }
            plan.deadline = .nanoseconds(Int64(arrivals.last ?? 0)) + profile.itemDeadline
        case .chain(let n):
            // splice k moves pipe k to pipe k+1 (the last to /dev/null). Submitted from the end, so
            // the splice that gets the byte first is the last one a worker takes: it runs only when
            // the n-1 before it are all blocked in workers of their own.
            plan.pipes = n
            plan.requests = (0..<n).reversed().map { k in Request(operation: .splice(from: k, to: k == n - 1 ? nil : k + 1)) }
            plan.releases = [Release(pipe: 0, after: n - 1, delay: .zero)]
        case .hashed(let k):
            plan.files = k
            plan.requests = (0..<shape.items!).map { Request(operation: .appendToFile($0 % k)) }
        case .mixed:
            plan.pipes = 1
            plan.requests = (0..<shape.items!).map { Request(operation: $0 % 2 == 0 ? .nop : .splice(from: 0, to: nil)) }
            plan.releases = stride(from: 1, to: shape.items!, by: 2).map { Release(pipe: 0, after: $0, delay: shape.block) }
        case .exitUnderFire:
            blockingSplices(shape.items!, block: shape.block)
            plan.exitAfter = shape.exitAfter
        }
        return plan
    }
}
