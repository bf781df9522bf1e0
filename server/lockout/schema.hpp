#pragma once
// The lockout domain's tables: cases and the actions taken in them, backup-code links, and the
// backup-code requests the rate limits count. After access (sites) in Node::migrations().

#include <vector>

#include "server/store/migrations.hpp"

namespace server::lockout {

std::vector<store::Migration> migrations();

}  // namespace server::lockout
