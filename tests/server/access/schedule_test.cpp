// Weekly schedules: parsed strictly ("Mo-Fr 08:00-17:00" and nothing loosely like it), written
// back canonically, and evaluated on the site's wall clock through DST changes.

#include "server/access/schedule.hpp"

#include <gtest/gtest.h>

namespace server::access {
namespace {

constexpr lockcore::UnixMs kS = 1000;

lockcore::WeeklySchedule parsed(std::string_view text) {
  auto s = parse_schedule(text);
  EXPECT_TRUE(s.ok()) << text << ": " << (s.ok() ? "" : s.error());
  return s.ok() ? *s : lockcore::WeeklySchedule{};
}

std::shared_ptr<const TimeZone> zone(std::string_view name) {
  auto z = TimeZone::locate(name);
  EXPECT_TRUE(z.ok());
  return *z;
}

TEST(Schedule, ParsesDaysRangesListsAndWrappingRanges) {
  auto weekdays = parsed("Mo-Fr 08:00-17:00");
  EXPECT_EQ(weekdays.days_mask, 0b0011111);
  EXPECT_EQ(weekdays.start_min, 8 * 60);
  EXPECT_EQ(weekdays.end_min, 17 * 60);
  EXPECT_EQ(parsed("Sa,Su 10:00-14:30").days_mask, 0b1100000);
  EXPECT_EQ(parsed("Fr-Mo 00:00-24:00").days_mask, 0b1110001);
  EXPECT_EQ(parsed("Fr-Mo 00:00-24:00").end_min, 1440);
  EXPECT_EQ(parsed("Mo,We,Fr 06:05-06:06").days_mask, 0b0010101);
  EXPECT_EQ(parsed("Su 23:59-24:00").start_min, 23 * 60 + 59);
}

TEST(Schedule, WritesTheCanonicalForm) {
  EXPECT_EQ(format_schedule(parsed("Mo,Tu,We,Th,Fr 08:00-17:00")), "Mo-Fr 08:00-17:00");
  EXPECT_EQ(format_schedule(parsed("Fr-Mo 00:00-24:00")), "Mo,Fr-Su 00:00-24:00");
  EXPECT_EQ(format_schedule(parsed("We,Mo 09:30-10:00")), "Mo,We 09:30-10:00");
  EXPECT_EQ(format_schedule({}), "");
  for (const char* text : {"Mo-Fr 08:00-17:00", "Mo,We,Fr 06:05-06:06", "Sa-Su 10:00-14:30"})
    EXPECT_EQ(format_schedule(parsed(format_schedule(parsed(text)))),
              format_schedule(parsed(text)));
}

TEST(Schedule, RefusesAnythingNotExactlyTheGrammar) {
  const std::string bad[] = {
      "",
      "Mo-Fr",
      "08:00-17:00",
      "mo-fr 08:00-17:00",
      "MO-FR 08:00-17:00",
      "Mon-Fri 08:00-17:00",
      "Mo-Fr  08:00-17:00",
      " Mo-Fr 08:00-17:00",
      "Mo-Fr 08:00-17:00 ",
      "Mo-Fr 08:00-17:00\n",
      "Mo-Fr\t08:00-17:00",
      "Mo-Fr 8:00-17:00",
      "Mo-Fr 08:00-7:00",
      "Mo-Fr 08:00 - 17:00",
      "Mo-Fr 08:00_17:00",
      "Mo-Fr 08:60-17:00",
      "Mo-Fr 24:00-24:00",
      "Mo-Fr 08:00-24:01",
      "Mo-Fr 08:00-25:00",
      "Mo-Fr 17:00-08:00",
      "Mo-Fr 22:00-06:00",
      "Mo-Fr 08:00-08:00",
      "Mo,Mo 08:00-09:00",
      "Mo-Fr,We 08:00-09:00",
      "Mo-Mo 08:00-09:00",
      "Mo- 08:00-09:00",
      "-Fr 08:00-09:00",
      "Mo,,Fr 08:00-09:00",
      "Mo, 08:00-09:00",
      ",Mo 08:00-09:00",
      "Mo-Fr-Su 08:00-09:00",
      "Xx 08:00-09:00",
      "Mo\xE2\x80\x93"
      "Fr 08:00-17:00",  // an en dash
      "Mo-Fr 08:00-17:00'; DROP TABLE memberships; --",
      "Mo-Fr 0８:00-17:00",
      "Mo-Fr +8:00-17:00",
      std::string("Mo-Fr 08:00-17:00\0", 18),
      std::string(65, 'M'),
  };
  for (const std::string& text : bad) {
    auto s = parse_schedule(text);
    EXPECT_FALSE(s.ok()) << "accepted \"" << text << "\"";
    if (!s.ok()) {
      EXPECT_TRUE(s.error().starts_with("schedule: ")) << s.error();
    }
  }
}

TEST(Schedule, NamesWhatIsWrong) {
  EXPECT_EQ(parse_schedule("Mo,Mo 08:00-09:00").error(), "schedule: Mo is named twice");
  EXPECT_EQ(parse_schedule("Mo-Fr 17:00-08:00").error(),
            "schedule: the end must be after the start, on the same day");
  EXPECT_EQ(parse_schedule("Xx 08:00-09:00").error(),
            "schedule: \"Xx\" is not a day (Mo Tu We Th Fr Sa Su) or a range");
}

TEST(Schedule, FollowsTheWallClockInNewYorkAcrossBothChanges) {
  auto ny = zone("America/New_York");
  // Sunday 2024-03-10 08:00 EDT = 12:00Z; a week earlier 08:00 EST = 13:00Z.
  const auto sunday_morning = parsed("Su 08:00-09:00");
  EXPECT_TRUE(schedule_allows(sunday_morning, 1710072000 * kS, *ny));
  EXPECT_FALSE(schedule_allows(sunday_morning, 1710075600 * kS, *ny));  // 09:00 EDT
  EXPECT_FALSE(schedule_allows(sunday_morning, 1710068399 * kS, *ny));  // 07:59:59 EDT
  EXPECT_TRUE(schedule_allows(sunday_morning, 1709470800 * kS, *ny));   // 03-03 08:00 EST
  EXPECT_FALSE(schedule_allows(sunday_morning, 1709467200 * kS, *ny));  // 03-03 07:00 EST

  // The hour that does not exist on 2024-03-10 (02:00-03:00) is never inside.
  const auto lost_hour = parsed("Su 02:00-03:00");
  for (lockcore::UnixMs t = 1710050400; t < 1710061200; t += 60)  // 06:00Z to 09:00Z
    EXPECT_FALSE(schedule_allows(lost_hour, t * kS, *ny)) << t;

  // The hour that happens twice on 2024-11-03 (01:00-02:00) is inside both times: 05:00Z-07:00Z.
  const auto doubled_hour = parsed("Su 01:00-02:00");
  EXPECT_FALSE(schedule_allows(doubled_hour, 1730609999 * kS, *ny));  // 00:59:59 EDT
  EXPECT_TRUE(schedule_allows(doubled_hour, 1730610000 * kS, *ny));   // 01:00 EDT
  EXPECT_TRUE(schedule_allows(doubled_hour, 1730613599 * kS, *ny));   // 01:59:59 EDT
  EXPECT_TRUE(schedule_allows(doubled_hour, 1730613600 * kS, *ny));   // 01:00 EST
  EXPECT_TRUE(schedule_allows(doubled_hour, 1730617199 * kS, *ny));   // 01:59:59 EST
  EXPECT_FALSE(schedule_allows(doubled_hour, 1730617200 * kS, *ny));  // 02:00 EST
}

TEST(Schedule, FollowsTheWallClockInLondon) {
  auto london = zone("Europe/London");
  const auto sunday_morning = parsed("Su 08:00-09:00");
  // 2024-03-31 is the first day of BST: 08:00 BST = 07:00Z.
  EXPECT_TRUE(schedule_allows(sunday_morning, 1711868400 * kS, *london));
  EXPECT_FALSE(schedule_allows(sunday_morning, 1711872000 * kS, *london));  // 09:00 BST
  // 2024-10-27 is the first day of GMT again: 08:00 GMT = 08:00Z.
  EXPECT_FALSE(schedule_allows(sunday_morning, 1730012400 * kS, *london));  // 07:00 GMT
  EXPECT_TRUE(schedule_allows(sunday_morning, 1730016000 * kS, *london));
  // The day boundary is local too: Saturday 23:30 BST is Saturday, though it is Sunday nowhere
  // yet and 22:30Z.
  EXPECT_FALSE(schedule_allows(parsed("Su 00:00-24:00"), 1719700200 * kS, *london));
  EXPECT_TRUE(schedule_allows(parsed("Sa 23:00-24:00"), 1719700200 * kS, *london));
}

TEST(Schedule, NoScheduleAllowsAnyTime) {
  auto utc = zone("UTC");
  EXPECT_TRUE(schedule_allows({}, 0, *utc));
  EXPECT_TRUE(schedule_allows({}, 1710072000 * kS, *utc));
}

}  // namespace
}  // namespace server::access
