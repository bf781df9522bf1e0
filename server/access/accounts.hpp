#pragma once
// What access needs from identity: whether an account exists and is in good standing, its email
// for notices, and an account for someone invited by email. identity implements it at integration
// (until then, Node wires UnintegratedAccounts, which knows no account).
//
// Every call runs on the store connection access uses, inside access's open transaction when there
// is one: an implementation writes through that connection and never begins a transaction of its
// own, so an invitation commits together with the membership it is for, or not at all.

#include <optional>
#include <string>
#include <string_view>

#include "server/common/error.hpp"

namespace server::access {

struct AccountInfo {
  std::string id;      // "acc_…"
  std::string email;   // where notices go
  bool active = true;  // false: suspended or deleted; such an account counts for nothing
  friend bool operator==(const AccountInfo&, const AccountInfo&) = default;
};

class Accounts {
 public:
  virtual ~Accounts() = default;

  // The account `id`; nullopt when there is none. Errors: internal, unavailable (the store).
  virtual Result<std::optional<AccountInfo>> find(std::string_view id) = 0;

  // The account whose email is `email` (compared case-insensitively); when there is none, a new
  // invited account (no password yet) with an invitation in the outbox, attributed to
  // `invited_by` (an account id). Errors: invalid_field "email" for a malformed address;
  // internal, unavailable.
  virtual Result<AccountInfo> find_or_invite(std::string_view email,
                                             std::string_view invited_by) = 0;
};

// Node's stand-in until identity lands: no account exists and nobody can be invited.
class UnintegratedAccounts final : public Accounts {
 public:
  Result<std::optional<AccountInfo>> find(std::string_view) override {
    return std::optional<AccountInfo>();
  }
  Result<AccountInfo> find_or_invite(std::string_view, std::string_view) override {
    return fail(Error(Errc::unavailable, "accounts are not available yet"));
  }
};

}  // namespace server::access
