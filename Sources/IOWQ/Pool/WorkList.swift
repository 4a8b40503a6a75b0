/// A group's pending work: an intrusive singly linked list (no allocation per item), with the
/// kernel's hash tails so that items of one hash stay together in submission order.
struct WorkList {
    /// Hash keys are folded into this many buckets, as io-wq folds them into its hash bits.
    static let hashBuckets = 64

    private(set) var head: WorkItem?
    private(set) var tail: WorkItem?
    /// The last pending item of each hash bucket.
    private var hashTail: [WorkItem?] = Array(repeating: nil, count: WorkList.hashBuckets)

    var isEmpty: Bool { head == nil }

    /// Items pending, by walking the list: for observation, never the hot path.
    var count: Int {
        var count = 0
        var node = head
        while let item = node {
            count += 1
            node = item.next
        }
        return count
    }

    /// io_wqe_insert_work: hashed items go right after the last pending item of their hash.
    mutating func insert(_ item: WorkItem) {
        item.next = nil
        guard let bucket = item.hashBucket else {
            append(item)
            return
        }
        if let last = hashTail[bucket] {
            item.next = last.next
            last.next = item
            if tail === last { tail = item }
        } else {
            append(item)
        }
        hashTail[bucket] = item
    }

    private mutating func append(_ item: WorkItem) {
        if let tail { tail.next = item } else { head = item }
        tail = item
    }

    /// The hash tail of `bucket`, for skipping a busy chain.
    func lastPending(inBucket bucket: Int) -> WorkItem? { hashTail[bucket] }

    /// Removes `item`, whose predecessor is `previous` (nil at the head).
    mutating func remove(_ item: WorkItem, after previous: WorkItem?) {
        if let bucket = item.hashBucket, hashTail[bucket] === item {
            // io_wqe_remove_pending: the hash tail moves back if the previous item shares the hash
            if let previous, previous.hashBucket == bucket { hashTail[bucket] = previous } else { hashTail[bucket] = nil }
        }
        cut(from: item, through: item, after: previous)
    }

    /// Removes the whole pending chain of `item`'s hash, starting at `item`; returns its last item.
    mutating func removeChain(startingAt item: WorkItem, after previous: WorkItem?) -> WorkItem {
        let bucket = item.hashBucket!
        let last = hashTail[bucket]!
        hashTail[bucket] = nil
        cut(from: item, through: last, after: previous)
        return last
    }

    private mutating func cut(from first: WorkItem, through last: WorkItem, after previous: WorkItem?) {
        if let previous { previous.next = last.next } else { head = last.next }
        if tail === last { tail = previous }
        last.next = nil
    }

    /// Removes the first item that `matches`.
    mutating func removeFirst(where matches: (WorkItem) -> Bool) -> WorkItem? {
        var previous: WorkItem?
        var node = head
        while let item = node {
            if matches(item) {
                remove(item, after: previous)
                return item
            }
            previous = item
            node = item.next
        }
        return nil
    }
}
