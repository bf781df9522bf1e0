#pragma once
// The codes domain's table: one row per keypad code a person asked for (which locks it is on, and
// each lock's status, are the devices domain's placements of the code's id).

#include <vector>

#include "server/store/migrations.hpp"

namespace server::codes {

std::vector<store::Migration> migrations();

}  // namespace server::codes
