#pragma once
// server::access::Access: the access domain as one object, for the composition root (Node) and
// the scenario runner: sites, units, memberships, the policy and ownership transfers over one set
// of dependencies. Not copyable or movable: its parts refer to each other.
//
// Until identity and devices are integrated, missing ports fall back to stand-ins that know no
// account (UnintegratedAccounts) and no lock (NoLocks); without a remover, credential tasks stay
// pending (credential_tasks.hpp).

#include "server/access/deps.hpp"
#include "server/access/memberships.hpp"
#include "server/access/ownership_transfers.hpp"
#include "server/access/policy.hpp"
#include "server/access/sites.hpp"
#include "server/access/units.hpp"

namespace server::access {

struct Ports {
  Accounts* accounts = nullptr;
  const LockDirectory* locks = nullptr;
  CredentialRemover* remover = nullptr;
};

class Access {
 public:
  Access(store::Database& db, const runtime::Clock& clock, audit::AuditLog& audit,
         notify::Outbox& outbox, Ports ports = {});
  Access(const Access&) = delete;
  Access& operator=(const Access&) = delete;

  const Deps& deps() const { return deps_; }
  const Policy& policy() const { return policy_; }
  Sites& sites() { return sites_; }
  Units& units() { return units_; }
  Memberships& memberships() { return memberships_; }
  OwnershipTransfers& transfers() { return transfers_; }

 private:
  UnintegratedAccounts no_accounts_;
  NoLocks no_locks_;
  Deps deps_;
  Policy policy_;
  Sites sites_;
  Units units_;
  Memberships memberships_;
  OwnershipTransfers transfers_;
};

}  // namespace server::access
