#pragma once
// RowReader: reads a row's columns by position, remembering the first column that was not of the
// expected type (store::Row names it), so that a reader of twenty columns is twenty lines and one
// check instead of twenty.

#include <cstdint>
#include <optional>
#include <string>

#include "server/store/value.hpp"

namespace server::devices {

class RowReader {
 public:
  explicit RowReader(const store::Row& row) : row_(row) {}

  std::int64_t i64(std::size_t col) {
    auto v = row_.int64(col);
    if (!v) return record(v.error(), 0);
    return *v;
  }
  std::optional<std::int64_t> opt_i64(std::size_t col) {
    if (row_.is_null(col)) return std::nullopt;
    return i64(col);
  }
  std::string text(std::size_t col) {
    auto v = row_.text(col);
    if (!v) return record(v.error(), std::string());
    return std::string(*v);
  }
  std::optional<std::string> opt_text(std::size_t col) {
    if (row_.is_null(col)) return std::nullopt;
    return text(col);
  }
  // Exactly N bytes, or an error naming the column; nullopt for NULL.
  template <std::size_t N>
  std::optional<std::array<std::uint8_t, N>> bytes(std::size_t col) {
    if (row_.is_null(col)) return std::nullopt;
    auto v = row_.blob(col);
    if (!v) return record(v.error(), std::optional<std::array<std::uint8_t, N>>());
    if (v->size() != N) {
      return record(store::Error{store::Errc::internal,
                                 "column " + std::to_string(col) + " has the wrong length"},
                    std::optional<std::array<std::uint8_t, N>>());
    }
    std::array<std::uint8_t, N> out{};
    std::copy(v->begin(), v->end(), out.begin());
    return out;
  }

  bool ok() const { return !error_; }
  const store::Error& error() const { return *error_; }

 private:
  template <class T>
  T record(store::Error error, T neutral) {
    if (!error_) error_ = std::move(error);
    return neutral;
  }

  const store::Row& row_;
  std::optional<store::Error> error_;
};

inline store::Blob to_blob(std::span<const std::uint8_t> bytes) {
  return store::Blob(bytes.begin(), bytes.end());
}

}  // namespace server::devices
