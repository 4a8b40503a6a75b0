import IOWQ
import Synchronization

/// Items spread over K hashes, each recording when it starts and ends, so that order within a hash
/// and one-at-a-time can be checked afterwards.
final class HashedWork: Sendable {
    let hashes: Int
    let perHash: Int
    /// Per hash: the next tag expected to start, and whether one is running.
    private let state: Mutex<[(next: Int, running: Bool)]>
    private let violationCount = Atomic<Int>(0)

    init(hashes: Int, perHash: Int) {
        self.hashes = hashes
        self.perHash = perHash
        state = Mutex(Array(repeating: (0, false), count: hashes))
    }

    func workload(deadline: Duration) -> Workload {
        var items: [WorkItem] = []
        for index in 0..<(hashes * perHash) {
            let hash = index % hashes
            let position = index / hashes
            items.append(WorkItem(flags: .concurrent, hashKey: hash, tag: index) { [self] context in
                start(hash: hash, position: position)
                context.blocking { ItemBodies.sleepMicros(20) }
                finish(hash: hash)
                return .ok
            })
        }
        return Workload(items: items, deadline: deadline, violations: { [self] in violationCount.load(ordering: .relaxed) })
    }

    private func start(hash: Int, position: Int) {
        let ok = state.withLock { state in
            defer { state[hash] = (position + 1, true) }
            return state[hash].next == position && !state[hash].running
        }
        if !ok { violationCount.wrappingAdd(1, ordering: .relaxed) }
    }

    private func finish(hash: Int) {
        state.withLock { $0[hash].running = false }
    }
}
