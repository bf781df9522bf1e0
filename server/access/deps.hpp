#pragma once
// What the access domain is built on: the store connection, the injected clock (all time), the
// audit log and outbox (written in each act's transaction), and its three ports to other domains.

#include "runtime/clock.hpp"
#include "server/access/accounts.hpp"
#include "server/access/credential_remover.hpp"
#include "server/access/generation.hpp"
#include "server/access/lock_directory.hpp"
#include "server/audit/audit_log.hpp"
#include "server/notify/outbox.hpp"
#include "server/store/database.hpp"

namespace server::access {

struct Deps {
  store::Database& db;
  const runtime::Clock& clock;
  audit::AuditLog& audit;
  notify::Outbox& outbox;
  Accounts& accounts;
  const LockDirectory& locks;
  CredentialRemover* remover = nullptr;  // none yet: credential tasks stay pending
  // Moved by every act that writes sites, units or memberships (generation.hpp): what the
  // policy's cache of rows is checked against.
  Generation changes{};
};

}  // namespace server::access
