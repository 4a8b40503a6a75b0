import IOWQ

/// Which configurations have a faithful meaning for a strategy: its backend's one sentence per
/// refusal (the model runs them all; the live kernel and the peer pools cannot inject some signals
/// or faults). A configuration that is not applicable still gets a row, whose note says why, and
/// starts no child.
enum Applicability {
    /// "not applicable: <why>", or nil when the strategy can run `spec`.
    static func reason(_ spec: ConfigurationSpec) -> String? {
        spec.strategy.backend.refusal(spec).map { "not applicable: " + $0 }
    }
}
