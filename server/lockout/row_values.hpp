#pragma once
// What the lockout domain's files share about values: reading one column of a row with a
// fallback, for columns the domain's own schema guarantees (NOT NULL, typed: a value of another
// type, never expected, reads as the fallback); a store result as a domain result; and the check
// of a short text field from a request.

#include <cstdint>
#include <string>
#include <string_view>

#include "server/common/error.hpp"
#include "server/store/value.hpp"

namespace server::lockout {

inline std::string text_or(const store::Row& row, std::size_t col, std::string_view fallback = {}) {
  auto t = row.text(col);
  return std::string(t ? *t : fallback);
}

inline std::int64_t int_or(const store::Row& row, std::size_t col, std::int64_t fallback = 0) {
  auto v = row.int64(col);
  return v ? *v : fallback;
}

template <class T>
Result<T> lift(store::Result<T> r) {
  if (!r) return fail(Error::from_store(r.error()));
  return std::move(*r);
}

// Present, at most `max` bytes, no control characters. Errors: missing_field, invalid_field.
Status check_text(std::string_view field, std::string_view value, std::size_t max);

}  // namespace server::lockout
