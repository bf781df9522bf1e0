#pragma once
// An account: one person, as every domain sees them.

#include <optional>
#include <string>
#include <string_view>

#include "lockcore/types.hpp"

namespace server::identity {

// active: may sign in. locked: held by an administrator or security process (not set by sign-in
// failures: throttling never locks an account, see sign_in_throttle.hpp). suspended: stopped by
// the access domain; every session ended. deleted: kept for the audit trail only. Anything but
// active cannot sign in, refresh or use a token.
enum class AccountStatus { active, locked, suspended, deleted };

std::string_view to_string(AccountStatus status);
std::optional<AccountStatus> account_status_from(std::string_view name);

struct Account {
  std::string id;     // "acc_…"
  std::string email;  // as given at creation; compared case-insensitively
  std::string phone;  // E.164
  std::string display_name;
  AccountStatus status = AccountStatus::active;
  lockcore::UnixMs created = 0;
  bool mfa_enabled = false;  // TOTP enrolled and confirmed
};

// What creating an account needs. The password is hashed before anything is stored.
struct NewAccount {
  std::string email;
  std::string phone;
  std::string display_name;
  std::string password;
};

}  // namespace server::identity
