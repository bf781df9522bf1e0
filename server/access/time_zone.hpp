#pragma once
// TimeZone: an IANA time zone ("America/New_York") read from the system's tz database, for
// deciding what the local wall-clock time is at an instant: schedules ("Mo-Fr 08:00-17:00") are in
// the site's local time, and a lock's `utc_offset_min` follows the site's offset.
//
// Why our own reader: g++ 12's libstdc++ has the C++20 calendar types but not the time-zone
// database (std::chrono::locate_zone arrives in g++ 13), and Debian's Howard Hinnant date/tz
// (libhowardhinnant-date-dev, built with USE_OS_TZDB) ignores the TZif footer rule: measured
// against glibc it is wrong by the DST hour for every instant after 2037. The compiled zone files
// (TZif, RFC 8536) in /usr/share/zoneinfo (Debian's tzdata; $TZDIR overrides) are small and
// precisely specified: a table of transitions (UTC instant -> offset) and, for instants after the
// last one, a POSIX TZ rule ("EST5EDT,M3.2.0,M11.1.0") that this reader evaluates too. Only the UTC
// -> local direction is offered, which is always unambiguous; a schedule therefore follows the wall
// clock through DST changes (a window 01:00-02:00 lasts two real hours on the night clocks fall
// back and none on the night they spring forward over it).
//
// A loaded zone is immutable and cached for the life of the process; locate() is thread-safe.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lockcore/result.hpp"
#include "lockcore/types.hpp"

namespace server::access {

class TimeZone {
 public:
  // The zone named `name` from the tz database. Errors (a message naming the zone): a name that
  // is not of the IANA form (1-64 characters, '/'-separated parts of [A-Za-z0-9_+-] each starting
  // with a letter; "localtime", "posixrules", "Factory" and the posix/ and right/ trees are not
  // zones), no such zone, or a file that is not a valid TZif file without leap seconds.
  static lockcore::Result<std::shared_ptr<const TimeZone>, std::string> locate(
      std::string_view name);

  // Reads TZif bytes (versions 1-4). Errors: a message saying what is malformed.
  static lockcore::Result<TimeZone, std::string> parse(std::string name,
                                                       std::span<const std::uint8_t> tzif);

  const std::string& name() const { return name_; }

  // Seconds east of UTC at the instant `t`: local wall-clock time = t + offset.
  std::int32_t offset_at(lockcore::UnixMs t) const;

  // The rule after the last transition (a POSIX TZ string), exposed for the tests.
  struct Rule {
    struct Date {
      enum class Kind { julian_no_leap, zero_based, month_week_day } kind = Kind::month_week_day;
      int day = 0;                 // Jn: 1..365; n: 0..365; Mm.w.d: d = weekday, 0 = Sunday
      int month = 0, week = 0;     // Mm.w.d only: 1..12 and 1..5 (5 = the last)
      std::int32_t time_s = 7200;  // local time of day of the change, -167h..167h
    };
    std::int32_t std_offset = 0;  // seconds east of UTC
    bool has_dst = false;
    std::int32_t dst_offset = 0;
    Date start, end;  // DST starts at `start` (standard local time), ends at `end` (DST time)
  };
  // Parses the TZ string of a TZif footer. Errors: a message.
  static lockcore::Result<Rule, std::string> parse_rule(std::string_view text);
  static std::int32_t rule_offset_at(const Rule& rule, std::int64_t utc_s);

 private:
  std::string name_;
  std::vector<std::int64_t> transitions_;  // UTC seconds, ascending
  std::vector<std::uint8_t> type_of_;      // the type in force from each transition on
  std::vector<std::int32_t> offsets_;      // per type, seconds east of UTC
  bool has_rule_ = false;
  Rule rule_;
};

}  // namespace server::access
