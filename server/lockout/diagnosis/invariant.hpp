#pragma once
// The five invariants of DESIGN.md section 5, by id: what a dropped action is recorded under.
// The checks themselves are in invariants.hpp.

#include <cstdint>
#include <optional>
#include <string_view>

#include "server/lockout/diagnosis/names.hpp"

namespace server::lockout {

enum class Invariant : std::uint8_t {
  no_access_beyond_verified_role,  // 1
  admin_restore_needs_identity,    // 2
  backup_code_eligible_now,        // 3
  jam_is_hardware,                 // 4
  factory_reset_last_resort,       // 5
};
inline constexpr std::size_t kInvariantCount = 5;

template <>
struct Names<Invariant> {
  static constexpr NameTable<Invariant, kInvariantCount> table{{
      "no_access_beyond_verified_role",
      "admin_restore_needs_identity",
      "backup_code_eligible_now",
      "jam_is_hardware",
      "factory_reset_last_resort",
  }};
};

}  // namespace server::lockout
