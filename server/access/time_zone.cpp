#include "server/access/time_zone.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>

namespace server::access {

namespace {

namespace chr = std::chrono;

constexpr std::size_t kMaxNameLength = 64;
constexpr std::uintmax_t kMaxFileBytes = 1 << 20;
constexpr std::int32_t kMaxOffset = 26 * 3600;

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '+' || c == '-';
}
bool is_letter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool is_zone_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  if (name == "localtime" || name == "posixrules" || name == "Factory") return false;
  if (name.starts_with("posix/") || name.starts_with("right/")) return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(start, end - start);
    if (part.empty() || !is_letter(part.front()) ||
        !std::all_of(part.begin(), part.end(), is_name_char))
      return false;
    start = end + 1;
  }
  return true;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Big-endian reads over the file's bytes, each refusing to run past the end.
class Bytes {
 public:
  explicit Bytes(std::span<const std::uint8_t> data) : data_(data) {}
  bool has(std::size_t n) const { return data_.size() - pos_ >= n; }
  std::uint64_t big_endian(std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i)
      v = v << 8 | data_[pos_ + i];
    pos_ += n;
    return v;
  }
  std::int64_t time(std::size_t size) {
    std::uint64_t v = big_endian(size);
    if (size == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
  }
  void skip(std::size_t n) { pos_ += n; }
  std::size_t pos() const { return pos_; }
  std::string_view rest() const {
    return {reinterpret_cast<const char*>(data_.data()) + pos_, data_.size() - pos_};
  }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
};

struct Header {
  char version = 0;
  std::uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
  std::size_t block_size(std::size_t time_size) const {
    return std::size_t{timecnt} * time_size + timecnt + std::size_t{typecnt} * 6 + charcnt +
           std::size_t{leapcnt} * (time_size + 4) + isstdcnt + isutcnt;
  }
};

lockcore::Result<Header, std::string> read_header(Bytes& in) {
  if (!in.has(44)) return lockcore::fail(std::string("truncated header"));
  std::string_view magic = in.rest().substr(0, 4);
  if (magic != "TZif") return lockcore::fail(std::string("not a TZif file"));
  in.skip(4);
  Header h;
  h.version = static_cast<char>(in.big_endian(1));
  if (h.version != 0 && (h.version < '2' || h.version > '4'))
    return lockcore::fail(std::string("unknown TZif version"));
  in.skip(15);
  std::uint32_t* counts[] = {&h.isutcnt, &h.isstdcnt, &h.leapcnt,
                             &h.timecnt, &h.typecnt,  &h.charcnt};
  for (std::uint32_t* c : counts)
    *c = static_cast<std::uint32_t>(in.big_endian(4));
  if (h.typecnt == 0 || h.charcnt == 0 || (h.isutcnt != 0 && h.isutcnt != h.typecnt) ||
      (h.isstdcnt != 0 && h.isstdcnt != h.typecnt))
    return lockcore::fail(std::string("inconsistent counts in the header"));
  if (h.leapcnt != 0) return lockcore::fail(std::string("leap-second zones are not supported"));
  return h;
}

// Parses [+-]hh[:mm[:ss]] with hh <= max_hours into seconds.
bool parse_hms(std::string_view& s, int max_hours, std::int32_t& out) {
  int sign = 1;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    sign = s.front() == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  std::int32_t parts[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (s.empty() || s.front() != ':') break;
      s.remove_prefix(1);
    }
    std::size_t digits = 0;
    std::int32_t v = 0;
    while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9' && digits < 3)
      v = v * 10 + (s[digits++] - '0');
    if (digits == 0 || (i > 0 && digits != 2)) return false;
    parts[i] = v;
    s.remove_prefix(digits);
  }
  if (parts[0] > max_hours || parts[1] > 59 || parts[2] > 59) return false;
  out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
  return true;
}

bool parse_abbreviation(std::string_view& s) {
  std::size_t n = 0;
  if (!s.empty() && s.front() == '<') {
    std::size_t close = s.find('>');
    if (close == std::string_view::npos || close < 4) return false;
    for (char c : s.substr(1, close - 1))
      if (!is_letter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-') return false;
    n = close + 1;
  } else {
    while (n < s.size() && is_letter(s[n]))
      ++n;
    if (n < 3) return false;
  }
  s.remove_prefix(n);
  return true;
}

bool parse_number(std::string_view& s, int min, int max, int& out) {
  std::size_t digits = 0;
  int v = 0;
  while (digits < s.size() && digits < 4 && s[digits] >= '0' && s[digits] <= '9')
    v = v * 10 + (s[digits++] - '0');
  if (digits == 0 || v < min || v > max) return false;
  s.remove_prefix(digits);
  out = v;
  return true;
}

bool parse_date(std::string_view& s, TimeZone::Rule::Date& d) {
  using Kind = TimeZone::Rule::Date::Kind;
  if (s.empty()) return false;
  bool ok = false;
  if (s.front() == 'J') {
    s.remove_prefix(1);
    d.kind = Kind::julian_no_leap;
    ok = parse_number(s, 1, 365, d.day);
  } else if (s.front() == 'M') {
    s.remove_prefix(1);
    d.kind = Kind::month_week_day;
    ok = parse_number(s, 1, 12, d.month) && !s.empty() && s.front() == '.';
    if (ok) s.remove_prefix(1);
    ok = ok && parse_number(s, 1, 5, d.week) && !s.empty() && s.front() == '.';
    if (ok) s.remove_prefix(1);
    ok = ok && parse_number(s, 0, 6, d.day);
  } else {
    d.kind = Kind::zero_based;
    ok = parse_number(s, 0, 365, d.day);
  }
  if (!ok) return false;
  d.time_s = 7200;
  if (!s.empty() && s.front() == '/') {
    s.remove_prefix(1);
    return parse_hms(s, 167, d.time_s);
  }
  return true;
}

// Seconds from the epoch to local midnight of the rule date in `year`, plus its time of day.
std::int64_t local_seconds(const TimeZone::Rule::Date& d, int year) {
  using Kind = TimeZone::Rule::Date::Kind;
  const chr::year y{year};
  chr::sys_days day;
  switch (d.kind) {
    case Kind::julian_no_leap:
      day =
          chr::sys_days(y / chr::January / 1) + chr::days(d.day - 1 + (y.is_leap() && d.day >= 60));
      break;
    case Kind::zero_based:
      day = chr::sys_days(y / chr::January / 1) + chr::days(d.day);
      break;
    case Kind::month_week_day: {
      const chr::month m(static_cast<unsigned>(d.month));
      const chr::weekday wd(static_cast<unsigned>(d.day));
      day = d.week == 5 ? chr::sys_days(y / m / wd[chr::last])
                        : chr::sys_days(y / m / wd[static_cast<unsigned>(d.week)]);
      break;
    }
  }
  return static_cast<std::int64_t>(day.time_since_epoch().count()) * 86400 + d.time_s;
}

lockcore::Result<std::vector<std::uint8_t>, std::string> read_file(const std::filesystem::path& p) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) return lockcore::fail(std::string("no such zone"));
  auto size = std::filesystem::file_size(p, ec);
  if (ec || size > kMaxFileBytes) return lockcore::fail(std::string("unreadable zone file"));
  std::ifstream in(p, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return lockcore::fail(std::string("unreadable zone file"));
  return bytes;
}

}  // namespace

lockcore::Result<TimeZone::Rule, std::string> TimeZone::parse_rule(std::string_view s) {
  auto bad = [](const char* what) { return lockcore::fail("TZ rule: " + std::string(what)); };
  Rule rule;
  std::int32_t west = 0;
  if (!parse_abbreviation(s)) return bad("bad standard-time name");
  if (!parse_hms(s, 24, west)) return bad("bad standard offset");
  rule.std_offset = -west;
  if (s.empty()) return rule;
  rule.has_dst = true;
  if (!parse_abbreviation(s)) return bad("bad daylight-time name");
  rule.dst_offset = rule.std_offset + 3600;
  if (!s.empty() && s.front() != ',') {
    if (!parse_hms(s, 24, west)) return bad("bad daylight offset");
    rule.dst_offset = -west;
  }
  if (s.empty() || s.front() != ',') return bad("daylight time without the dates it applies");
  s.remove_prefix(1);
  if (!parse_date(s, rule.start)) return bad("bad start date");
  if (s.empty() || s.front() != ',') return bad("missing end date");
  s.remove_prefix(1);
  if (!parse_date(s, rule.end)) return bad("bad end date");
  if (!s.empty()) return bad("unexpected text after the end date");
  return rule;
}

std::int32_t TimeZone::rule_offset_at(const Rule& rule, std::int64_t utc_s) {
  if (!rule.has_dst) return rule.std_offset;
  const chr::sys_days day{chr::days(floor_div(utc_s + rule.std_offset, 86400))};
  const int year = static_cast<int>(chr::year_month_day(day).year());
  const std::int64_t start = local_seconds(rule.start, year) - rule.std_offset;
  const std::int64_t end = local_seconds(rule.end, year) - rule.dst_offset;
  const bool dst = start < end ? (utc_s >= start && utc_s < end) : (utc_s < end || utc_s >= start);
  return dst ? rule.dst_offset : rule.std_offset;
}

lockcore::Result<TimeZone, std::string> TimeZone::parse(std::string name,
                                                        std::span<const std::uint8_t> tzif) {
  Bytes in(tzif);
  auto header = read_header(in);
  if (!header) return lockcore::fail(header.error());
  std::size_t time_size = 4;
  if (header->version != 0) {
    if (!in.has(header->block_size(4))) return lockcore::fail(std::string("truncated data"));
    in.skip(header->block_size(4));
    header = read_header(in);
    if (!header) return lockcore::fail(header.error());
    time_size = 8;
  }
  const Header& h = *header;
  if (!in.has(h.block_size(time_size))) return lockcore::fail(std::string("truncated data"));
  TimeZone zone;
  zone.name_ = std::move(name);
  for (std::uint32_t i = 0; i < h.timecnt; ++i) {
    zone.transitions_.push_back(in.time(time_size));
    if (i > 0 && zone.transitions_[i] <= zone.transitions_[i - 1])
      return lockcore::fail(std::string("transitions out of order"));
  }
  for (std::uint32_t i = 0; i < h.timecnt; ++i) {
    zone.type_of_.push_back(static_cast<std::uint8_t>(in.big_endian(1)));
    if (zone.type_of_.back() >= h.typecnt)
      return lockcore::fail(std::string("a transition names an unknown type"));
  }
  for (std::uint32_t i = 0; i < h.typecnt; ++i) {
    const auto offset = static_cast<std::int32_t>(static_cast<std::uint32_t>(in.big_endian(4)));
    if (offset < -kMaxOffset || offset > kMaxOffset)
      return lockcore::fail(std::string("an offset out of range"));
    zone.offsets_.push_back(offset);
    in.skip(2);  // isdst, abbreviation index: not needed for offsets
  }
  in.skip(std::size_t{h.charcnt} + h.isstdcnt + h.isutcnt);
  if (time_size == 8) {
    std::string_view footer = in.rest();
    if (footer.size() < 2 || footer.front() != '\n' || footer.back() != '\n' ||
        footer.find('\n', 1) != footer.size() - 1)
      return lockcore::fail(std::string("malformed footer"));
    footer = footer.substr(1, footer.size() - 2);
    if (!footer.empty()) {
      auto rule = parse_rule(footer);
      if (!rule) return lockcore::fail(rule.error());
      zone.rule_ = *rule;
      zone.has_rule_ = true;
    }
  }
  return zone;
}

std::int32_t TimeZone::offset_at(lockcore::UnixMs t) const {
  const std::int64_t s = floor_div(t, 1000);
  const auto after = std::upper_bound(transitions_.begin(), transitions_.end(), s);
  if (after == transitions_.end() && has_rule_ &&
      (transitions_.empty() || s >= transitions_.back()))
    return rule_offset_at(rule_, s);
  if (after == transitions_.begin()) return offsets_.front();
  return offsets_[type_of_[static_cast<std::size_t>(after - transitions_.begin()) - 1]];
}

lockcore::Result<std::shared_ptr<const TimeZone>, std::string> TimeZone::locate(
    std::string_view name) {
  const std::string quoted = "\"" + std::string(name.substr(0, kMaxNameLength)) + "\"";
  if (!is_zone_name(name)) return lockcore::fail(quoted + " is not an IANA time zone name");
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  const char* dir = std::getenv("TZDIR");
  const std::filesystem::path path =
      std::filesystem::path(dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo") /
      std::string(name);
  auto bytes = read_file(path);
  if (!bytes) return lockcore::fail(quoted + ": " + bytes.error());
  auto zone = parse(std::string(name), *bytes);
  if (!zone) return lockcore::fail(quoted + ": " + zone.error());
  auto shared = std::make_shared<const TimeZone>(std::move(*zone));
  cache.emplace(std::string(name), shared);
  return shared;
}

}  // namespace server::access
