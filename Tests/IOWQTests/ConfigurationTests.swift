import Testing
@testable import IOWQ

@Suite struct ConfigurationTests {
    @Test func zeroMaxWorkersIsRejected() {
        #expect(setupError(PrePatch(), pool: .init(maxBoundWorkers: 0)) == "max bound workers must be at least 1, not 0")
        #expect(setupError(Eager(), pool: .init(maxUnboundWorkers: 0)) == "max unbound workers must be at least 1, not 0")
    }

    @Test func negativeRatesAreRejected() {
        #expect(setupError(PrePatch(), kernel: .init(signals: .periodic(perSecond: -5))) == "signal rate must be a positive number of signals per second, not -5.0")
        #expect(setupError(PrePatch(), kernel: .init(signals: .poisson(perSecond: 0))) != nil)
        #expect(setupError(PrePatch(), kernel: .init(signals: .fatal(after: .milliseconds(-1)))) == "fatal signal delay must not be negative")
    }

    @Test func probabilitiesOutsideZeroToOneAreRejected() {
        #expect(setupError(PrePatch(), kernel: .init(faults: .eagain(1.5))) == "EAGAIN probability 1.5 is outside 0...1")
        #expect(setupError(PrePatch(), kernel: .init(faults: .enomem(-0.1))) == "ENOMEM probability -0.1 is outside 0...1")
        #expect(setupError(PrePatch(), kernel: .init(faults: .failNth(0, .EAGAIN))) == "fail-nth needs an attempt number of 1 or more, not 0")
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
