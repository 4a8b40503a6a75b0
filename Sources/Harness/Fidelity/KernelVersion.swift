#if canImport(Glibc)
import Glibc
#endif

/// A Linux release as major.minor, for placing the running kernel in the seed's lineage.
public struct KernelVersion: Comparable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// From a release string ("6.18.44-fc-v657") or a lineage preset's name ("retry-6.14").
    public init?(parsing text: some StringProtocol) {
        let numbers = text.drop { !$0.isNumber }.split(separator: ".", maxSplits: 2)
        guard numbers.count >= 2, let major = Int(numbers[0]),
              let minor = Int(numbers[1].prefix { $0.isNumber }) else { return nil }
        self.init(major: major, minor: minor)
    }

    /// The running kernel's, from uname.
    public static var running: (release: String, version: KernelVersion?) {
        var names = utsname()
        uname(&names)
        let release = withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return (release, KernelVersion(parsing: release))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.major, lhs.minor) < (rhs.major, rhs.minor) }
    public var description: String { "\(major).\(minor)" }
}

extension StrategyCatalog {
    /// The lineage presets around `kernel`: the newest one it contains (which models it) and the
    /// first it does not (which predicts what the next fix changes). Nil where there is none.
    /// The preset a release's version number places it at ("6.1.0-56-amd64": retry-6.1,
    /// "6.12.117+deb12-amd64": retry-6.14 by `alsoStandsFor`),
    /// nil for a release not understood or older than every preset. A stable kernel may carry
    /// later fixes: this is a guess to set beside a fingerprint, never a verdict.
    public static func preset(suggestedBy release: String) -> StrategyEntry? {
        KernelVersion(parsing: release).flatMap { presets(bracketing: $0).models }
    }

    public static func presets(bracketing kernel: KernelVersion) -> (models: StrategyEntry?, next: StrategyEntry?) {
        if let index = lineage.firstIndex(where: { alsoStandsFor[$0.name]?.contains(kernel) == true }) {
            return (lineage[index], index + 1 < lineage.count ? lineage[index + 1] : nil)
        }
        let versioned = lineage.compactMap { entry in KernelVersion(parsing: entry.name).map { (entry, $0) } }
        return (versioned.last { $0.1 <= kernel }?.0, versioned.first { $0.1 > kernel }?.0)
    }
}
