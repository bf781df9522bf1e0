#pragma once
// What the parts of the identity domain share: the store connection, the clock, the audit log
// and outbox every act writes to, the hasher and the sign-in throttle, and the issuer name.

#include <functional>
#include <string>

#include "lockcore/platform.hpp"
#include "server/access/generation.hpp"
#include "server/audit/audit_log.hpp"
#include "server/common/error.hpp"
#include "server/notify/outbox.hpp"
#include "server/store/database.hpp"

namespace server::identity {

class PasswordHasher;
class SignInThrottle;

// A store result as a domain result: the store's failure becomes Error::from_store.
template <class T>
Result<T> lift(store::Result<T> result) {
  if (!result) return fail(Error::from_store(result.error()));
  return std::move(*result);
}
inline Status lift(store::Status status) {
  if (!status) return fail(Error::from_store(status.error()));
  return {};
}

struct Context {
  store::Database& db;
  const lockcore::Clock& clock;
  audit::AuditLog& audit;
  notify::Outbox& outbox;
  PasswordHasher& hasher;
  SignInThrottle& throttle;
  std::string issuer;
  // Called after a commit that enqueued messages (the node pokes the deliverer); may be empty.
  std::function<void()> enqueued{};
  // Moved by every act that writes accounts, sessions or MFA (server/access/generation.hpp):
  // what the caches of sessions and accounts are checked against.
  access::Generation changes{};
};

}  // namespace server::identity
