import IOWQ

/// A kernel `bench kernels` measures: the host's own, or an image booted in a guest.
public enum GuestKernel: Sendable, Equatable, CustomStringConvertible {
    /// The running kernel: measured directly, no guest.
    case host
    /// Debian's generic image of a series (6.1, 6.12), fetched from the archive.
    case debian(series: KernelVersion)
    /// A kernel image on disk; its modules are looked for where virtme-ng looks.
    case image(path: String)

    /// "host", a series such as "6.1", or a path to a vmlinuz.
    public init(parsing text: String) throws(ConfigurationError) {
        if text == "host" {
            self = .host
        } else if text.contains("/") {
            self = .image(path: text)
        } else if let version = KernelVersion(parsing: text), text == version.description {
            self = .debian(series: version)
        } else {
            throw .invalid("unknown kernel '\(text)' (expected host, a Debian series such as 6.1 or 6.12, or a path to a vmlinuz)")
        }
    }

    /// A name for its folder and its rows.
    public var label: String {
        switch self {
        case .host: "host"
        case .debian(let series): "\(series)"
        case .image(let path): String(path.split(separator: "/").last ?? "image")
        }
    }

    public var description: String { label }
}
