import Foundation
import IOWQ

/// Whether this machine is emulated (qemu's TCG translating every instruction) rather than run on
/// the CPU, virtualised or not. Under TCG the kernel and the model are 3-10x slower, so only
/// outcome classes inside one guest compare; timings across machines do not.
///
/// The CPU's "hypervisor" flag is not enough: KVM and Firecracker guests set it and run natively.
/// The evidence, strongest first: the environment (`IOWQ_EMULATED=1` or `0`, which a guest runner
/// sets because it knows); the hypervisor's CPUID signature (`TCGTCGTCGTCG` is qemu's TCG, any
/// other such as `KVMKVMKVM` is hardware virtualisation); and qemu's CPU model names ("QEMU TCG
/// CPU", or "QEMU Virtual CPU" with no hypervisor signature: qemu's default model under TCG).
/// Another emulator that hides behind a real CPU's name is not seen: set IOWQ_EMULATED=1.
enum EmulationDetector {
    static let environmentVariable = "IOWQ_EMULATED"
    static let tcgSignature = "TCGTCGTCGTCG"

    /// The verdict and the evidence it rests on, from what the machine shows.
    static func classify(override: String?, hypervisorSignature: String?, cpuModel: String?) throws(ConfigurationError) -> (emulated: Bool, evidence: String) {
        if let override {
            switch override {
            case "1": return (true, "\(environmentVariable)=1")
            case "0": return (false, "\(environmentVariable)=0")
            default: throw .invalid("\(environmentVariable) must be 1 or 0, not '\(override)'")
            }
        }
        let signature = hypervisorSignature?.trimmingCharacters(in: CharacterSet(charactersIn: " \0")) ?? ""
        let model = cpuModel ?? ""
        if signature == tcgSignature { return (true, "CPUID hypervisor signature \(tcgSignature) (qemu TCG)") }
        if !signature.isEmpty { return (false, "hardware virtualisation (CPUID hypervisor signature \(signature))") }
        if model.hasPrefix("QEMU TCG CPU") { return (true, "CPU model '\(model)' (qemu TCG)") }
        if model.hasPrefix("QEMU Virtual CPU") {
            return (true, "CPU model '\(model)' without a hypervisor signature (qemu's default model under TCG)")
        }
        return (false, "no emulator seen (CPU model '\(model.isEmpty ? "unknown" : model)', no hypervisor signature)")
    }
}
