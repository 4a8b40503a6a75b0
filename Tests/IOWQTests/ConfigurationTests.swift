import Testing
@testable import IOWQ

@Suite struct ConfigurationTests {
    @Test func zeroMaxWorkersIsRejected() {
        #expect(setupError(PrePatch(), pool: .init(maxBoundWorkers: 0)) == "max bound workers must be at least 1, not 0")
        #expect(setupError(Eager(), pool: .init(maxUnboundWorkers: 0)) == "max unbound workers must be at least 1, not 0")
    }

    @Test func negativeRatesAreRejected() {
        #expect(setupError(PrePatch(), kernel: .init(signals: .periodic(perSecond: -5))) == "a signal rate (signals per second) must be in 1...1000000, not -5")
        #expect(setupError(PrePatch(), kernel: .init(signals: .poisson(perSecond: 0))) != nil)
        #expect(setupError(PrePatch(), kernel: .init(signals: .fatal(after: .milliseconds(-1)))) == "a fatal signal's delay must be in 0s...60s, not -0.001 seconds")
    }

    @Test func probabilitiesOutsideZeroToOneAreRejected() {
        #expect(setupError(PrePatch(), kernel: .init(faults: .eagain(1.5))) == "a probability must be in 0...1, not 1.5")
        #expect(setupError(PrePatch(), kernel: .init(faults: .enomem(-0.1))) == "a probability must be in 0...1, not -0.1")
        #expect(setupError(PrePatch(), kernel: .init(faults: .failNth(0, .EAGAIN))) == "a creation attempt number must be in 1...1000000, not 0")
    }

    @Test func strategyOptionsAreValidated() {
        #expect(setupError(Naive(inlineAttempts: 0)) == "naive needs at least 1 creation attempt, not 0")
        #expect(setupError(RetryViaWorkqueue(retryLimit: -1)) == "retry limit must not be negative")
        #expect(setupError(PrePatch(), pool: .init(idleTimeout: .zero)) == "idle timeout must be positive")
    }

    @Test func errnoNamesParse() {
        #expect(Errno(name: "eagain") == .EAGAIN)
        #expect(Errno(name: "ERESTARTNOINTR") == .ERESTARTNOINTR)
        #expect(Errno(name: "12") == .ENOMEM)
        #expect(Errno(name: "EBOGUS") == nil)
    }
}
