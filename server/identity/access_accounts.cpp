#include "server/identity/access_accounts.hpp"

#include "server/identity/contact.hpp"

namespace server::identity {

namespace {

access::AccountInfo info_of(const Account& account) {
  return {account.id, account.email, account.status == AccountStatus::active};
}

}  // namespace

Result<std::optional<access::AccountInfo>> AccessAccounts::find(std::string_view id) {
  return found_.get(id, [&]() -> Result<std::optional<access::AccountInfo>> {
    auto account = accounts_.find(id);
    if (!account) {
      if (account.error().code == Errc::not_found) return std::optional<access::AccountInfo>();
      return fail(account.error());
    }
    return std::optional<access::AccountInfo>(info_of(*account));
  });
}

Result<access::AccountInfo> AccessAccounts::find_or_invite(std::string_view email,
                                                           std::string_view /*invited_by*/) {
  if (auto ok = check_email(email); !ok) return fail(ok.error());
  auto loaded = accounts_.load_by_email(email);
  if (!loaded) return fail(loaded.error());
  if (!*loaded)
    return fail(Error(Errc::unavailable,
                      "inviting someone without an account is not available yet; create their "
                      "account first",
                      "email"));
  return info_of((*loaded)->account);
}

}  // namespace server::identity
