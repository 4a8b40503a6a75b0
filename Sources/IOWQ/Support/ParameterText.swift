extension Double {
    /// A rate or probability as the command line spells it: whole numbers without a fraction
    /// ("1000", "1"), others as Swift prints them ("0.1", "1e+300"). Names of schedules, plans and
    /// scenarios use it, so a configuration's name parses back to itself. Never traps: a value too
    /// large for an Int (or not finite) is printed as a Double.
    public var parameterText: String {
        isFinite && abs(self) < 1e15 && self == rounded() ? String(Int(self)) : String(self)
    }
}
