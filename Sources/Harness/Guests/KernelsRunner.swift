#if canImport(Glibc)
import Glibc
#endif
import Foundation
import IOWQ

/// `bench kernels`: the fidelity comparison (`bench fidelity --fingerprint`: against the preset
/// each kernel behaves like) on several kernels, each inside a guest of its own (the host's kernel
/// directly), so that every kernel row and the presets it is compared with share one CPU,
/// emulated or not. Each kernel's run lands in `<out>/<label>/`.
public struct KernelsRunner {
    public var kernels: [GuestKernel]
    public var trials: Int
    public var seed: UInt64
    /// An absolute path: the guests write into it.
    public var out: String
    /// Nil: KVM when a probe guest boots on it, else TCG.
    public var acceleration: Acceleration?
    public var cacheRoot = KernelImageCache.defaultRoot
    /// How long one kernel's run may take, boot included.
    public var timeout: Duration = .seconds(3600)

    /// Each kernel's run goes in a folder named by its label, so no two may share one.
    public init(kernels: [GuestKernel], trials: Int, seed: UInt64, out: String, acceleration: Acceleration?) throws(GuestError) {
        let labels = kernels.map(\.label)
        guard Set(labels).count == labels.count else { throw .invalid("a kernel is named twice: \(labels.joined(separator: " "))") }
        self.kernels = kernels
        self.trials = trials
        self.seed = seed
        self.out = out
        self.acceleration = acceleration
    }

    /// Runs every kernel in turn; a kernel that fails is reported and skipped, not fatal to the
    /// others. Returns the kernels that produced a run, and how each ran.
    public func run(say: (String) -> Void) throws(GuestError) -> [KernelMatrix.Source] {
        do { try RunDirectory.createFresh(out) } catch { throw .invalid("\(error)") }
        let cache = KernelImageCache(root: cacheRoot)
        var chosen = acceleration
        var sources: [KernelMatrix.Source] = []
        for kernel in kernels {
            let label = kernel.label
            // the guest sees this same binary: it shares the host's root file system
            let command = [ChildProcess.ownExecutable, "fidelity", "--fingerprint", "--trials", String(trials), "--seed", String(seed), "--out", out + "/" + label]
            let prefix = "[\(label)] "
            let status: Int32?
            let ranAs: Acceleration
            let vmlinuz: String? = switch kernel {
            case .host: nil
            case .debian(let series): try cache.image(series) { say(prefix + $0) }
            case .image(let path): path
            }
            if let vmlinuz {
                if chosen == nil {
                    let (accel, why) = try GuestBoot.chooseAcceleration(probing: vmlinuz, writable: out)
                    chosen = accel
                    say("guests: \(why)")
                }
                ranAs = chosen!
                say(prefix + "booting \(vmlinuz) under \(ranAs == .kvm ? "KVM" : "TCG (emulated)")")
                // tracefs for the kernel row's private trace (KernelTrace), if the guest's init did
                // not mount it; the guest is thrown away afterwards
                let script = "{ mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing; } 2>/dev/null; "
                    + "cd \(HostCommand.quoted([FileManager.default.currentDirectoryPath])) && "
                    + "IOWQ_EMULATED=\(ranAs == .tcg ? 1 : 0) \(HostCommand.quoted(command))"
                status = try GuestBoot(vmlinuz: vmlinuz, acceleration: ranAs).run(script, writable: out, until: .after(timeout)) {
                    say(prefix + $0)
                }
            } else {
                ranAs = .native
                say(prefix + "the host's kernel, directly")
                status = try HostCommand.run(command, until: .after(timeout)) { say(prefix + $0) }
            }
            switch status {
            case 0?:
                sources.append(KernelMatrix.Source(label: label, acceleration: ranAs))
            case let code?:
                say(prefix + "bench fidelity exited with status \(code); its rows are left out")
            case nil:
                say(prefix + "the run never finished (the guest died or ran past \(timeout)); its rows are left out")
            }
        }
        return sources
    }
}
