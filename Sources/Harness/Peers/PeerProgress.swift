#if canImport(Glibc)
import Glibc
#endif
import CProcessControl

/// The page a peer trial's child and its parent share, the file IOWQ_THREAD_FAULTS_SHM names: the
/// interposer's own two counts first (docs/interposer.md), then the trial's progress, so the parent
/// can account for every item and read the creation attempts however the child ends (killed while
/// trapped inside the pool, or dead by a signal).
final class PeerProgress: @unchecked Sendable {
    static let size = 4096

    /// A 64-bit counter of the page, by its index.
    enum Cell: Int {
        /// The interposer's armed pthread_create attempts.
        case attempts = 0
        /// The interposer's injected EAGAIN failures.
        case failures = 1
        /// The arm word: nonzero arms the plan of an interposer started with
        /// IOWQ_THREAD_FAULTS_ARMED=page (a foreign program's).
        case armed = 2
        /// Items handed to the pool (their submit call returned).
        case submitted = 8
        /// Items whose body began.
        case started = 9
        /// Items whose body ended.
        case completed = 10
        /// Threads the pool made while it started (armed attempts less failures, then).
        case createdAtSetup = 11
    }

    private let cells: UnsafeMutablePointer<UInt64>

    /// Maps `path` (created or extended); nil when it cannot be.
    init?(path: String) {
        guard let page = proc_map_shared(path, PeerProgress.size) else { return nil }
        cells = page.bindMemory(to: UInt64.self, capacity: PeerProgress.size / 8)
    }

    deinit { munmapPage() }

    func add(_ cell: Cell, _ value: UInt64 = 1) { proc_shared_add(cells + cell.rawValue, value) }

    func load(_ cell: Cell) -> UInt64 { proc_shared_load(cells + cell.rawValue) }

    /// The interposer's attempts and failures, failures read first: an attempt is counted before
    /// its failure, so the pair never shows more failures than attempts (reading attempts first,
    /// a creation in between could, and the difference would underflow).
    func creations() -> (attempts: UInt64, failures: UInt64) {
        let failures = load(.failures)
        return (load(.attempts), failures)
    }

    private func munmapPage() { _ = munmap(UnsafeMutableRawPointer(cells), PeerProgress.size) }
}
