import ArgumentParser
import Foundation
import Harness

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every strategy, scenario, signal schedule, fault plan and profile.",
        discussion: "With --json, the same as one JSON object (the `vocabulary` that meta.json also carries), for scripts."
    )

    @Flag(help: "Print the vocabulary as JSON.")
    var json = false

    @Flag(help: "Print the counter columns as docs/csv.md's Markdown table.")
    var counters = false

    func run() throws {
        if counters {
            print(CounterDocs.block)
            return
        }
        let vocabulary = Vocabulary.current
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(vocabulary), as: UTF8.self))
            return
        }
        print("Strategies (--strategy):")
        for strategy in vocabulary.strategies { print(row(strategy.name, "[\(strategy.family.rawValue)] " + strategy.summary)) }
        section("Scenarios (--scenario):", vocabulary.scenarios)
        section("Signal schedules (--signals), real signals sent to the submitting task:", vocabulary.signals)
        section("Fault plans (--faults), seeded and deterministic:", vocabulary.faults)
        print("\nProfiles (--profile): " + vocabulary.profiles.map { "\($0.name) (\($0.trials) trials)" }.joined(separator: ", "))
    }

    private func section(_ title: String, _ forms: [Vocabulary.Form]) {
        print("\n" + title)
        for form in forms { print(row(form.form, form.summary)) }
    }

    private func row(_ name: String, _ summary: String) -> String {
        "  " + name + String(repeating: " ", count: max(1, 22 - name.count)) + summary
    }
}
