@testable import Harness
import IOWQ
import Testing

@Suite struct StatisticsTests {
    @Test func wilsonIntervalsAtTheEdges() {
        let none = WilsonInterval(successes: 0, trials: 5)
        #expect(none.low == 0)
        #expect(abs(none.high - 0.4345) < 0.001)
        let all = WilsonInterval(successes: 5, trials: 5)
        #expect(abs(all.low - 0.5655) < 0.001)
        #expect(all.high == 1)
        let half = WilsonInterval(successes: 50, trials: 100)
        #expect(abs(half.low - 0.4038) < 0.001 && abs(half.high - 0.5962) < 0.001)
    }

    @Test func csvFieldsAreQuotedOnlyWhenNeeded() {
        #expect(CSVFile.escape("poisson:1000") == "poisson:1000")
        #expect(CSVFile.escape("a,b") == "\"a,b\"")
        #expect(CSVFile.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}
