import Foundation

/// Whether `text` is a timestamp this contract accepts (see ``unixSeconds(iso8601:)``).
public func isISO8601Timestamp(_ text: String) -> Bool { unixSeconds(iso8601: text) != nil }

/// `YYYY-MM-DDTHH:MM(:SS(.fff))(Z|±HH:MM)` as Unix seconds, or nil when it is not one
/// (checked by shape and ranges; fractions of a second are dropped).
public func unixSeconds(iso8601 text: String) -> Int64? {
    let bytes = Array(text.utf8)
    func digits(_ range: Range<Int>) -> Int? {
        guard range.upperBound <= bytes.count else { return nil }
        var value = 0
        for index in range {
            guard bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
            value = value * 10 + Int(bytes[index] - 0x30)
        }
        return value
    }
    guard bytes.count >= 17, let year = digits(0..<4), bytes[4] == 0x2D, let month = digits(5..<7), bytes[7] == 0x2D,
          let day = digits(8..<10), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
          let hour = digits(11..<13), bytes[13] == 0x3A, let minute = digits(14..<16),
          (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60 else { return nil }
    var second = 0
    var index = 16
    if index < bytes.count, bytes[index] == 0x3A {
        guard let parsed = digits(17..<19), parsed <= 60 else { return nil }
        second = parsed
        index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            guard index > start else { return nil }
        }
    }
    guard index < bytes.count else { return nil }
    var offsetSeconds = 0
    if bytes[index] == UInt8(ascii: "Z") {
        guard index + 1 == bytes.count else { return nil }
    } else {
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), index + 6 == bytes.count,
              let offsetHour = digits((index + 1)..<(index + 3)), bytes[index + 3] == 0x3A,
              let offsetMinute = digits((index + 4)..<(index + 6)), offsetHour < 24, offsetMinute < 60 else { return nil }
        offsetSeconds = (offsetHour * 3600 + offsetMinute * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
    }
    let days = daysFromCivil(year: year, month: month, day: day)
    return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
}

func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse).
func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}
