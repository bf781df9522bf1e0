#include "server/identity/recovery_codes.hpp"

#include <sodium.h>

namespace server::identity::recovery {

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford

}  // namespace

std::vector<std::string> generate() {
  std::vector<std::string> codes;
  for (std::size_t n = 0; n < kCount; ++n) {
    std::string code;
    for (std::size_t i = 0; i < kCharacters; ++i) {
      if (i > 0 && i % 4 == 0) code += '-';
      code += kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
    }
    codes.push_back(std::move(code));
  }
  return codes;
}

std::optional<std::string> normalise(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (kAlphabet.find(c) == std::string_view::npos || out.size() == kCharacters)
      return std::nullopt;
    out += c;
  }
  if (out.size() != kCharacters) return std::nullopt;
  return out;
}

}  // namespace server::identity::recovery
