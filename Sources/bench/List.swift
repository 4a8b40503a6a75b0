import ArgumentParser
import Harness
import IOWQ

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every strategy, scenario, signal schedule and fault plan.")

    func run() {
        print("Strategies (--strategy):")
        for entry in StrategyCatalog.all { print(row(entry.name, entry.summary)) }
        print("\nScenarios (--scenario):")
        for scenario in Scenario.catalog { print(row(scenario.form, scenario.summary)) }
        print("\nSignal schedules (--signals), real signals sent to the submitting task:")
        for (form, summary) in [
            ("none", "no signals"),
            ("one-shot", "one signal right before the pool's first thread creation (deterministic)"),
            ("storm", "a signal right before every thread creation (deterministic)"),
            ("periodic:RATE", "RATE signals per second at fixed intervals"),
            ("poisson:RATE", "RATE signals per second at seeded exponential intervals"),
            ("fatal:DELAY", "the fatal signal (SIGKILL's stand-in) once, DELAY after the start, e.g. fatal:5ms"),
        ] { print(row(form, summary)) }
        print("\nFault plans (--faults), seeded and deterministic:")
        for (form, summary) in [
            ("none", "no injected faults"),
            ("eagain:P", "each thread creation fails with EAGAIN with probability P"),
            ("enomem:P", "each worker allocation fails with ENOMEM with probability P"),
            ("fail-nth:N:ERRNO", "the Nth thread creation attempt fails with ERRNO (EAGAIN, ENOMEM, EINTR, ...)"),
            ("A+B", "several plans together, e.g. eagain:0.1+enomem:0.05"),
        ] { print(row(form, summary)) }
        print("\nProfiles (--profile): " + Profile.all.map { "\($0.name) (\($0.trials) trials)" }.joined(separator: ", "))
    }

    private func row(_ name: String, _ summary: String) -> String {
        "  " + name + String(repeating: " ", count: max(1, 22 - name.count)) + summary
    }
}
