import IOWQ

/// Which configurations have a faithful meaning on the running kernel. Those that do not still get
/// a row, whose note says why.
enum KernelApplicability {
    /// "not applicable: <why>", or nil when the kernel can run `spec`.
    static func reason(_ spec: ConfigurationSpec) -> String? {
        if spec.signals.parts.contains(where: { if case .fatal = $0 { true } else { false } }) {
            return "not applicable: a fatal signal would kill the whole benchmark process, and no other signal makes the kernel treat the task as dying"
        }
        if spec.signals.parts.contains(where: { if case .storm = $0 { true } else { false } }) {
            return "not applicable: the kernel creates its workers inside io_uring_enter, out of user space's sight, so a signal before every creation cannot be sent (a signal per submission is another schedule); use a timed one"
        }
        if spec.faults != .none {
            return "not applicable: the kernel's thread creation (create_io_thread) and worker allocation cannot be made to fail from user space"
        }
        return nil
    }
}
