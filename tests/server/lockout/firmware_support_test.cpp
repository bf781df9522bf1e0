// Which lock firmware the app speaks: the snapshot's firmware_compat from the version the lock
// reports and the app version the phone sends (server/lockout/firmware_support.hpp).

#include "server/lockout/firmware_support.hpp"

#include <gtest/gtest.h>

namespace server::lockout {
namespace {

struct Case {
  const char* firmware;
  const char* app;
  FirmwareCompat expected;
  const char* why;
};

TEST(FirmwareSupport, TheFirmwaresGenerationAndTheAppsVersionDecide) {
  using F = FirmwareCompat;
  const Case cases[] = {
      {"1.0.0", "", F::firmware_too_old, "no current app pairs with firmware 1"},
      {"1.9.3", "7.0.0", F::firmware_too_old, "whatever the app says"},
      {"2.4.1", "5.2.0", F::compatible, "the current generation"},
      {"2.4.1", "4.9.9", F::app_too_old, "firmware 2 needs app 5"},
      {"3.0.0", "5.2.0", F::app_too_old, "firmware 3 needs app 6"},
      {"3.0.0", "6.0.0", F::compatible, "app 6 speaks firmware 3"},
      {"2.4.1", "", F::compatible, "an unknown app says nothing against a known firmware"},
      {"2.4.1", "five", F::compatible, "nor does one that does not parse"},
      {"9.0.0", "5.2.0", F::unknown, "a generation the table does not know"},
      {"", "5.2.0", F::unknown, "never reported"},
      {"v2.4", "5.2.0", F::unknown, "does not parse"},
      {".4.1", "5.2.0", F::unknown, "no major"},
      {"-1.0", "5.2.0", F::unknown, "negative"},
  };
  for (const Case& c : cases)
    EXPECT_EQ(firmware_compat_of(c.firmware, c.app), c.expected)
        << c.firmware << " / " << c.app << ": " << c.why;
}

}  // namespace
}  // namespace server::lockout
