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

    /// A percentile is left empty until the sample can hold a value beyond it.
    @Test func percentilesNeedTheirSample() {
        #expect(LatencyHistogram.samplesNeeded(forPercentile: 50) == 1)
        #expect(LatencyHistogram.samplesNeeded(forPercentile: 90) == 10)
        #expect(LatencyHistogram.samplesNeeded(forPercentile: 99) == 100)
        #expect(LatencyHistogram.samplesNeeded(forPercentile: 99.9) == 1000)
        #expect(LatencyHistogram.samplesNeeded(forPercentile: 10) == 10)
        #expect(LatencyHistogram.samplesNeeded(forPercentile: 100) == 1)
        var histogram = LatencyHistogram()
        for n in 1...99 { histogram.record(UInt64(n) * 1000) }
        #expect(histogram.microseconds(atPercentile: 50) != nil)
        #expect(histogram.microseconds(atPercentile: 90) != nil)
        #expect(histogram.microseconds(atPercentile: 99) == nil)
        histogram.record(100_000)
        #expect(histogram.microseconds(atPercentile: 99) != nil)
        #expect(histogram.microseconds(atPercentile: 99.9) == nil)
        var one = LatencyHistogram()
        one.record(5000)
        #expect(one.microseconds(atPercentile: 50) != nil)
        #expect(one.microseconds(atPercentile: 99) == nil)
    }

    @Test func csvFieldsAreQuotedOnlyWhenNeeded() {
        #expect(CSVFile.escape("poisson:1000") == "poisson:1000")
        #expect(CSVFile.escape("a,b") == "\"a,b\"")
        #expect(CSVFile.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}
