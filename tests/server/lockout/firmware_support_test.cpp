// Which lock firmware the app speaks: the snapshot's firmware_compat from the version the lock
// reports and the app version the phone sends (server/lockout/firmware_support.hpp).

#include "server/lockout/firmware_support.hpp"

#include <gtest/gtest.h>

namespace server::lockout {
namespace {

TEST(FirmwareSupport, FirmwareOneIsTooOldForAnyCurrentAppWhateverTheAppSays) {
  EXPECT_EQ(firmware_compat_of("1.0.0", ""), FirmwareCompat::firmware_too_old);
  EXPECT_EQ(firmware_compat_of("1.9.3", "7.0.0"), FirmwareCompat::firmware_too_old);
}

TEST(FirmwareSupport, TheCurrentFirmwareNeedsAnAppFromItsGeneration) {
  EXPECT_EQ(firmware_compat_of("2.4.1", "5.2.0"), FirmwareCompat::compatible);
  EXPECT_EQ(firmware_compat_of("2.4.1", "4.9.9"), FirmwareCompat::app_too_old);
  EXPECT_EQ(firmware_compat_of("3.0.0", "5.2.0"), FirmwareCompat::app_too_old);
  EXPECT_EQ(firmware_compat_of("3.0.0", "6.0.0"), FirmwareCompat::compatible);
}

TEST(FirmwareSupport, AnUnknownAppVersionSaysNothingAgainstAKnownFirmware) {
  EXPECT_EQ(firmware_compat_of("2.4.1", ""), FirmwareCompat::compatible);
  EXPECT_EQ(firmware_compat_of("2.4.1", "five"), FirmwareCompat::compatible);
}

TEST(FirmwareSupport, WhatTheTableDoesNotKnowIsUnknownNeverBroken) {
  EXPECT_EQ(firmware_compat_of("9.0.0", "5.2.0"), FirmwareCompat::unknown);
  EXPECT_EQ(firmware_compat_of("", "5.2.0"), FirmwareCompat::unknown);
  EXPECT_EQ(firmware_compat_of("v2.4", "5.2.0"), FirmwareCompat::unknown);
  EXPECT_EQ(firmware_compat_of(".4.1", "5.2.0"), FirmwareCompat::unknown);
  EXPECT_EQ(firmware_compat_of("-1.0", "5.2.0"), FirmwareCompat::unknown);
}

}  // namespace
}  // namespace server::lockout
