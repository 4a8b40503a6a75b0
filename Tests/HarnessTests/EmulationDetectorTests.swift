@testable import Harness
import IOWQ
import Testing

/// The emulation verdict on what machines show: qemu's TCG is emulated, KVM and Firecracker guests
/// (the hypervisor flag set, the CPU run natively) are not.
@Suite struct EmulationDetectorTests {
    @Test func theEnvironmentDecidesFirst() throws {
        #expect(try EmulationDetector.classify(override: "1", hypervisorSignature: "KVMKVMKVM", cpuModel: "AMD EPYC").emulated)
        #expect(try !EmulationDetector.classify(override: "0", hypervisorSignature: "TCGTCGTCGTCG", cpuModel: nil).emulated)
        #expect(throws: ConfigurationError.invalid("IOWQ_EMULATED must be 1 or 0, not 'yes'")) {
            try EmulationDetector.classify(override: "yes", hypervisorSignature: nil, cpuModel: nil)
        }
    }

    @Test func qemuTCGIsEmulated() throws {
        let tcg = try EmulationDetector.classify(override: nil, hypervisorSignature: "TCGTCGTCGTCG", cpuModel: "QEMU TCG CPU version 2.5+")
        #expect(tcg.emulated && tcg.evidence.contains("TCG"))
        // qemu's default CPU model with no hypervisor leaf: TCG
        #expect(try EmulationDetector.classify(override: nil, hypervisorSignature: nil, cpuModel: "QEMU Virtual CPU version 2.5+").emulated)
        #expect(try EmulationDetector.classify(override: nil, hypervisorSignature: nil, cpuModel: "QEMU TCG CPU version 2.5+").emulated)
    }

    @Test func hardwareVirtualisationIsNotEmulation() throws {
        // a KVM guest with qemu's default CPU model, and a Firecracker guest (this project's VM)
        let kvm = try EmulationDetector.classify(override: nil, hypervisorSignature: "KVMKVMKVM\0\0\0", cpuModel: "QEMU Virtual CPU version 2.5+")
        #expect(!kvm.emulated && kvm.evidence.contains("KVMKVMKVM"))
        #expect(try !EmulationDetector.classify(override: nil, hypervisorSignature: "KVMKVMKVM", cpuModel: "AMD EPYC").emulated)
        #expect(try !EmulationDetector.classify(override: nil, hypervisorSignature: "Microsoft Hv", cpuModel: "Intel(R) Xeon(R)").emulated)
        #expect(try !EmulationDetector.classify(override: nil, hypervisorSignature: nil, cpuModel: "AMD Ryzen 9 7950X").emulated)
    }

    @Test func thisMachineIsDescribed() throws {
        let host = try HostIdentity.detect(override: nil)
        #expect(!host.kernelRelease.isEmpty)
        #expect(!host.emulationEvidence.isEmpty)
    }
}
