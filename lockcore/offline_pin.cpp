#include "lockcore/offline_pin.hpp"

#include <sodium.h>

#include "lockcore/signing.hpp"

namespace lockcore {

namespace {

constexpr UnixMs kHourMs = 3'600'000;
constexpr std::string_view kOfflinePinDomain = "latchkey/v1/offline-pin";
constexpr std::string_view kOfflineSecretDomain = "latchkey/v1/offline-secret";

// Both sides turn their crypto_kx session key into the offline secret the same way, so that the
// raw session key is never used directly for anything.
OfflineSecret secret_from_session_key(const SymmetricKey& session) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, session.data(), session.size(), crypto_generichash_KEYBYTES);
  GenericHashSink sink(state);
  CanonicalWriter(sink).text(kOfflineSecretDomain);
  OfflineSecret secret{};
  crypto_generichash_final(&state, secret.data(), secret.size());
  return secret;
}

// Constant time in both PINs' digits: OR-accumulate over the padded 8 digits and the length.
std::uint8_t pin_difference(const Pin& a, const Pin& b) {
  std::uint8_t diff = a.length ^ b.length;
  for (std::size_t i = 0; i < kMaxPinDigits; ++i) {
    diff |= static_cast<std::uint8_t>(a.digits[i] ^ b.digits[i]);
  }
  return diff;
}

}  // namespace

bool OfflinePinSpec::valid() const {
  return static_cast<std::uint8_t>(duration) < kOfflineDurationHours.size() &&
         counter < kOfflinePinCounters && start_hour < (1U << 28);
}

Window OfflinePinSpec::window() const {
  const UnixMs start = static_cast<UnixMs>(start_hour) * kHourMs;
  return {start, start + kOfflineDurationHours[static_cast<std::uint8_t>(duration)] * kHourMs};
}

std::uint32_t OfflinePinSpec::packed() const {
  return start_hour << 4 | static_cast<std::uint32_t>(duration) << 2 | counter;
}

OfflinePinSpec OfflinePinSpec::unpack(std::uint32_t packed) {
  return {packed >> 4, static_cast<OfflineDuration>((packed >> 2) & 3),
          static_cast<std::uint8_t>(packed & 3)};
}

Pin derive_offline_pin(const OfflineSecret& secret, const OfflinePinSpec& spec) {
  sodium_ready();
  crypto_generichash_state state;
  crypto_generichash_init(&state, secret.data(), secret.size(), crypto_generichash_BYTES_MIN);
  GenericHashSink sink(state);
  CanonicalWriter w(sink);
  w.text(kOfflinePinDomain);
  w.u32(spec.start_hour);
  w.u8(static_cast<std::uint8_t>(spec.duration));
  w.u8(spec.counter);
  std::array<std::uint8_t, crypto_generichash_BYTES_MIN> out{};
  crypto_generichash_final(&state, out.data(), out.size());

  // 64 bits reduced modulo 10^8: the bias is below 10^-11.
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i)
    value = value << 8 | out[i];
  value %= 100'000'000;
  Pin pin;
  for (std::size_t i = kOfflinePinDigits; i-- > 0;) {
    pin.digits[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  pin.length = kOfflinePinDigits;
  return pin;
}

bool match_offline_pin(const OfflineSecret& secret, const Pin& entered, UnixMs now,
                       OfflinePinSpec& matched) {
  if (now < 0) return false;
  const auto now_hour = static_cast<std::uint32_t>(now / kHourMs);
  std::uint32_t found = 0;
  OfflinePinSpec result;
  for (std::uint8_t d = 0; d < kOfflineDurationHours.size(); ++d) {
    const std::uint32_t hours = kOfflineDurationHours[d];
    for (std::uint32_t back = 0; back < hours && back <= now_hour; ++back) {
      for (std::uint8_t counter = 0; counter < kOfflinePinCounters; ++counter) {
        const OfflinePinSpec spec{now_hour - back, static_cast<OfflineDuration>(d), counter};
        const Pin candidate = derive_offline_pin(secret, spec);
        // 1 when equal and nothing found yet, without a branch on the digits.
        const std::uint32_t equal =
            (static_cast<std::uint32_t>(pin_difference(candidate, entered)) - 1) >> 31;
        const std::uint32_t take = equal & (found ^ 1);
        const std::uint32_t mask = 0U - take;
        result.start_hour = (spec.start_hour & mask) | (result.start_hour & ~mask);
        result.duration =
            static_cast<OfflineDuration>((static_cast<std::uint32_t>(spec.duration) & mask) |
                                         (static_cast<std::uint32_t>(result.duration) & ~mask));
        result.counter = static_cast<std::uint8_t>((counter & mask) | (result.counter & ~mask));
        found |= equal;
      }
    }
  }
  if (found != 0) matched = result;
  return found != 0;
}

KxKeyPair make_kx_keypair(Random& random) {
  sodium_ready();
  auto seed = random.bytes<crypto_kx_SEEDBYTES>();
  KxKeyPair pair;
  crypto_kx_seed_keypair(pair.public_key.data(), pair.secret_key.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  return pair;
}

namespace {

using SessionKeys = int (*)(unsigned char*, unsigned char*, const unsigned char*,
                            const unsigned char*, const unsigned char*);

// Both crypto_kx sides share one shape; the lock (client) keys the secret with its rx key, the
// server with its tx key, which is the same key.
Result<OfflineSecret, KxError> offline_secret(SessionKeys session_keys, bool use_rx,
                                              const KxKeyPair& self, const PublicKey& peer) {
  SymmetricKey rx{};
  SymmetricKey tx{};
  if (session_keys(rx.data(), tx.data(), self.public_key.data(), self.secret_key.data(),
                   peer.data()) != 0) {
    return fail(KxError::bad_peer_key);
  }
  const OfflineSecret secret = secret_from_session_key(use_rx ? rx : tx);
  sodium_memzero(rx.data(), rx.size());
  sodium_memzero(tx.data(), tx.size());
  return secret;
}

}  // namespace

Result<OfflineSecret, KxError> lock_offline_secret(const KxKeyPair& lock,
                                                   const PublicKey& server_kx) {
  return offline_secret(crypto_kx_client_session_keys, true, lock, server_kx);
}

Result<OfflineSecret, KxError> server_offline_secret(const KxKeyPair& server,
                                                     const PublicKey& lock_pairing_key) {
  return offline_secret(crypto_kx_server_session_keys, false, server, lock_pairing_key);
}

}  // namespace lockcore
