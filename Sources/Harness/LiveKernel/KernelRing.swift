#if canImport(Glibc)
import Glibc
#endif
import CPoolShims
import CURing
import IOWQ

/// Why a ring could not be set up: io_uring disabled (kernel.io_uring_disabled), filtered by
/// seccomp, or absent (ENOSYS).
struct KernelRingSetupError: Error, CustomStringConvertible {
    var call: String
    var errno: Int32

    var description: String { "\(call) failed: \(Errno(rawValue: errno).name) (\(String(cString: strerror(errno))))" }
}

/// One io_uring instance, used only by the thread that set it up (its io-wq belongs to that
/// thread). Requests carry their index as user_data; the ring's own cancel requests carry
/// `iou_cancel_tag`.
final class KernelRing {
    private let ring: UnsafeMutablePointer<io_uring>
    private(set) var isOpen = false

    /// `forcedError`: fail as io_uring_queue_init would with that errno, so tests can see the
    /// unavailable path on a kernel that has io_uring.
    init(submissionEntries: UInt32, completionEntries: UInt32, forcedError: Int32? = nil) throws(KernelRingSetupError) {
        self.submissionEntries = Int(submissionEntries)
        ring = .allocate(capacity: 1)
        ring.initialize(to: io_uring())
        var parameters = io_uring_params()
        parameters.flags = iou_setup_cqsize
        parameters.cq_entries = completionEntries
        let rc = forcedError.map { -$0 } ?? io_uring_queue_init_params(submissionEntries, ring, &parameters)
        guard rc == 0 else {
            ring.deallocate()
            throw KernelRingSetupError(call: "io_uring_queue_init", errno: -rc)
        }
        isOpen = true
    }

    /// Why this process cannot use io_uring, or nil when a ring can be set up.
    static func unavailabilityReason() -> String? {
        do throws(KernelRingSetupError) {
            let ring = try KernelRing(submissionEntries: 2, completionEntries: 4)
            ring.close()
            return nil
        } catch {
            return error.description
        }
    }

    /// io_uring_register_iowq_max_workers: the caps of this thread's io-wq, per group.
    func limitWorkers(bound: Int, unbound: Int) throws(KernelRingSetupError) {
        var limits: [UInt32] = [UInt32(bound), UInt32(unbound)]
        let rc = io_uring_register_iowq_max_workers(ring, &limits)
        guard rc == 0 else { throw KernelRingSetupError(call: "io_uring_register_iowq_max_workers", errno: -rc) }
    }

    /// How many requests one submission can carry.
    let submissionEntries: Int

    /// Puts one request with IOSQE_ASYNC in the submission queue, to go with the next `flush`.
    /// Returns false when the queue is full.
    func prepare(tag: UInt64, _ prepare: (UnsafeMutablePointer<io_uring_sqe>) -> Void) -> Bool {
        guard let sqe = io_uring_get_sqe(ring) else { return false }
        prepare(sqe)
        sqe.pointee.flags |= UInt8(truncatingIfNeeded: iou_sqe_async)
        io_uring_sqe_set_data64(sqe, tag)
        return true
    }

    /// Submits what is in the submission queue in one io_uring_enter. Returns how many requests
    /// the kernel took, or a negative errno.
    func flush() -> Int32 { insideEnter { io_uring_submit(ring) } }

    /// Asks the kernel to cancel every request of the ring (IORING_OP_ASYNC_CANCEL, any, all).
    func cancelEverything() -> Int32 {
        guard let sqe = io_uring_get_sqe(ring) else { return -EBUSY }
        io_uring_prep_cancel64(sqe, 0, Int32(bitPattern: iou_cancel_any | iou_cancel_all))
        io_uring_sqe_set_data64(sqe, iou_cancel_tag)
        return insideEnter { io_uring_submit(ring) }
    }

    /// Hands every completion already posted to `body` (user_data, res), without entering the kernel.
    func drain(_ body: (UInt64, Int32) -> Void) {
        var cqe: UnsafeMutablePointer<io_uring_cqe>?
        while io_uring_peek_cqe(ring, &cqe) == 0, let entry = cqe {
            body(entry.pointee.user_data, entry.pointee.res)
            io_uring_cqe_seen(ring, entry)
        }
    }

    /// Waits up to `nanoseconds` for a completion (io_uring_wait_cqe_timeout), leaving it queued.
    /// Returns 0, -ETIME, or -EINTR when a signal interrupted the wait.
    func wait(nanoseconds: UInt64) -> Int32 {
        var timeout = __kernel_timespec(tv_sec: Int64(nanoseconds / 1_000_000_000), tv_nsec: Int64(nanoseconds % 1_000_000_000))
        var cqe: UnsafeMutablePointer<io_uring_cqe>?
        return insideEnter { io_uring_wait_cqe_timeout(ring, &cqe, &timeout) }
    }

    /// io_uring_queue_exit. Only once nothing is pending: otherwise the ring is left open (leaked),
    /// so a request the kernel never finishes cannot keep the harness waiting.
    func close() {
        guard isOpen else { return }
        isOpen = false
        io_uring_queue_exit(ring)
        ring.deinitialize(count: 1)
        ring.deallocate()
    }
}

/// Runs `call` (an io_uring_enter) marked as inside the kernel, for the signal handler's count of
/// signals that landed there.
@inline(__always) private func insideEnter(_ call: () -> Int32) -> Int32 {
    iowq_syscall_enter()
    defer { iowq_syscall_leave() }
    return call()
}
