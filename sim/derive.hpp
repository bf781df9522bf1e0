#pragma once
// Everything the simulator draws is derived from the fleet's seed and a lock's id, so the same
// seed gives the same locks (epochs, keys, radio strength, door-swell jams) whatever order the
// network delivers things in: each lock has its own random stream instead of sharing one.

#include <cstdint>
#include <string>
#include <string_view>

namespace sim {

// The seed of one lock's lockcore::SeededRandom: BLAKE2b of a domain tag, the fleet seed and the
// lock id.
std::uint64_t lock_seed(std::uint64_t fleet_seed, std::string_view lock_id);

// The pairing code printed on the lock's label: 125 bits from BLAKE2b of a domain tag, the fleet
// seed and the lock id, as 25 base32 characters (RFC 4648 alphabet) in five dash-separated groups,
// e.g. "K7QDZ-2M9FX-W4PHT-6AJ3R-BN8ZC". lockcore::pairing_code_key() takes it exactly as written,
// dashes included. A code carries its entropy itself; it is a secret like a password.
std::string pairing_code(std::uint64_t fleet_seed, std::string_view lock_id);

}  // namespace sim
