#include "server/lockout/diagnosis/fact_text.hpp"

#include <chrono>

namespace server::lockout {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string_view finish(ShortText& out, const fmt::format_to_n_result<char*>& r) {
  return {out.data(), std::min<std::size_t>(r.size, out.size())};
}

}  // namespace

std::string_view render(const At& at, ShortText& out) {
  using namespace std::chrono;
  if (at.t == 0) return finish(out, fmt::format_to_n(out.data(), out.size(), "an unknown time"));
  const auto offset = minutes(at.clock.utc_offset_min);
  const auto local = sys_time<milliseconds>(milliseconds(at.t)) + offset;
  const auto local_now = sys_time<milliseconds>(milliseconds(at.clock.now)) + offset;
  const auto day = floor<days>(local);
  const hh_mm_ss hms(floor<minutes>(local - day));
  const auto h = hms.hours().count();
  const auto m = hms.minutes().count();
  if (day == floor<days>(local_now))
    return finish(out, fmt::format_to_n(out.data(), out.size(), "{:02}:{:02}", h, m));
  const year_month_day date(day);
  const auto month = kMonths[static_cast<unsigned>(date.month()) - 1];
  return finish(out, fmt::format_to_n(out.data(), out.size(), "{} {} {:02}:{:02}", month,
                                      static_cast<unsigned>(date.day()), h, m));
}

std::string_view render(const Span& span, ShortText& out) {
  const std::int64_t s = span.ms < 0 ? 0 : span.ms / 1000;
  if (s < 90) return finish(out, fmt::format_to_n(out.data(), out.size(), "{} s", s));
  if (s < 90 * 60)
    return finish(out, fmt::format_to_n(out.data(), out.size(), "{} min", (s + 30) / 60));
  if (s < 36 * 3600)
    return finish(out, fmt::format_to_n(out.data(), out.size(), "{} h", (s + 1800) / 3600));
  return finish(out, fmt::format_to_n(out.data(), out.size(), "{} d", (s + 43200) / 86400));
}

}  // namespace server::lockout
