#if canImport(Glibc)
import Glibc
#endif
import IOWQ

enum ItemBodies {
    /// An item that sleeps `block` inside `blocking { }`, as a read from a slow device would.
    static func blocking(flags: WorkItem.Flags = [], tag: Int = 0, block: Duration) -> WorkItem {
        let micros = UInt32(block.nanoseconds / 1000)
        return WorkItem(flags: flags, tag: tag) { context in
            context.blocking { sleepMicros(micros) }
            return .ok
        }
    }

    static func sleepMicros(_ micros: UInt32) {
        var request = timespec(tv_sec: Int(micros / 1_000_000), tv_nsec: Int(micros % 1_000_000) * 1000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
