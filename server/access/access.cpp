#include "server/access/access.hpp"

namespace server::access {

Access::Access(store::Database& db, const runtime::Clock& clock, audit::AuditLog& audit,
               notify::Outbox& outbox, Ports ports)
    : deps_{db,
            clock,
            audit,
            outbox,
            ports.accounts != nullptr ? *ports.accounts : no_accounts_,
            ports.locks != nullptr ? *ports.locks : no_locks_,
            ports.remover},
      policy_(deps_),
      sites_(deps_, policy_),
      units_(deps_, policy_),
      memberships_(deps_, policy_),
      transfers_(deps_, policy_) {}

}  // namespace server::access
