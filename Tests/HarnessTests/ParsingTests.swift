import Harness
import IOWQ
import Testing

@Suite struct ParsingTests {
    @Test func everySignalScheduleForm() throws {
        #expect(try SignalSchedule(parsing: "none") == SignalSchedule.none)
        #expect(try SignalSchedule(parsing: "one-shot") == .oneShot)
        #expect(try SignalSchedule(parsing: "storm") == .storm)
        #expect(try SignalSchedule(parsing: "periodic:250") == .periodic(perSecond: 250))
        #expect(try SignalSchedule(parsing: "poisson:1000.5") == .poisson(perSecond: 1000.5))
        #expect(try SignalSchedule(parsing: "fatal:5ms") == .fatal(after: .milliseconds(5)))
        #expect(try SignalSchedule(parsing: "fatal:500us") == .fatal(after: .microseconds(500)))
        #expect(try SignalSchedule(parsing: "fatal:2s") == .fatal(after: .seconds(2)))
        for bad in ["", "sometimes", "periodic", "periodic:", "periodic:0", "poisson:-1", "poisson:inf", "fatal:5", "fatal:-5ms", "one-shot:3"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try SignalSchedule(parsing: bad) }
        }
    }

    @Test func everyFaultPlanForm() throws {
        #expect(try FaultPlan(parsing: "none") == FaultPlan.none)
        #expect(try FaultPlan(parsing: "eagain:0.25") == .eagain(0.25))
        #expect(try FaultPlan(parsing: "enomem:1") == .enomem(1))
        #expect(try FaultPlan(parsing: "fail-nth:3:ENOMEM") == .failNth(3, .ENOMEM))
        #expect(try FaultPlan(parsing: "fail-nth:1:eintr") == .failNth(1, .EINTR))
        #expect(try FaultPlan(parsing: "eagain:0.1+enomem:0.2") == FaultPlan(eagainProbability: 0.1, enomemProbability: 0.2))
        #expect(try FaultPlan(parsing: "fail-after:0") == .failAfter(0))
        #expect(try FaultPlan(parsing: "fail-after:2+eagain:0.5") == FaultPlan(eagainProbability: 0.5, failAfter: 2))
        for bad in ["", "eagain", "eagain:2", "enomem:-0.5", "fail-nth:0:EAGAIN", "fail-after", "fail-after:-1", "fail-after:x", "fail-nth:x:EAGAIN", "fail-nth:2:EBOGUS", "fail-nth:2", "crash:1"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try FaultPlan(parsing: bad) }
        }
    }

    @Test func everyScenarioForm() throws {
        let forms = ["first-worker", "burst:64", "steady:2000", "sleepers", "chain:8", "hashed:4", "mixed", "exit-under-fire"]
        for form in forms {
            #expect(try Scenario(parsing: form).description == form)
        }
        for bad in ["burst", "burst:0", "burst:1025", "chain:-1", "hashed:x", "steady:0", "storm"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try Scenario(parsing: bad) }
        }
    }

    @Test func descriptionsParseBackToTheSameValue() throws {
        for text in ["none", "one-shot", "storm", "periodic:100", "poisson:2.5", "fatal:5ms"] {
            #expect(try SignalSchedule(parsing: text).description == text)
        }
        for text in ["none", "eagain:0.1", "enomem:0.5", "fail-nth:2:EAGAIN", "eagain:0.1+enomem:0.2", "fail-after:3"] {
            #expect(try FaultPlan(parsing: text).description == text)
        }
    }
}
