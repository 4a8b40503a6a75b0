import Foundation
import Harness
import IOWQ
import PropertyBased
import Testing

/// Numbers and strings a hostile user would type, for every numeric option and every form with a
/// number in it: parsing never traps (a trap ends the test process), a value it takes names itself
/// (its description parses back to it, so a child process runs what its parent planned), and
/// `bench` refuses the rest in one line with exit 64 before anything is written.
@Suite struct HostileInputTests {
    static let specials = ["nan", "inf", "-inf", "-0", "1e19", "1e300", "-1e300", "4.9e-324", "99999999999999999999",
                           "18446744073709551616", "0x10", "1_000", "", " 5", "+5", "5.", ".5", "١٢", "0", "1", "1024", "1025",
                           "1000000", "1000001", "100000", "100001", "86400", "86401", "0.001", "0.25", "0.2500001"]
    /// 32 characters, five bits each.
    static let characters = Array("0123456789.-+e:/x, \n\u{7f}éE_ab%#\t;i*n")

    /// A number as text, of kind `kind` drawn from `raw`: edges of every bound, beyond them, not
    /// finite, not numbers at all.
    static func number(_ kind: Int, _ raw: Int) -> String {
        switch kind {
        case 0: String(raw % 2_000_001)
        case 1: String(raw)
        case 2: String(Double(raw) / 1e12)
        case 3: "1e\(raw % 321)"
        case 4: specials[Int(raw.magnitude % UInt(specials.count))]
        default:
            String((0..<Int(raw.magnitude % 13)).map { characters[Int((raw.magnitude >> (5 * $0)) & 31)] })
        }
    }

    static let kinds = Gen.int(in: 0...5)
    static let raws = Gen.int(in: .min ... .max)

    /// Every form with a number, with a hole for it.
    static let forms: [String] = [
        "periodic:#", "poisson:#", "storm:#", "fatal:#ms", "fatal:#us", "fatal:#s", "fatal:#", "storm+periodic:#",
        "steady:#", "burst:#", "chain:#", "hashed:#",
        "eagain:#", "enomem:#", "fail-nth:#:EAGAIN", "fail-after:#", "eagain:0.5+fail-after:#",
    ]

    /// What one form does with `text`: a value that names itself, or one line saying why not.
    static func parsed(_ text: String) -> (accepted: Bool, problem: String?) {
        func check<T: Equatable & CustomStringConvertible>(_ parse: (String) throws(ConfigurationError) -> T) -> (Bool, String?) {
            do {
                let value = try parse(text)
                guard let again = try? parse(value.description), again == value else {
                    return (true, "'\(text)' parses to \(value), whose description does not parse back to it")
                }
                return (true, nil)
            } catch {
                // it may quote the text, newlines and all: bench prints its first line
                return (false, error.description.isEmpty ? "'\(text)': the error says nothing" : nil)
            }
        }
        if text.hasPrefix("periodic") || text.hasPrefix("poisson") || text.hasPrefix("storm") || text.hasPrefix("fatal") {
            return check(SignalSchedule.init(parsing:))
        }
        if ["steady", "burst", "chain", "hashed"].contains(where: text.hasPrefix) { return check(Scenario.init(parsing:)) }
        return check(FaultPlan.init(parsing:))
    }

    @Test func everyFormTakesOnlyWhatNamesItself() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...(Self.forms.count - 1)), Self.kinds, Self.raws) { form, kind, raw in
            let number = Self.number(kind, raw)
            let text = Self.forms[form].replacingOccurrences(of: "#", with: number)
            let (_, problem) = Self.parsed(text)
            #expect(problem == nil, "\(problem ?? "")")
        }
    }

    @Test func everyBoundTakesExactlyItsRange() async {
        await propertyCheck(count: 300, input: Self.kinds, Self.raws) { kind, raw in
            let number = Self.number(kind, raw)
            for bound in [SweepPlan.trialCounts, Precision.trialCaps, SignalSchedule.stormAttempts, FaultPlan.attempts,
                          FaultPlan.attemptsBefore, Scenario.burstItems, Scenario.chainItems, Scenario.hashes] {
                let taken = try? bound.parse(number)
                #expect(taken == Int(number).flatMap { bound.range.contains($0) ? $0 : nil }, "\(bound.what): '\(number)'")
            }
            for bound in [SignalSchedule.rates, Scenario.steadyRates, FaultPlan.probabilities, Precision.halfWidths, Precision.timeBudgets] {
                let taken = try? bound.parse(number)
                #expect(taken == Double(number).flatMap { bound.range.contains($0) ? $0 : nil }, "\(bound.what): '\(number)'")
            }
            #expect((try? SweepPlan.seeds.parse(number)) == UInt64(number))
        }
    }

    /// One option or form of one command, with a hole for the number, and whether a value fits.
    struct Case: Sendable {
        var command: String
        var option: String
        var form: String
        var accepts: @Sendable (String) -> Bool
    }

    static func form(_ option: String, _ form: String) -> Case {
        Case(command: "run", option: option, form: form) { parsed(form.replacingOccurrences(of: "#", with: $0)).accepted }
    }

    static func bounded<V>(_ command: String, _ option: String, _ bound: Bound<V>) -> Case {
        Case(command: command, option: option, form: "#") { (try? bound.parse($0)) != nil }
    }

    /// The bounds that live in the commands themselves (gate --rounds, kernels --timeout,
    /// fingerprint --trials and --controls) all lie within 0...100000.
    static func commandBound(_ command: String, _ option: String) -> Case {
        Case(command: command, option: option, form: "#") { text in Int(text).map { (0...100_000).contains($0) } ?? false }
    }

    static let cases: [Case] = [
        bounded("run", "--trials", SweepPlan.trialCounts), bounded("run", "--seed", SweepPlan.seeds),
        bounded("run", "--precision", Precision.halfWidths), bounded("run", "--max-trials", Precision.trialCaps),
        bounded("run", "--time-budget", Precision.timeBudgets),
        form("--signals", "periodic:#"), form("--signals", "poisson:#"), form("--signals", "storm:#"), form("--signals", "fatal:#ms"),
        form("--signals", "fatal:#"), form("--scenario", "steady:#"), form("--scenario", "burst:#"), form("--scenario", "chain:#"),
        form("--scenario", "hashed:#"), form("--faults", "eagain:#"), form("--faults", "fail-nth:#:EAGAIN"), form("--faults", "fail-after:#"),
        Case(command: "run", option: "--shard", form: "1/#") { (try? Shard(parsing: "1/" + $0)) != nil },
        Case(command: "run", option: "--shard", form: "#/2") { (try? Shard(parsing: $0 + "/2")) != nil },
        bounded("fidelity", "--trials", SweepPlan.trialCounts), bounded("kernels", "--trials", SweepPlan.trialCounts),
        bounded("gate", "--trials", SweepPlan.trialCounts),
        commandBound("gate", "--rounds"), commandBound("kernels", "--timeout"),
        commandBound("fingerprint", "--trials"), commandBound("fingerprint", "--controls"),
    ]

    /// The arguments of a command whose other options cannot start anything long, with `option`
    /// set to `value`.
    static func arguments(_ c: Case, _ value: String, out: String) -> [String] {
        var options: [(String, String)] = c.command == "run"
            ? [("--strategy", "eager"), ("--scenario", "first-worker"), ("--signals", "none"), ("--faults", "none"), ("--trials", "1")]
            : c.command == "kernels" ? [("--trials", "1")] : []
        options.removeAll { $0.0 == c.option }
        options.append((c.option, value))
        return [c.command] + (c.command == "kernels" ? ["host"] : []) + options.flatMap { [$0.0, $0.1] } + ["--out", out]
    }

    /// bench itself, a child per case: a modest count, the machine has two cores. A value the case
    /// would take is not sent (it would start a run).
    @Test func benchRefusesEveryBadNumberInOneLineWithExit64() async throws {
        var sent = 0
        await propertyCheck(count: 36, input: Gen.int(in: 0...(Self.cases.count - 1)), Self.kinds, Self.raws) { index, kind, raw in
            let number = Self.number(kind, raw)
            let c = Self.cases[index]
            let value = c.form.replacingOccurrences(of: "#", with: number)
            guard !c.accepts(number) else { return }
            sent += 1
            let out = temporaryPath("hostile")
            let run = try BenchProcess.run(Self.arguments(c, value, out: out), timeout: .seconds(60))
            let lines = run.standardError.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(run.status == 64, "\(c.command) \(c.option) '\(value)': exit \(run.status): \(run.standardError)")
            #expect(lines.count == 1 && lines.first?.hasPrefix("bench: error: ") == true,
                    "\(c.command) \(c.option) '\(value)': \(run.standardError)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(c.command) \(c.option) '\(value)' wrote \(out)")
        }
        #expect(sent >= 12, "only \(sent) of 36 values were bad ones: the check says little")
    }

    /// The traps and the misleading "Missing value" of the issue, each by name.
    @Test func theNumbersThatTrappedOrWereMissing() throws {
        let said: [([String], String)] = [
            (["--signals", "periodic:1e19"], "a signal rate (signals per second) must be a number in 1...1000000, not '1e19' in 'periodic:1e19'"),
            (["--signals", "periodic:1e300"], "in 1...1000000, not '1e300'"),
            (["--signals", "poisson:1e300"], "in 1...1000000, not '1e300'"),
            (["--scenario", "steady:1e300"], "an arrival rate (items per second) must be a number in 1...100000, not '1e300'"),
            (["--signals", "fatal:1e300s"], "a duration must be in 0s...60s, not 1e300s in 'fatal:1e300s'"),
            (["--trials", "-1"], "trials per configuration must be a whole number in 1...100000, not '-1'"),
            (["--trials", "99999999999"], "in 1...100000, not '99999999999'"),
            (["--seed", "-1"], "a seed must be a whole number in 0...18446744073709551615, not '-1'"),
            (["--time-budget", "-1"], "a time budget (seconds per configuration) must be a number in 1...86400, not '-1'"),
        ]
        for (arguments, words) in said {
            let out = temporaryPath("trap")
            let run = try BenchProcess.run(["run", "--strategy", "eager"] + arguments + ["--out", out])
            #expect(run.status == 64, "\(arguments): \(run.standardError)")
            #expect(run.standardError.hasPrefix("bench: error: ") && run.standardError.contains(words), "\(arguments): \(run.standardError)")
            #expect(run.standardError.filter { $0 == "\n" }.count == 1, "\(arguments): \(run.standardError)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    /// A list that names one thing twice would write two rows of one identity, whose trials share
    /// seeds and whose histograms overwrite each other.
    @Test func aNameGivenTwiceIsRefused() throws {
        let said: [([String], String)] = [
            (["--strategy", "naive", "--strategy", "naive"], "--strategy names 'naive' twice: give each once"),
            (["--scenario", "burst:4", "--scenario", "burst:4"], "--scenario names 'burst:4' twice"),
            (["--signals", "periodic:1000", "--signals", "periodic:1e3"], "--signals names 'periodic:1000' and 'periodic:1e3', both periodic:1000"),
            (["--faults", "eagain:0.1+enomem:0.2", "--faults", "enomem:0.2+eagain:0.1"], "--faults names 'eagain:0.1+enomem:0.2' and 'enomem:0.2+eagain:0.1'"),
            (["--faults", "eagain:0.1+eagain:0.2"], "'eagain' is given twice in 'eagain:0.1+eagain:0.2'"),
            (["--signals", "storm", "--signals", "none+storm"], "--signals names 'storm' and 'none+storm', both storm"),
            (["--faults", "fail-nth:2:EAGAIN+fail-nth:2:ENOMEM"], "'fail-nth:2' is given twice"),
        ]
        for (arguments, words) in said {
            let out = temporaryPath("twice")
            let run = try BenchProcess.run(["run", "--trials", "1"] + arguments + ["--out", out])
            #expect(run.status == 64, "\(arguments): \(run.standardError)")
            #expect(run.standardError.hasPrefix("bench: error: ") && run.standardError.contains(words), "\(arguments): \(run.standardError)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
