#pragma once
// Actor: who is making a request, as established from their bearer token (Sessions::
// authenticate). Every domain receives this, never an account id or role from the client.

#include <optional>
#include <string>

namespace server::identity {

struct Actor {
  std::string account;                // "acc_…"
  std::string session;                // "ses_…"
  std::optional<std::string> device;  // "dev_…" when the session is bound to an enrolled device
  bool mfa_enabled = false;           // the account has TOTP turned on
  bool mfa_satisfied = false;         // this session passed a second factor

  // The account's MFA does not stand in the way: off, or passed by this session. What an act
  // that needs the account's full strength (enrolling a device, say) checks.
  bool fully_authenticated() const { return !mfa_enabled || mfa_satisfied; }
  // "account:acc_…", the form audit entries name actors in.
  std::string audit_name() const { return "account:" + account; }

  friend bool operator==(const Actor&, const Actor&) = default;
};

}  // namespace server::identity
