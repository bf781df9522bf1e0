#include "server/codes/model.hpp"

#include <array>

#include "server/common/enum_names.hpp"

namespace server::codes {

namespace {
constexpr std::array<std::string_view, 3> kKinds{"own", "guest", "staff"};
}  // namespace

std::string_view to_string(CodeKind kind) {
  return kKinds[static_cast<std::size_t>(kind)];
}

std::optional<CodeKind> code_kind_from(std::string_view name) {
  return from_name<CodeKind>(kKinds, name);
}

}  // namespace server::codes
