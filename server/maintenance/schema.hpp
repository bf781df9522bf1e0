#pragma once
// The maintenance domain's tables: what the rules remember (jams, battery samples, hub outages)
// and the work orders. They reference access's `sites (id)`, so these migrations come after
// access's. Lock and hub ids are text without a foreign key: devices' tables are not ours.

#include <vector>

#include "server/store/migrations.hpp"

namespace server::maintenance {

std::vector<store::Migration> migrations();

}  // namespace server::maintenance
