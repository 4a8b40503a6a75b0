#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import IOWQ

@Suite struct HashedWorkTests {
    /// Per hash: the tags in the order they ran, and the most items of that hash seen running at once.
    struct Log: Sendable {
        var order: [Int: [Int]] = [:]
        var running: [Int: Int] = [:]
        var maxRunning: [Int: Int] = [:]
    }

    @Test(arguments: [PrePatch(), RetryViaWorkqueue.seed, Eager(), Naive()] as [any WorkerCreationStrategy])
    func itemsOfOneHashRunInOrderAndNeverTogether(strategy: any WorkerCreationStrategy) throws {
        let hashes = 4
        let perHash = 40
        let log = Recorder(Log())
        let (count, _) = try withPool(strategy, pool: .init(maxBoundWorkers: 4, maxUnboundWorkers: 4)) { pool, task in
            var items: [WorkItem] = []
            for index in 0..<(hashes * perHash) {
                let hash = index % hashes
                items.append(WorkItem(flags: .concurrent, hashKey: hash, tag: index) { context in
                    log.update { log in
                        log.running[hash, default: 0] += 1
                        log.maxRunning[hash] = max(log.maxRunning[hash, default: 0], log.running[hash]!)
                    }
                    context.blocking { _ = usleep(50) }
                    log.update { log in
                        log.running[hash]! -= 1
                        log.order[hash, default: []].append(context.item.tag)
                    }
                    return .ok
                })
            }
            for item in items { pool.enqueue(item) }
            task.waitForCompletions(items.count, deadline: .after(completionDeadline))
            return items.filter { $0.outcome == .ok }.count
        }
        #expect(count == hashes * perHash)
        let final = log.current
        for hash in 0..<hashes {
            let expected = Array(stride(from: hash, to: hashes * perHash, by: hashes))
            #expect(final.order[hash] == expected)
            #expect(final.maxRunning[hash] == 1)
        }
    }
}
