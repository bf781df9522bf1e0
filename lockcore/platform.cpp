#include "lockcore/platform.hpp"

#include <sodium.h>

namespace lockcore {

bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::uint32_t Random::next_u32() {
  auto b = bytes<4>();
  return static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
         static_cast<std::uint32_t>(b[2]) << 16 | static_cast<std::uint32_t>(b[3]) << 24;
}

std::uint32_t Random::uniform(std::uint32_t upper) {
  if (upper == 0) return 0;
  // Reject the top partial range so every residue is equally likely.
  const std::uint32_t limit = static_cast<std::uint32_t>(-upper) % upper;
  for (;;) {
    std::uint32_t r = next_u32();
    if (r >= limit) return r % upper;
  }
}

double Random::unit() {
  auto b = bytes<8>();
  std::uint64_t v = 0;
  for (std::uint8_t byte : b)
    v = v << 8 | byte;
  return static_cast<double>(v >> 11) * 0x1.0p-53;
}

SodiumRandom::SodiumRandom() {
  sodium_ready();
}

void SodiumRandom::fill(std::span<std::uint8_t> out) {
  randombytes_buf(out.data(), out.size());
}

SeededRandom::SeededRandom(std::uint64_t seed) {
  sodium_ready();
  static_assert(sizeof(key_) == crypto_stream_chacha20_KEYBYTES);
  for (std::size_t i = 0; i < 8; ++i)
    key_[i] = static_cast<std::uint8_t>(seed >> (8 * i));
}

void SeededRandom::refill() {
  static constexpr std::array<std::uint8_t, 64> kZeros{};
  static constexpr std::array<std::uint8_t, crypto_stream_chacha20_NONCEBYTES> kNonce{};
  crypto_stream_chacha20_xor_ic(block_.data(), kZeros.data(), kZeros.size(), kNonce.data(),
                                counter_++, key_.data());
  used_ = 0;
}

void SeededRandom::fill(std::span<std::uint8_t> out) {
  for (std::uint8_t& byte : out) {
    if (used_ == block_.size()) refill();
    byte = block_[used_++];
  }
}

}  // namespace lockcore
