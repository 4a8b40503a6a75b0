#if canImport(Glibc)
import Glibc
#endif
import CProcessControl
import Foundation
import IOWQ

/// Where a run's rows ran: the kernel release (uname -r of the machine or guest) and whether it was
/// emulated. Every row of trials.csv and summary.csv carries both, so rows from guests, shards and
/// other machines stay apart when `bench merge` puts them in one table.
public struct HostIdentity: Sendable, Equatable {
    public let kernelRelease: String
    public let emulated: Bool
    /// What the emulation verdict rests on (EmulationDetector).
    public let emulationEvidence: String

    /// This machine, from uname, CPUID, /proc/cpuinfo and IOWQ_EMULATED; an unreadable override is
    /// an error.
    public static func detect() throws(ConfigurationError) -> HostIdentity {
        try detect(override: ProcessInfo.processInfo.environment[EmulationDetector.environmentVariable])
    }

    static func detect(override: String?) throws(ConfigurationError) -> HostIdentity {
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        var signature = [CChar](repeating: 0, count: 13)
        let hypervised = proc_hypervisor_signature(&signature) == 1
        let verdict = try EmulationDetector.classify(
            override: override,
            hypervisorSignature: hypervised ? String(decoding: signature.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil,
            cpuModel: cpuModel())
        return HostIdentity(kernelRelease: release, emulated: verdict.emulated, emulationEvidence: verdict.evidence)
    }

    /// This process's machine, read once. Commands that write rows call `detect()` first, so a
    /// malformed IOWQ_EMULATED is refused before anything is written; here it reads as unset.
    public static let current: HostIdentity = (try? detect()) ?? (try! detect(override: nil))

    /// "model name" of /proc/cpuinfo's first CPU.
    static func cpuModel() -> String? {
        (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces)
    }
}
