// TimeZone reads the system tz database itself (g++ 12 has no std::chrono::locate_zone). These
// tests pin its offsets at the DST changes of real zones, compare it with glibc's own reading of
// the same files over two centuries (the rule after 2037 included), and refuse names that are not
// zones and files that are not TZif.

#include "server/access/time_zone.hpp"

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

namespace server::access {
namespace {

constexpr lockcore::UnixMs kS = 1000;

std::shared_ptr<const TimeZone> zone(std::string_view name) {
  auto z = TimeZone::locate(name);
  EXPECT_TRUE(z.ok()) << name << ": " << (z.ok() ? "" : z.error());
  return z.ok() ? *z : nullptr;
}

// glibc's offset for `t` in zone `name`, read from the same tz database.
long glibc_offset(const std::string& name, std::time_t t) {
  setenv("TZ", (":" + name).c_str(), 1);
  tzset();
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm.tm_gmtoff;
}

TEST(TimeZone, NewYorkSpringsForwardAndFallsBackAtTwoLocal) {
  auto ny = zone("America/New_York");
  ASSERT_TRUE(ny);
  // 2024-03-10 02:00 EST = 07:00Z; 2024-11-03 02:00 EDT = 06:00Z.
  EXPECT_EQ(ny->offset_at(1710053999 * kS), -5 * 3600);
  EXPECT_EQ(ny->offset_at(1710054000 * kS), -4 * 3600);
  EXPECT_EQ(ny->offset_at(1730613599 * kS), -4 * 3600);
  EXPECT_EQ(ny->offset_at(1730613600 * kS), -5 * 3600);
}

TEST(TimeZone, LondonChangesAtOneUtc) {
  auto london = zone("Europe/London");
  ASSERT_TRUE(london);
  // 2024-03-31 01:00Z and 2024-10-27 01:00Z.
  EXPECT_EQ(london->offset_at(1711846799 * kS), 0);
  EXPECT_EQ(london->offset_at(1711846800 * kS), 3600);
  EXPECT_EQ(london->offset_at(1729990799 * kS), 3600);
  EXPECT_EQ(london->offset_at(1729990800 * kS), 0);
}

TEST(TimeZone, FollowsTheRuleAfterTheLastListedTransition) {
  auto ny = zone("America/New_York");
  ASSERT_TRUE(ny);
  // 2050-03-13 (the second Sunday of March) 07:00Z, far past the file's transition table.
  EXPECT_EQ(ny->offset_at(2530767599 * kS), -5 * 3600);
  EXPECT_EQ(ny->offset_at(2530767600 * kS), -4 * 3600);
}

TEST(TimeZone, AgreesWithGlibcOverTwoCenturiesInZonesOfEveryShape) {
  // Northern and southern DST, half- and quarter-hour offsets, Ireland's negative DST, Morocco's
  // Ramadan changes, a zone without DST.
  const char* names[] = {"America/New_York", "Europe/London",     "Australia/Sydney",
                         "Asia/Kolkata",     "Pacific/Chatham",   "America/St_Johns",
                         "Europe/Dublin",    "Africa/Casablanca", "UTC"};
  // One sample a little over every day, 1950 to 2100, drifting through every hour of the day.
  constexpr std::time_t kFrom = -631152000, kTo = 4102444800, kStep = 86400 + 3917;
  for (const char* name : names) {
    auto z = zone(name);
    ASSERT_TRUE(z);
    int mismatches = 0;
    for (std::time_t t = kFrom; t < kTo && mismatches < 5; t += kStep) {
      const long expected = glibc_offset(name, t);
      const long got = z->offset_at(static_cast<lockcore::UnixMs>(t) * kS);
      if (got != expected) {
        ++mismatches;
        ADD_FAILURE() << name << " at " << t << ": " << got << " != glibc " << expected;
      }
    }
  }
  unsetenv("TZ");
  tzset();
}

TEST(TimeZone, RefusesNamesThatAreNotZones) {
  for (const char* bad :
       {"", "/etc/passwd", "../../etc/passwd", "America/../../etc/passwd", "America//New_York",
        "America/New_York/", "localtime", "posixrules", "Factory", "posix/America/New_York",
        "right/UTC", "zone.tab", "Mars/Olympus_Mons", "America/New_York ", "America/New York",
        "'; DROP TABLE sites; --", "_hidden"}) {
    auto z = TimeZone::locate(bad);
    EXPECT_FALSE(z.ok()) << bad;
  }
  EXPECT_FALSE(TimeZone::locate(std::string(65, 'A')).ok());
  EXPECT_FALSE(TimeZone::locate(std::string("Europe/London\0x", 15)).ok());
  for (const char* good : {"UTC", "Etc/GMT+5", "America/Argentina/Buenos_Aires", "Asia/Kolkata"})
    EXPECT_TRUE(TimeZone::locate(good).ok()) << good;
}

TEST(TimeZone, RefusesEveryTruncationOfARealFile) {
  std::ifstream in("/usr/share/zoneinfo/Europe/London", std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 100u);
  ASSERT_TRUE(TimeZone::parse("Europe/London", bytes).ok());
  for (std::size_t n = 0; n < bytes.size(); ++n)
    EXPECT_FALSE(TimeZone::parse("x", std::span(bytes.data(), n)).ok()) << "length " << n;
  std::vector<std::uint8_t> other = bytes;
  other[0] = 'X';
  EXPECT_FALSE(TimeZone::parse("x", other).ok());
  other = bytes;
  other[4] = '9';  // an unknown version
  EXPECT_FALSE(TimeZone::parse("x", other).ok());
}

TEST(TimeZone, RefusesLeapSecondZones) {
  std::ifstream in("/usr/share/zoneinfo/right/UTC", std::ios::binary);
  if (!in) GTEST_SKIP() << "this tzdata has no right/ zones";
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  auto z = TimeZone::parse("right/UTC", bytes);
  ASSERT_FALSE(z.ok());
  EXPECT_EQ(z.error(), "leap-second zones are not supported");
}

TEST(TimeZone, ParsesPosixRules) {
  auto us = TimeZone::parse_rule("EST5EDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(us.ok()) << us.error();
  EXPECT_EQ(us->std_offset, -5 * 3600);
  EXPECT_EQ(us->dst_offset, -4 * 3600);
  EXPECT_EQ(us->start.month, 3);
  EXPECT_EQ(us->start.week, 2);
  EXPECT_EQ(us->end.time_s, 7200);

  auto india = TimeZone::parse_rule("IST-5:30");
  ASSERT_TRUE(india.ok());
  EXPECT_FALSE(india->has_dst);
  EXPECT_EQ(india->std_offset, 5 * 3600 + 1800);

  auto quoted = TimeZone::parse_rule("<-03>3<-02>,M3.5.0/-2,M10.5.0/-1");
  ASSERT_TRUE(quoted.ok()) << quoted.error();
  EXPECT_EQ(quoted->start.time_s, -7200);

  auto all_year = TimeZone::parse_rule("EST5EDT,0/0,J365/25");
  ASSERT_TRUE(all_year.ok()) << all_year.error();
  EXPECT_EQ(TimeZone::rule_offset_at(*all_year, 1719835200), -4 * 3600);  // mid-2024

  for (const char* bad : {"", "E5", "EST", "EST5EDT", "EST5EDT,M3.2.0", "EST5EDT,M13.2.0,M11.1.0",
                          "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0", "EST5EDT,J0,J365",
                          "EST5EDT,366,0", "EST5EDT,M3.2.0/168,M11.1.0", "EST25", "EST5:60",
                          "EST5EDT,M3.2.0,M11.1.0x", "<EST5", "<E>5"}) {
    EXPECT_FALSE(TimeZone::parse_rule(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace server::access
