#include "server/access/schedule.hpp"

#include <array>

#include "lockcore/credential_table.hpp"

namespace server::access {

namespace {

constexpr std::array<std::string_view, 7> kDays = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};

int day_index(std::string_view text) {
  for (std::size_t i = 0; i < kDays.size(); ++i)
    if (kDays[i] == text) return static_cast<int>(i);
  return -1;
}

// "HH:MM" as minutes of the day; -1 when malformed. `allow_24` admits "24:00".
int minutes(std::string_view text, bool allow_24) {
  if (text.size() != 5 || text[2] != ':') return -1;
  for (std::size_t i : {0, 1, 3, 4})
    if (text[i] < '0' || text[i] > '9') return -1;
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59) return -1;
  if (h == 24 && m == 0 && allow_24) return 1440;
  if (h > 23) return -1;
  return h * 60 + m;
}

lockcore::Failure<std::string> bad(std::string what) {
  return lockcore::fail("schedule: " + what);
}

std::string hhmm(int total) {
  const int h = total / 60, m = total % 60;
  return {static_cast<char>('0' + h / 10), static_cast<char>('0' + h % 10), ':',
          static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10)};
}

}  // namespace

lockcore::Result<lockcore::WeeklySchedule, std::string> parse_schedule(std::string_view text) {
  if (text.empty()) return bad("is empty");
  if (text.size() > kMaxScheduleLength) return bad("is longer than 64 characters");
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos || text.find(' ', space + 1) != std::string_view::npos)
    return bad("must be days, one space, then HH:MM-HH:MM, e.g. \"Mo-Fr 08:00-17:00\"");
  std::string_view days = text.substr(0, space);
  const std::string_view times = text.substr(space + 1);

  lockcore::WeeklySchedule out;
  while (true) {
    const std::size_t comma = days.find(',');
    const std::string_view item = days.substr(0, comma);
    int first = -1, last = -1;
    if (item.size() == 2) {
      first = last = day_index(item);
    } else if (item.size() == 5 && item[2] == '-') {
      first = day_index(item.substr(0, 2));
      last = day_index(item.substr(3, 2));
      if (first == last && first >= 0) return bad("\"" + std::string(item) + "\" is not a range");
    }
    if (first < 0 || last < 0)
      return bad("\"" + std::string(item) + "\" is not a day (Mo Tu We Th Fr Sa Su) or a range");
    for (int d = first;; d = (d + 1) % 7) {
      const auto bit = static_cast<std::uint8_t>(1U << d);
      if (out.days_mask & bit) return bad(std::string(kDays[d]) + " is named twice");
      out.days_mask |= bit;
      if (d == last) break;
    }
    if (comma == std::string_view::npos) break;
    days.remove_prefix(comma + 1);
  }

  const int start = times.size() == 11 && times[5] == '-' ? minutes(times.substr(0, 5), false) : -1;
  const int end = start >= 0 ? minutes(times.substr(6, 5), true) : -1;
  if (start < 0 || end < 0) return bad("the times must be HH:MM-HH:MM (00:00 to 24:00)");
  if (end <= start) return bad("the end must be after the start, on the same day");
  out.start_min = static_cast<std::uint16_t>(start);
  out.end_min = static_cast<std::uint16_t>(end);
  return out;
}

std::string format_schedule(const lockcore::WeeklySchedule& s) {
  if (s.days_mask == 0) return {};
  std::string days;
  for (int d = 0; d < 7;) {
    if (!(s.days_mask >> d & 1U)) {
      ++d;
      continue;
    }
    int last = d;
    while (last + 1 < 7 && (s.days_mask >> (last + 1) & 1U))
      ++last;
    if (!days.empty()) days += ',';
    days += kDays[d];
    if (last > d) days.append("-").append(kDays[last]);
    d = last + 1;
  }
  return days + " " + hhmm(s.start_min) + "-" + hhmm(s.end_min);
}

bool schedule_allows(const lockcore::WeeklySchedule& schedule, lockcore::UnixMs now,
                     const TimeZone& zone) {
  const std::int32_t offset_s = zone.offset_at(now);
  // Whole minutes: every offset in use since 1972 is one.
  const auto offset_min =
      static_cast<std::int16_t>(offset_s >= 0 ? offset_s / 60 : -((-offset_s + 59) / 60));
  return lockcore::schedule_allows(schedule, now, offset_min);
}

}  // namespace server::access
