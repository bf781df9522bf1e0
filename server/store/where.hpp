#pragma once
// Where: builds the WHERE clause of a filtered list query from optional conditions, keeping each
// value a bound parameter (never spliced into the SQL text).

#include <optional>
#include <string>
#include <string_view>

#include "server/store/value.hpp"

namespace server::store {

class Where {
 public:
  // `clause` holds exactly one `?`, e.g. "site = ?".
  void add(std::string_view clause, Value value) {
    sql_.append(sql_.empty() ? " WHERE " : " AND ").append(clause);
    params_.push_back(std::move(value));
  }
  template <class T>
  void add_if(std::string_view clause, const std::optional<T>& value) {
    if (value) add(clause, Value(*value));
  }

  // " WHERE a = ? AND b = ?", or "" when no condition was added.
  const std::string& sql() const { return sql_; }
  Params& params() { return params_; }

 private:
  std::string sql_;
  Params params_;
};

}  // namespace server::store
