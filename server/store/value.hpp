#pragma once
// Typed parameters and typed rows: the only values that cross the store interface.
// The five kinds are the ones both SQLite and PostgreSQL represent natively
// (NULL, BIGINT, DOUBLE PRECISION, TEXT, BYTEA/BLOB).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "server/store/error.hpp"

namespace server::store {

struct Null {
  friend bool operator==(Null, Null) = default;
};
inline constexpr Null null{};
using Blob = std::vector<std::uint8_t>;

// Construct from an integer, a double, a string (or literal), a Blob or `store::null`.
// Integers wider than int64 (size_t) must be cast: the conversion is never silent.
using Value = std::variant<Null, std::int64_t, double, std::string, Blob>;
using Params = std::vector<Value>;

// One result row. Accessors check the stored type and name the column when it is not the one
// asked for (Errc::misuse): reading a TEXT column as an integer is a bug, never a silent 0.
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  // Precondition for all accessors: col < size().
  const Value& value(std::size_t col) const { return values_[col]; }
  bool is_null(std::size_t col) const { return std::holds_alternative<Null>(values_[col]); }
  Result<std::int64_t> int64(std::size_t col) const;
  Result<double> real(std::size_t col) const;  // an integer column reads as a double too
  Result<std::string_view> text(std::size_t col) const;
  Result<std::span<const std::uint8_t>> blob(std::size_t col) const;

 private:
  template <class T>
  Result<const T*> typed(std::size_t col, std::string_view wanted) const;

  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

struct Rows {
  std::shared_ptr<const std::vector<std::string>> columns;
  std::vector<Row> rows;

  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
  const Row& operator[](std::size_t i) const { return rows[i]; }
  auto begin() const { return rows.begin(); }
  auto end() const { return rows.end(); }
};

// Names a value's kind as the store reports it: "null", "integer", "real", "text", "blob".
std::string_view kind_name(const Value& value);

}  // namespace server::store
