import Testing
@testable import IOWQ

/// The pending list on its own: submission order, hash chains kept together, and the hash tails
/// that let a worker skip a busy chain, through every way an item leaves the list.
@Suite struct WorkListTests {
    static func item(_ tag: Int, hash: Int? = nil) -> WorkItem {
        WorkItem(hashKey: hash, tag: tag) { _ in .ok }
    }

    /// The tags from head to tail, following the links.
    static func tags(_ list: WorkList) -> [Int] {
        var tags: [Int] = []
        var node = list.head
        while let item = node {
            tags.append(item.tag)
            node = item.next
        }
        return tags
    }

    static func list(_ items: [WorkItem]) -> WorkList {
        var list = WorkList()
        for item in items { list.insert(item) }
        return list
    }

    @Test func anEmptyListHasNoHeadNoTailAndNoHashTails() {
        let list = WorkList()
        #expect(list.isEmpty)
        #expect(list.head == nil && list.tail == nil)
        #expect((0..<WorkList.hashBuckets).allSatisfy { list.lastPending(inBucket: $0) == nil })
    }

    @Test func unhashedItemsKeepSubmissionOrder() {
        let items = (0..<4).map { Self.item($0) }
        let list = Self.list(items)
        #expect(!list.isEmpty)
        #expect(Self.tags(list) == [0, 1, 2, 3])
        #expect(list.head === items[0] && list.tail === items[3])
    }

    @Test func aHashedItemGoesRightAfterTheLastPendingItemOfItsHash() {
        let a1 = Self.item(1, hash: 7), u = Self.item(2), a2 = Self.item(3, hash: 7), b1 = Self.item(4, hash: 8)
        let list = Self.list([a1, u, a2, b1])
        #expect(Self.tags(list) == [1, 3, 2, 4])
        #expect(list.lastPending(inBucket: 7) === a2)
        #expect(list.lastPending(inBucket: 8) === b1)
        #expect(list.tail === b1)
    }

    @Test func aHashTailAtTheEndMovesTheListTail() {
        let a1 = Self.item(1, hash: 3), a2 = Self.item(2, hash: 3)
        let list = Self.list([a1, a2])
        #expect(Self.tags(list) == [1, 2])
        #expect(list.tail === a2)
    }

    @Test func keysThatFoldIntoOneBucketShareAChain() {
        let buckets = WorkList.hashBuckets
        let a = Self.item(1, hash: 5), u = Self.item(2), b = Self.item(3, hash: 5 + buckets), c = Self.item(4, hash: -1)
        let list = Self.list([a, u, b, c])
        #expect(Self.tags(list) == [1, 3, 2, 4])
        #expect(list.lastPending(inBucket: 5) === b)
        #expect(c.hashBucket == buckets - 1)
        #expect(list.lastPending(inBucket: buckets - 1) === c)
    }

    @Test func removingTheHeadTheMiddleAndTheTailKeepsTheLinks() {
        let items = (0..<5).map { Self.item($0) }
        var list = Self.list(items)
        list.remove(items[0], after: nil)
        #expect(Self.tags(list) == [1, 2, 3, 4] && list.head === items[1])
        list.remove(items[2], after: items[1])
        #expect(Self.tags(list) == [1, 3, 4])
        list.remove(items[4], after: items[3])
        #expect(Self.tags(list) == [1, 3] && list.tail === items[3])
        #expect(items[0].next == nil && items[2].next == nil && items[4].next == nil)
        list.remove(items[1], after: nil)
        list.remove(items[3], after: nil)
        #expect(list.isEmpty && list.head == nil && list.tail == nil)
    }

    @Test func removingAHashTailMovesItBackToAPredecessorOfTheSameHash() {
        let a1 = Self.item(1, hash: 2), a2 = Self.item(2, hash: 2), u = Self.item(3)
        var list = Self.list([a1, a2, u])
        list.remove(a2, after: a1)
        #expect(list.lastPending(inBucket: 2) === a1)
        #expect(Self.tags(list) == [1, 3])
        list.remove(a1, after: nil)
        #expect(list.lastPending(inBucket: 2) == nil)
        #expect(Self.tags(list) == [3])
    }

    @Test func removingAHashTailAfterAnItemOfAnotherHashClearsIt() {
        let u = Self.item(1), a = Self.item(2, hash: 4)
        var list = Self.list([u, a])
        list.remove(a, after: u)
        #expect(list.lastPending(inBucket: 4) == nil)
        #expect(Self.tags(list) == [1] && list.tail === u)
        let a2 = Self.item(3, hash: 4)
        list.insert(a2)
        #expect(Self.tags(list) == [1, 3] && list.lastPending(inBucket: 4) === a2)
    }

    @Test func removingAnItemThatIsNotAHashTailLeavesTheTailAlone() {
        let a1 = Self.item(1, hash: 9), a2 = Self.item(2, hash: 9)
        var list = Self.list([a1, a2])
        list.remove(a1, after: nil)
        #expect(list.lastPending(inBucket: 9) === a2)
        #expect(Self.tags(list) == [2])
    }

    @Test func removeChainTakesTheWholeChainAndReturnsItsLastItem() {
        let u1 = Self.item(1), a1 = Self.item(2, hash: 6), a2 = Self.item(3, hash: 6), u2 = Self.item(4)
        var list = Self.list([u1, a1, u2, a2])
        #expect(Self.tags(list) == [1, 2, 3, 4])
        let last = list.removeChain(startingAt: a1, after: u1)
        #expect(last === a2)
        #expect(a2.next == nil)
        #expect(Self.tags(list) == [1, 4])
        #expect(list.lastPending(inBucket: 6) == nil)
        #expect(list.head === u1 && list.tail === u2)
    }

    @Test func removeChainAtTheTailMovesTheTailBack() {
        let u = Self.item(1), a1 = Self.item(2, hash: 1), a2 = Self.item(3, hash: 1)
        var list = Self.list([u, a1, a2])
        _ = list.removeChain(startingAt: a1, after: u)
        #expect(Self.tags(list) == [1] && list.tail === u)
        let v = Self.item(4)
        list.insert(v)
        #expect(Self.tags(list) == [1, 4])
    }

    @Test func removeChainOfTheWholeListEmptiesIt() {
        let a1 = Self.item(1, hash: 0), a2 = Self.item(2, hash: 0)
        var list = Self.list([a1, a2])
        #expect(list.removeChain(startingAt: a1, after: nil) === a2)
        #expect(list.isEmpty && list.tail == nil)
    }

    @Test func removeFirstTakesTheFirstMatchOnly() {
        let items = [Self.item(1), Self.item(2, hash: 3), Self.item(3), Self.item(2)]
        var list = Self.list(items)
        let removed = list.removeFirst { $0.tag == 2 }
        #expect(removed === items[1])
        #expect(Self.tags(list) == [1, 3, 2])
        #expect(list.lastPending(inBucket: 3) == nil)
        #expect(list.removeFirst { $0.tag == 42 } == nil)
        #expect(Self.tags(list) == [1, 3, 2])
    }

    @Test func removeFirstEmptiesTheListOneItemAtATime() {
        var list = Self.list((0..<3).map { Self.item($0, hash: $0 == 1 ? 5 : nil) })
        var order: [Int] = []
        while let item = list.removeFirst(where: { _ in true }) { order.append(item.tag) }
        #expect(order == [0, 1, 2])
        #expect(list.isEmpty && list.tail == nil)
        #expect(list.lastPending(inBucket: 5) == nil)
    }
}
