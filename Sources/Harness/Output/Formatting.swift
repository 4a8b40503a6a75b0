/// Numbers as the CSV and the terminal show them: fixed decimals, no exponent, empty for "none".
public enum Format {
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        let whole = Int(rounded / scale)
        let fraction = Int(rounded) - whole * Int(scale)
        let sign = value < 0 && rounded > 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
    }

    /// "1 trial", "5 trials".
    public static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

    static func optional(_ value: Double?, _ decimals: Int) -> String {
        value.map { fixed($0, decimals) } ?? ""
    }

    /// A duration in seconds for people: 850ms, 12.3s, 2m05s.
    static func human(seconds: Double) -> String {
        if seconds < 1 { return "\(Int(seconds * 1000))ms" }
        if seconds < 60 { return fixed(seconds, 1) + "s" }
        let whole = Int(seconds)
        let remainder = whole % 60
        return "\(whole / 60)m" + (remainder < 10 ? "0" : "") + "\(remainder)s"
    }

    /// A short duration as the command line spells one (`parseDuration` reads it back): 100us, 1ms, 2s.
    static func spelled(_ duration: Duration) -> String {
        let nanoseconds = duration.nanoseconds
        if nanoseconds % 1_000_000_000 == 0 && nanoseconds > 0 { return "\(nanoseconds / 1_000_000_000)s" }
        if nanoseconds % 1_000_000 == 0 && nanoseconds > 0 { return "\(nanoseconds / 1_000_000)ms" }
        return "\(nanoseconds / 1000)us"
    }
}
