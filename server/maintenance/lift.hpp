#pragma once
// A store result as a domain result: the store's error becomes server::Error (internal, or
// unavailable when the store is busy).

#include "server/common/error.hpp"

namespace server::maintenance {

template <class T>
Result<T> lift(store::Result<T> r) {
  if (!r) return fail(Error::from_store(r.error()));
  return std::move(*r);
}

inline Status lift(const store::Status& s) {
  if (!s) return fail(Error::from_store(s.error()));
  return {};
}

}  // namespace server::maintenance
