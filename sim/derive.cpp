#include "sim/derive.hpp"

#include <array>

#include <sodium.h>

#include "lockcore/platform.hpp"

namespace sim {
namespace {

constexpr std::string_view kSeedDomain = "latchkey/sim/lock-seed";
constexpr std::string_view kPairingDomain = "latchkey/sim/pairing-code";
constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

template <std::size_t N>
std::array<std::uint8_t, N> derive(std::string_view domain, std::uint64_t seed,
                                   std::string_view id) {
  lockcore::sodium_ready();
  std::array<std::uint8_t, 8> seed_bytes{};
  for (std::size_t i = 0; i < seed_bytes.size(); ++i)
    seed_bytes[i] = static_cast<std::uint8_t>(seed >> (8 * (7 - i)));
  // Length-prefixed parts: no two (domain, seed, id) triples hash the same bytes.
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, N);
  for (std::string_view part :
       {domain, std::string_view(reinterpret_cast<const char*>(seed_bytes.data()), 8), id}) {
    const auto length = static_cast<std::uint8_t>(part.size());
    crypto_generichash_update(&state, &length, 1);
    crypto_generichash_update(&state, reinterpret_cast<const std::uint8_t*>(part.data()),
                              part.size());
  }
  std::array<std::uint8_t, N> out{};
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

}  // namespace

std::uint64_t lock_seed(std::uint64_t fleet_seed, std::string_view lock_id) {
  const auto bytes = derive<16>(kSeedDomain, fleet_seed, lock_id);
  std::uint64_t seed = 0;
  for (std::size_t i = 0; i < 8; ++i)
    seed = seed << 8 | bytes[i];
  return seed;
}

std::string pairing_code(std::uint64_t fleet_seed, std::string_view lock_id) {
  const auto bytes = derive<16>(kPairingDomain, fleet_seed, lock_id);
  std::string code;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t next = 0;
  for (int i = 0; i < 25; ++i) {
    if (bits < 5) {
      buffer = buffer << 8 | bytes[next++];
      bits += 8;
    }
    bits -= 5;
    if (i > 0 && i % 5 == 0) code.push_back('-');
    code.push_back(kBase32[(buffer >> bits) & 31U]);
  }
  return code;
}

}  // namespace sim
