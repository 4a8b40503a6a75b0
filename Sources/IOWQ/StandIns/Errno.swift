/// A kernel error number, named as the kernel names it. The ERESTART* values are kernel-internal
/// (they never reach user space) but thread creation returns them, so the model needs them.
public struct Errno: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let EINTR = Errno(rawValue: 4)
    public static let EAGAIN = Errno(rawValue: 11)
    public static let ENOMEM = Errno(rawValue: 12)
    public static let EINVAL = Errno(rawValue: 22)
    public static let ECANCELED = Errno(rawValue: 125)
    public static let ERESTARTSYS = Errno(rawValue: 512)
    public static let ERESTARTNOINTR = Errno(rawValue: 513)
    public static let ERESTARTNOHAND = Errno(rawValue: 514)

    /// Every errno the model or the live kernel's rings report by name (Linux x86-64 numbers).
    static let named: [(String, Errno)] = [
        ("EPERM", Errno(rawValue: 1)), ("ENOENT", Errno(rawValue: 2)), ("EINTR", .EINTR), ("EBADF", Errno(rawValue: 9)),
        ("EAGAIN", .EAGAIN), ("ENOMEM", .ENOMEM), ("EACCES", Errno(rawValue: 13)), ("EFAULT", Errno(rawValue: 14)),
        ("EBUSY", Errno(rawValue: 16)), ("EINVAL", .EINVAL), ("ENFILE", Errno(rawValue: 23)), ("EMFILE", Errno(rawValue: 24)),
        ("ENOSYS", Errno(rawValue: 38)), ("ETIME", Errno(rawValue: 62)), ("EOPNOTSUPP", Errno(rawValue: 95)),
        ("ECANCELED", .ECANCELED), ("ERESTARTSYS", .ERESTARTSYS),
        ("ERESTARTNOINTR", .ERESTARTNOINTR), ("ERESTARTNOHAND", .ERESTARTNOHAND),
    ]

    /// Parses a name such as `EAGAIN` (case-insensitive) or a number.
    public init?(name: String) {
        if let value = Int32(name), value > 0 {
            self.init(rawValue: value)
            return
        }
        guard let match = Errno.named.first(where: { $0.0 == name.uppercased() }) else { return nil }
        self = match.1
    }

    public var name: String { Errno.named.first(where: { $0.1 == self })?.0 ?? "errno \(rawValue)" }
    public var description: String { name }

    /// The errors the seed retries through the system workqueue (io_should_retry_thread).
    public var isRestartable: Bool {
        self == .ERESTARTSYS || self == .ERESTARTNOINTR || self == .ERESTARTNOHAND
    }
}
