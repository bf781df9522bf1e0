#pragma once
// map_rows: turns a query's rows into domain values with a per-row reader, stopping at the first
// row the reader refuses (its error names the column), so a list is either whole or an error.

#include <type_traits>
#include <vector>

#include "server/store/value.hpp"

namespace server::store {

// `read` takes a const Row& and returns Result<T>.
template <class Read>
auto map_rows(const Result<Rows>& rows, Read read)
    -> Result<std::vector<typename std::invoke_result_t<Read, const Row&>::value_type>> {
  using T = typename std::invoke_result_t<Read, const Row&>::value_type;
  if (!rows) return lockcore::fail(rows.error());
  std::vector<T> out;
  out.reserve(rows->size());
  for (const Row& row : *rows) {
    auto value = read(row);
    if (!value) return lockcore::fail(value.error());
    out.push_back(std::move(*value));
  }
  return out;
}

}  // namespace server::store
