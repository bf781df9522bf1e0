#include "server/lockout/model.hpp"

#include <array>

#include "server/lockout/row_values.hpp"

namespace server::lockout {

namespace {

constexpr std::array<std::string_view, 3> kMethods = {"totp", "recovery_code",
                                                      "manager_attestation"};

}  // namespace

std::string_view to_string(VerificationMethod method) {
  return kMethods[static_cast<std::size_t>(method)];
}

std::optional<VerificationMethod> verification_method_from(std::string_view name) {
  for (std::size_t i = 0; i < kMethods.size(); ++i)
    if (kMethods[i] == name) return static_cast<VerificationMethod>(i);
  return std::nullopt;
}

Status check_text(std::string_view field, std::string_view value, std::size_t max) {
  if (value.empty()) return fail(Error::missing_field(field));
  if (value.size() > max) return fail(Error::invalid_field(field, "is too long"));
  for (char ch : value)
    if (static_cast<unsigned char>(ch) < 0x20)
      return fail(Error::invalid_field(field, "has control characters"));
  return {};
}

}  // namespace server::lockout
