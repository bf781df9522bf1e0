#pragma once
// Parses JSON text into a boost::json::value, refusing what the default parser would let through:
// duplicate keys (Boost.JSON 1.81 keeps one of them silently and has no option to refuse them),
// nesting beyond kMaxJsonDepth, comments, trailing commas and invalid UTF-8.

#include <string_view>

#include <boost/json/value.hpp>

#include "protocol/decode_error.hpp"

namespace protocol::detail {

// The deepest v1 message (shadow/desired: root, credentials, credential, schedule, days) nests 5.
inline constexpr std::size_t kMaxJsonDepth = 8;

// No v1 object has more keys (the widest, state, has 12).
inline constexpr std::size_t kMaxObjectKeys = 32;

// Errors: malformed, too_deep, duplicate_field (with the key's JSON path), too_many_items (an
// object with more than kMaxObjectKeys keys, with the object's path). Never throws.
Decoded<boost::json::value> strict_parse(std::string_view text);

// JSON path pieces, shared by the parser and the field readers: join("a", "b") = "a.b",
// join("a", "[2]") = "a[2]", join("", "b") = "b", index("a", 3) = "a[3]".
std::string path_join(std::string_view parent, std::string_view key);
std::string path_index(std::string_view parent, std::size_t index);

}  // namespace protocol::detail
