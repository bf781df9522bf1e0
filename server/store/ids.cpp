#include "server/store/ids.hpp"

#include <array>
#include <cstdint>

#include <sodium.h>

namespace server::store {

std::string new_id(std::string_view prefix) {
  std::array<std::uint8_t, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 2 * bytes.size() + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  std::string id;
  id.reserve(prefix.size() + 1 + 2 * bytes.size());
  id.append(prefix).append("_").append(hex.data(), 2 * bytes.size());
  return id;
}

}  // namespace server::store
