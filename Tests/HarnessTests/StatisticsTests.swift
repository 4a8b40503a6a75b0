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

    /// Rounding put the upper bound of n hangs in n trials at 0.9999999999999999 for 763 of the
    /// n up to 2000 (4, 10, 14, ...): a row that hung every time must read exactly 1.
    @Test func wilsonBoundsAreExactAtNoneAndAll() {
        for n in 1...2000 {
            #expect(WilsonInterval(successes: 0, trials: n).low == 0, "0 of \(n)")
            #expect(WilsonInterval(successes: n, trials: n).high == 1, "\(n) of \(n)")
        }
    }

    @Test func csvFieldsAreQuotedOnlyWhenNeeded() {
        #expect(CSVFile.escape("poisson:1000") == "poisson:1000")
        #expect(CSVFile.escape("a,b") == "\"a,b\"")
        #expect(CSVFile.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}
