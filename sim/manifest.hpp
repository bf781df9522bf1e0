#pragma once
// The fleet's manifest: what an installer would read off the boxes, so that a server (or a test)
// can commission every lock with `pair`. One JSON object, written with mode 0600 because the
// pairing codes in it are secrets:
//
//   {"v":1,"site":"maple-court","seed":42,
//    "locks":[{"id":"lock-0001","link":"hub-01","pairing_code":"K7QDZ-2M9FX-W4PHT-6AJ3R-BN8ZC",
//              "keypad":true,"bluetooth":true,"physical_key":true,"slots":250,"backup_pool":5,
//              "firmware":"2.4.1"}, ...],
//    "hubs":[{"id":"hub-01","locks":["lock-0001", ...]}, ...]}
//
// A lock's epoch and pairing key are not in it: the lock reports them in its retained state.

#include <filesystem>
#include <string>

#include "sim/fleet_config.hpp"
#include "sim/sim_error.hpp"

namespace sim {

std::string manifest_json(const FleetConfig& config);

// Replaces `path` atomically (a temporary file beside it, then rename), mode 0600. Errors:
// io_error naming the file and the reason.
SimResult<void> write_manifest(const std::filesystem::path& path, const FleetConfig& config);

}  // namespace sim
