#pragma once
// What the firmware is given by its platform: a clock and a source of randomness. Both are
// injected, so the simulator can run days in milliseconds and every run is reproducible from a
// seed. Real firmware would back Clock with its RTC and Random with the hardware TRNG.

#include <array>
#include <cstdint>
#include <span>

#include "lockcore/types.hpp"

namespace lockcore {

// Initialises libsodium once; true when it is ready. Every lockcore entry point that uses a
// primitive may rely on it having been called by Lock's constructor or the Random sources.
bool sodium_ready();

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMs now() const = 0;
};

// A clock the test or simulator moves by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixMs start = 0) : now_(start) {}
  UnixMs now() const override { return now_; }
  void set(UnixMs t) { now_ = t; }
  void advance(UnixMs ms) { now_ += ms; }

 private:
  UnixMs now_;
};

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;

  template <std::size_t N>
  std::array<std::uint8_t, N> bytes() {
    std::array<std::uint8_t, N> out{};
    fill(out);
    return out;
  }
  std::uint32_t next_u32();
  // Uniform in [0, upper) without modulo bias; upper 0 yields 0.
  std::uint32_t uniform(std::uint32_t upper);
  // Uniform in [0, 1).
  double unit();
};

// The operating system's CSPRNG through libsodium (randombytes_buf).
class SodiumRandom final : public Random {
 public:
  SodiumRandom();
  void fill(std::span<std::uint8_t> out) override;
};

// A deterministic stream for the simulator and tests: the ChaCha20 keystream under a key taken
// from the seed. The same seed gives the same bytes on every machine. Never for production keys.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed);
  void fill(std::span<std::uint8_t> out) override;

 private:
  void refill();

  std::array<std::uint8_t, 32> key_{};
  std::array<std::uint8_t, 64> block_{};
  std::uint64_t counter_ = 0;  // next ChaCha20 block
  std::uint8_t used_ = 64;     // bytes of block_ already handed out
};

}  // namespace lockcore
