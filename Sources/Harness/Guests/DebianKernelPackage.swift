/// Which of Debian's kernel image packages stands for a series: the generic amd64 one, unsigned
/// (the same kernel as the signed image, without the Secure Boot signature a guest has no use for),
/// newest first. The cloud images lack 9p, which virtme-ng needs to share the host's files.
enum DebianKernelPackage {
    /// The package names `apt-cache search` is asked for.
    static func pattern(_ series: KernelVersion) -> String {
        "^linux-image-\(series.major)\\.\(series.minor)\\.[0-9.+a-z-]*-amd64-unsigned$"
    }

    /// The newest generic package of `series` among `names` (apt-cache's "name - summary" lines
    /// are fine too), by its numbers compared one by one; nil when there is none.
    static func newest(_ names: [String], series: KernelVersion) -> String? {
        let prefix = "linux-image-\(series.major).\(series.minor)."
        return names.map { String($0.split(separator: " ").first ?? "") }
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix("-amd64-unsigned") && !$0.contains("-cloud-") && !$0.contains("-rt-") }
            .max { numbers($0).lexicographicallyPrecedes(numbers($1)) }
    }

    /// The runs of digits in a package name, as numbers: 6.1.0-56 → [6, 1, 0, 56].
    static func numbers(_ name: String) -> [Int] {
        name.split { !$0.isNumber }.compactMap { Int($0) }
    }
}
