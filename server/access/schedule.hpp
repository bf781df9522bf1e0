#pragma once
// A membership's weekly schedule, "Mo-Fr 08:00-17:00", in the site's local time. It has the shape
// of the lock's own lockcore::WeeklySchedule (one set of days, one time range each day), so the
// keypad-code integration can put a membership's schedule on a lock unchanged.
//
// Grammar (strict: one space between days and times, nothing else anywhere):
//   schedule = days " " time "-" time
//   days     = item *("," item)          item = day | day "-" day   (a range may wrap: "Fr-Mo")
//   day      = "Mo" | "Tu" | "We" | "Th" | "Fr" | "Sa" | "Su"
//   time     = HH ":" MM                 00:00..23:59; the end may be 24:00
// The range is [start, end) and must not be empty or run past midnight ("22:00-06:00" is two
// memberships' worth: a lock holds one range a day). A day named twice is refused.

#include <string>
#include <string_view>

#include "lockcore/result.hpp"
#include "lockcore/types.hpp"
#include "server/access/time_zone.hpp"

namespace server::access {

inline constexpr std::size_t kMaxScheduleLength = 64;

// Errors: a message naming what is wrong (empty or too long, an unknown day, a day named twice,
// a time not HH:MM in range, an end not after the start).
lockcore::Result<lockcore::WeeklySchedule, std::string> parse_schedule(std::string_view text);

// The canonical text: days in Monday-first order, runs of two or more as ranges ("Mo-Fr",
// "Mo,We,Fr", "Mo,Fr-Su"). "" for no schedule (days_mask 0).
std::string format_schedule(const lockcore::WeeklySchedule& schedule);

// Whether `now` falls inside the schedule in `zone`'s local wall-clock time (no schedule: always).
bool schedule_allows(const lockcore::WeeklySchedule& schedule, lockcore::UnixMs now,
                     const TimeZone& zone);

}  // namespace server::access
