#pragma once
// The plain-language steps a person follows for each recovery action, as the app and the support
// console show them. Static text: nothing here is formatted per case.

#include <span>
#include <string_view>

#include "server/lockout/diagnosis/action.hpp"
#include "server/lockout/diagnosis/snapshot.hpp"

namespace server::lockout {

// The steps for `action` at a lock linked by `link` (restore_hub differs for a hub and Wi-Fi).
std::span<const std::string_view> steps_for(ActionId action, Link link);

}  // namespace server::lockout
