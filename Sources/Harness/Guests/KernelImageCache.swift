#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Debian's kernel images, fetched with `apt-get download` and unpacked with `dpkg-deb -x` into a
/// cache folder. Installing the package instead would change the host (initramfs-tools, udev).
/// An unpacked package keeps virtme-ng's layout: boot/vmlinuz-<release> beside lib/modules/<release>.
struct KernelImageCache {
    let root: String

    /// $IOWQ_KERNEL_CACHE, else $XDG_CACHE_HOME/iowq-bench/kernels, else ~/.cache/iowq-bench/kernels.
    static var defaultRoot: String {
        let environment = ProcessInfo.processInfo.environment
        if let root = environment["IOWQ_KERNEL_CACHE"] { return root }
        let cache = environment["XDG_CACHE_HOME"] ?? (environment["HOME"] ?? "/root") + "/.cache"
        return cache + "/iowq-bench/kernels"
    }

    /// The vmlinuz of the newest generic image of `series`, fetched first if it is not cached.
    func image(_ series: KernelVersion, say: (String) -> Void) throws(GuestError) -> String {
        let search = try HostCommand.output(["apt-cache", "search", "--names-only", DebianKernelPackage.pattern(series)])
        guard let package = DebianKernelPackage.newest(search, series: series) else {
            throw .invalid("no Debian package of Linux \(series) is known to apt (run 'apt-get update' first?)")
        }
        let unpacked = root + "/" + package
        if let vmlinuz = Self.vmlinuz(in: unpacked) { return vmlinuz }
        say("fetching \(package) into \(root)")
        let download = root + "/download"
        do { try FileManager.default.createDirectory(atPath: download, withIntermediateDirectories: true) }
        catch { throw .failed("mkdir \(download)", "\(error)") }
        _ = try HostCommand.output(["sh", "-c", "cd \(HostCommand.quoted([download])) && apt-get download \(package)"])
        guard let deb = (try? FileManager.default.contentsOfDirectory(atPath: download))?.first(where: { $0.hasPrefix(package + "_") }) else {
            throw .failed("apt-get download \(package)", "no .deb appeared in \(download)")
        }
        // unpack beside, then move into place: a half-unpacked image is never taken for a whole one
        let partial = unpacked + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        _ = try HostCommand.output(["dpkg-deb", "-x", download + "/" + deb, partial])
        do {
            try FileManager.default.moveItem(atPath: partial, toPath: unpacked)
            try FileManager.default.removeItem(atPath: download + "/" + deb)
        } catch { throw .failed("unpacking \(deb)", "\(error)") }
        guard let vmlinuz = Self.vmlinuz(in: unpacked) else { throw .failed("dpkg-deb -x \(deb)", "no boot/vmlinuz-* inside") }
        return vmlinuz
    }

    static func vmlinuz(in unpacked: String) -> String? {
        let boot = unpacked + "/boot"
        return (try? FileManager.default.contentsOfDirectory(atPath: boot))?.first { $0.hasPrefix("vmlinuz-") }.map { boot + "/" + $0 }
    }
}
