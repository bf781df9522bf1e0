#pragma once
// Credential tasks: the durable record that some account's credentials at a site must shrink
// (see credential_remover.hpp). request() writes the row in the caller's transaction, then applies
// it at once through the remover when one is wired and marks it done; otherwise it stays pending
// until a remover applies it (pending() + mark_done()).

#include <string>
#include <string_view>
#include <vector>

#include "server/access/deps.hpp"
#include "server/access/model.hpp"
#include "server/common/error.hpp"

namespace server::access {

enum class CredentialTaskKind : std::uint8_t { remove_all, revalidate };
std::string_view to_string(CredentialTaskKind kind);

struct CredentialTask {
  std::string id;  // "crt_…"
  std::string site;
  std::string account;
  CredentialTaskKind kind = CredentialTaskKind::revalidate;
  std::string reason;  // "ownership_transferred", "membership_ended", …
  UnixMs created = 0;
};

// Errors: the store's; the remover's.
Status request_credential_task(const Deps& deps, std::string_view site, std::string_view account,
                               CredentialTaskKind kind, std::string_view reason);

// Tasks not yet applied, oldest first. Errors: the store's.
Result<std::vector<CredentialTask>> pending_credential_tasks(store::Database& db);
// Errors: not_found for an unknown or already done task; the store's.
Status mark_credential_task_done(store::Database& db, std::string_view id, UnixMs now);

}  // namespace server::access
