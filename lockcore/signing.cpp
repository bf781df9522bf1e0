#include "lockcore/signing.hpp"

#include <cassert>
#include <cstring>

#include <sodium.h>

namespace lockcore {

namespace {

class SignSink final : public ByteSink {
 public:
  SignSink() { crypto_sign_init(&state_); }
  void write(std::span<const std::uint8_t> b) override {
    crypto_sign_update(&state_, b.data(), b.size());
  }
  crypto_sign_state& state() { return state_; }

 private:
  crypto_sign_state state_;
};

class AuthSink final : public ByteSink {
 public:
  explicit AuthSink(const SymmetricKey& key) {
    crypto_auth_hmacsha512256_init(&state_, key.data(), key.size());
  }
  void write(std::span<const std::uint8_t> b) override {
    crypto_auth_hmacsha512256_update(&state_, b.data(), b.size());
  }
  Mac finish() {
    Mac mac{};
    crypto_auth_hmacsha512256_final(&state_, mac.data());
    return mac;
  }

 private:
  crypto_auth_hmacsha512256_state state_;
};

// A short message on the stack, for the one plain-Ed25519 signature.
class BufferSink final : public ByteSink {
 public:
  void write(std::span<const std::uint8_t> b) override {
    const std::size_t n = std::min(b.size(), buffer_.size() - size_);
    std::memcpy(buffer_.data() + size_, b.data(), n);
    size_ += n;
    overflow_ |= n < b.size();
  }
  std::span<const std::uint8_t> bytes() const { return {buffer_.data(), size_}; }
  bool overflow() const { return overflow_; }

 private:
  std::array<std::uint8_t, 256> buffer_{};
  std::size_t size_ = 0;
  bool overflow_ = false;
};

template <class Encode>
Signature sign_ph(const SecretKey& secret, Encode encode) {
  SignSink sink;
  CanonicalWriter w(sink);
  encode(w);
  Signature sig{};
  crypto_sign_final_create(&sink.state(), sig.data(), nullptr, secret.data());
  return sig;
}

template <class Encode>
bool verify_ph(const Signature& sig, const PublicKey& key, Encode encode) {
  SignSink sink;
  CanonicalWriter w(sink);
  encode(w);
  // crypto_sign_final_verify takes a non-const signature pointer; it does not write to it.
  Signature copy = sig;
  return crypto_sign_final_verify(&sink.state(), copy.data(), key.data()) == 0;
}

Mac pair_tag(const Command& cmd, const SymmetricKey& key) {
  AuthSink sink(key);
  CanonicalWriter w(sink);
  encode_command(w, cmd, kPairDomain);
  return sink.finish();
}

void encode_settings(CanonicalWriter& w, const Settings& s) {
  w.u8(s.wrong_code_limit);
  w.u8(s.wrong_code_disable_s);
  w.u16(static_cast<std::uint16_t>(s.utc_offset_min));
  w.u16(s.auto_relock_s);
}

constexpr UnixMs floor_seconds(UnixMs ms) {
  return ms >= 0 ? ms / 1000 * 1000 : ms;
}

}  // namespace

void CanonicalWriter::u8(std::uint8_t v) {
  sink_.write({&v, 1});
}

void CanonicalWriter::u16(std::uint16_t v) {
  const std::uint8_t b[2] = {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
  sink_.write(b);
}

void CanonicalWriter::u32(std::uint32_t v) {
  u16(static_cast<std::uint16_t>(v >> 16));
  u16(static_cast<std::uint16_t>(v));
}

void CanonicalWriter::u64(std::uint64_t v) {
  u32(static_cast<std::uint32_t>(v >> 32));
  u32(static_cast<std::uint32_t>(v));
}

void CanonicalWriter::bytes(std::span<const std::uint8_t> b) {
  assert(b.size() <= 0xFFFF);
  u16(static_cast<std::uint16_t>(b.size()));
  sink_.write(b);
}

void CanonicalWriter::text(std::string_view t) {
  bytes({reinterpret_cast<const std::uint8_t*>(t.data()), t.size()});
}

void encode_command(CanonicalWriter& w, const Command& cmd, std::string_view domain) {
  w.text(domain);
  w.text(cmd.site.view());
  w.text(cmd.lock.view());
  w.bytes(cmd.id);
  w.u8(static_cast<std::uint8_t>(cmd.op));
  w.u32(cmd.upto);
  w.bytes(cmd.pair.site_key);
  w.bytes(cmd.pair.server_kx);
  w.u32(cmd.pair.epoch);
  w.i64(cmd.issued);
  w.i64(cmd.expires);
}

void encode_credential(CanonicalWriter& w, const PinCredential& c) {
  w.u16(c.slot);
  w.u8(static_cast<std::uint8_t>(c.kind));
  w.text(c.pin.view());
  w.u8(c.schedule.days_mask);
  w.u16(c.schedule.start_min);
  w.u16(c.schedule.end_min);
  w.i64(c.window.not_before);
  w.i64(c.window.not_after);
  w.u16(c.max_uses);
}

void encode_shadow(CanonicalWriter& w, const DesiredShadow& shadow) {
  w.text(kShadowDomain);
  w.text(shadow.site.view());
  w.text(shadow.lock.view());
  w.u64(shadow.version);
  w.u32(shadow.epoch);
  w.u16(static_cast<std::uint16_t>(shadow.credentials.size()));
  for (const PinCredential& c : shadow.credentials)
    encode_credential(w, c);
  encode_settings(w, shadow.settings);
  w.u16(static_cast<std::uint16_t>(shadow.revoked_keys.size()));
  for (const KeyId& key : shadow.revoked_keys)
    w.bytes(key);
}

void encode_grant(CanonicalWriter& w, const DigitalKeyGrant& grant) {
  w.text(kGrantDomain);
  w.bytes(grant.id);
  w.text(grant.site.view());
  w.text(grant.lock.view());
  w.bytes(grant.holder);
  w.i64(grant.window.not_before);
  w.i64(grant.window.not_after);
  w.u32(grant.epoch);
}

void encode_bluetooth_challenge(CanonicalWriter& w, const BluetoothChallenge& challenge) {
  w.text(kBluetoothDomain);
  w.text(challenge.site.view());
  w.text(challenge.lock.view());
  w.u32(challenge.epoch);
  w.bytes(challenge.key);
  w.bytes(challenge.nonce);
}

SigningKeyPair make_signing_keypair(Random& random) {
  sodium_ready();
  auto seed = random.bytes<crypto_sign_SEEDBYTES>();
  SigningKeyPair pair;
  crypto_sign_seed_keypair(pair.public_key.data(), pair.secret_key.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  return pair;
}

SymmetricKey pairing_code_key(std::string_view code) {
  sodium_ready();
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, crypto_generichash_KEYBYTES);
  GenericHashSink sink(state);
  CanonicalWriter w(sink);
  w.text("latchkey/v1/pairing-code");
  w.text(code);
  SymmetricKey key{};
  crypto_generichash_final(&state, key.data(), key.size());
  return key;
}

Signature sign_command(const Command& cmd, const SecretKey& site_secret) {
  return sign_ph(site_secret, [&](CanonicalWriter& w) { encode_command(w, cmd, kCommandDomain); });
}

bool verify_command(const Command& cmd, const PublicKey& site_key) {
  return verify_ph(cmd.sig, site_key,
                   [&](CanonicalWriter& w) { encode_command(w, cmd, kCommandDomain); });
}

Signature sign_pair_command(const Command& cmd, const SymmetricKey& key) {
  const Mac tag = pair_tag(cmd, key);
  Signature sig{};
  std::memcpy(sig.data(), tag.data(), tag.size());
  return sig;
}

bool verify_pair_command(const Command& cmd, const SymmetricKey& key) {
  const Mac tag = pair_tag(cmd, key);
  const bool tag_ok = sodium_memcmp(tag.data(), cmd.sig.data(), tag.size()) == 0;
  const bool tail_zero = sodium_is_zero(cmd.sig.data() + tag.size(), cmd.sig.size() - tag.size());
  return tag_ok && tail_zero;
}

Signature sign_shadow(const DesiredShadow& shadow, const SecretKey& site_secret) {
  return sign_ph(site_secret, [&](CanonicalWriter& w) { encode_shadow(w, shadow); });
}

bool verify_shadow(const DesiredShadow& shadow, const PublicKey& site_key) {
  return verify_ph(shadow.sig, site_key, [&](CanonicalWriter& w) { encode_shadow(w, shadow); });
}

Signature sign_grant(const DigitalKeyGrant& grant, const SecretKey& site_secret) {
  return sign_ph(site_secret, [&](CanonicalWriter& w) { encode_grant(w, grant); });
}

bool verify_grant(const DigitalKeyGrant& grant, const PublicKey& site_key) {
  return verify_ph(grant.sig, site_key, [&](CanonicalWriter& w) { encode_grant(w, grant); });
}

Signature sign_bluetooth_response(const BluetoothChallenge& challenge, const SecretKey& holder) {
  BufferSink sink;
  CanonicalWriter w(sink);
  encode_bluetooth_challenge(w, challenge);
  assert(!sink.overflow());
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, sink.bytes().data(), sink.bytes().size(),
                       holder.data());
  return sig;
}

bool verify_bluetooth_response(const BluetoothChallenge& challenge, const Signature& response,
                               const PublicKey& holder) {
  BufferSink sink;
  CanonicalWriter w(sink);
  encode_bluetooth_challenge(w, challenge);
  if (sink.overflow()) return false;
  return crypto_sign_verify_detached(response.data(), sink.bytes().data(), sink.bytes().size(),
                                     holder.data()) == 0;
}

PinCredential as_held(const PinCredential& c) {
  PinCredential held = c;
  held.window.not_before = floor_seconds(c.window.not_before);
  held.window.not_after = floor_seconds(c.window.not_after);
  return held;
}

CredentialDigest::CredentialDigest() {
  sodium_ready();
  crypto_generichash_init(&state_, nullptr, 0, std::tuple_size_v<Digest>);
  GenericHashSink sink(state_);
  CanonicalWriter(sink).text(kCredentialsDomain);
}

void CredentialDigest::add(const PinCredential& c) {
  GenericHashSink sink(state_);
  CanonicalWriter w(sink);
  encode_credential(w, as_held(c));
}

Digest CredentialDigest::finish() {
  Digest digest{};
  crypto_generichash_final(&state_, digest.data(), digest.size());
  return digest;
}

Digest credential_digest(std::span<const PinCredential> credentials) {
  // Slot order without sorting a copy: visit each distinct slot number in increasing order.
  CredentialDigest digest;
  std::uint32_t next = 0;
  for (;;) {
    std::uint32_t slot = 0x10000;
    for (const PinCredential& c : credentials) {
      if (c.slot >= next && c.slot < slot) slot = c.slot;
    }
    if (slot == 0x10000) break;
    for (const PinCredential& c : credentials) {
      if (c.slot == slot) digest.add(c);
    }
    next = slot + 1;
  }
  return digest.finish();
}

}  // namespace lockcore
