import Foundation
public import SelectionCore

extension Schedule {
    /// Whether the schedule allows showing at `now` (Unix seconds): `start` inclusive, `end`
    /// exclusive; weekday and hour read in the schedule's time zone (UTC when none).
    public func isActive(at now: Int64) -> Bool {
        if let start, now < start { return false }
        if let end, now >= end { return false }
        guard !weekdays.isEmpty || startHour != nil || endHour != nil else { return true }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: TimeInterval(now))
        let parts = calendar.dateComponents([.weekday, .hour], from: date)
        // Calendar's weekday is 1 Sunday … 7 Saturday; ours is 1 Monday … 7 Sunday.
        let weekday = ((parts.weekday ?? 1) + 5) % 7 + 1
        if !weekdays.isEmpty, !weekdays.contains(weekday) { return false }
        let hour = parts.hour ?? 0
        if let startHour, hour < startHour { return false }
        if let endHour, hour >= endHour { return false }
        return true
    }

    static let weekdayNames = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]
}
