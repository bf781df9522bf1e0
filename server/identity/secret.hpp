#pragma once
// Random secrets and what the store keeps of them. Session tokens and recovery codes carry at
// least 120 bits from the operating system's CSPRNG, so an unkeyed BLAKE2b-256 digest is all that
// is stored (NIST SP 800-63B 5.1.2.2: secrets of 112 bits or more may be hashed with an approved
// one-way function); a leaked table yields no usable token.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/value.hpp"

namespace server::identity {

using Digest = std::array<std::uint8_t, 32>;

// BLAKE2b-256 of `secret`.
Digest digest(std::string_view secret);
store::Blob to_blob(std::span<const std::uint8_t> bytes);

// `n` bytes from libsodium's randombytes.
std::vector<std::uint8_t> random_bytes(std::size_t n);

// URL-safe base64 without padding (RFC 4648 section 5).
std::string base64url(std::span<const std::uint8_t> bytes);
// Decodes exactly `size` bytes of unpadded base64url; nullopt for anything else (padding,
// whitespace, other alphabets, trailing bits, another length).
std::optional<std::vector<std::uint8_t>> from_base64url(std::string_view text, std::size_t size);

// A new opaque bearer token: 32 random bytes as base64url (43 characters).
std::string new_token();
inline constexpr std::size_t kTokenBytes = 32;
// True when `token` has a token's shape (43 base64url characters that decode to 32 bytes).
bool is_token_shaped(std::string_view token);

}  // namespace server::identity
