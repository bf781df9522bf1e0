#pragma once
// Which lock firmware the Latchkey app speaks over Bluetooth: the data behind the snapshot's
// firmware_compat, from the firmware version the lock reports in its `state` and the app version
// the reporting phone sends. The Bluetooth protocol changes with the firmware's major version:
//   firmware 1.x   no current app pairs with it (its protocol was retired with app 5.0)
//   firmware 2.x   app 5.0 and later
//   firmware 3.x   app 6.0 and later
// A firmware major this table does not know, or a version that does not parse, is `unknown`
// (never read as broken); an app version that is unknown or does not parse says nothing about
// the app, so a known firmware the current app speaks is `compatible`.

#include <string_view>

#include "server/lockout/diagnosis/snapshot.hpp"

namespace server::lockout {

FirmwareCompat firmware_compat_of(std::string_view firmware, std::string_view app_version);

}  // namespace server::lockout
