#include "server/identity/secret.hpp"

#include <sodium.h>

namespace server::identity {

Digest digest(std::string_view secret) {
  Digest out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  return out;
}

store::Blob to_blob(std::span<const std::uint8_t> bytes) {
  return store::Blob(bytes.begin(), bytes.end());
}

std::vector<std::uint8_t> random_bytes(std::size_t n) {
  std::vector<std::uint8_t> out(n);
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string base64url(std::span<const std::uint8_t> bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::vector<std::uint8_t>> from_base64url(std::string_view text, std::size_t size) {
  // The only encoding of `size` bytes without padding has this length; checking it first keeps
  // the decoder from accepting a longer text by stopping early.
  if (text.size() != (size * 4 + 2) / 3) return std::nullopt;
  std::vector<std::uint8_t> out(size);
  std::size_t written = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      written != size || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return out;
}

std::string new_token() {
  return base64url(random_bytes(kTokenBytes));
}

bool is_token_shaped(std::string_view token) {
  return from_base64url(token, kTokenBytes).has_value();
}

}  // namespace server::identity
