#include "server/store/value.hpp"

#include <fmt/format.h>

namespace server::store {

std::string_view to_string(Errc code) {
  switch (code) {
    case Errc::unique_violation:
      return "unique_violation";
    case Errc::foreign_key_violation:
      return "foreign_key_violation";
    case Errc::constraint_violation:
      return "constraint_violation";
    case Errc::busy:
      return "busy";
    case Errc::io:
      return "io";
    case Errc::misuse:
      return "misuse";
    case Errc::closed:
      return "closed";
    case Errc::internal:
      return "internal";
  }
  return "internal";
}

std::string_view kind_name(const Value& value) {
  static constexpr std::string_view kNames[] = {"null", "integer", "real", "text", "blob"};
  return kNames[value.index()];
}

template <class T>
Result<const T*> Row::typed(std::size_t col, std::string_view wanted) const {
  if (const T* v = std::get_if<T>(&values_[col])) return v;
  std::string_view name = "?";
  if (columns_ && col < columns_->size()) name = (*columns_)[col];
  return error(Errc::misuse, fmt::format("column {} (\"{}\") is {}, not {}", col, name,
                                         kind_name(values_[col]), wanted));
}

Result<std::int64_t> Row::int64(std::size_t col) const {
  auto v = typed<std::int64_t>(col, "integer");
  if (!v) return lockcore::fail(v.error());
  return **v;
}

Result<double> Row::real(std::size_t col) const {
  if (const auto* i = std::get_if<std::int64_t>(&values_[col])) return static_cast<double>(*i);
  auto v = typed<double>(col, "real");
  if (!v) return lockcore::fail(v.error());
  return **v;
}

Result<std::string_view> Row::text(std::size_t col) const {
  auto v = typed<std::string>(col, "text");
  if (!v) return lockcore::fail(v.error());
  return std::string_view(**v);
}

Result<std::span<const std::uint8_t>> Row::blob(std::size_t col) const {
  auto v = typed<Blob>(col, "blob");
  if (!v) return lockcore::fail(v.error());
  return std::span<const std::uint8_t>(**v);
}

}  // namespace server::store
