#include "server/identity/identity.hpp"

namespace server::identity {

Identity::Identity(store::Database& db, const lockcore::Clock& clock, audit::AuditLog& audit,
                   notify::Outbox& outbox, Options options)
    : context_{db,      clock,     audit,          outbox,
               hasher_, throttle_, options.issuer, std::move(options.enqueued)},
      hasher_(options.password_cost),
      throttle_(db, clock, options.throttle),
      accounts_(context_, sessions_),
      sessions_(context_, accounts_, mfa_, devices_, options.sessions),
      mfa_(context_, accounts_, sessions_),
      devices_(context_, accounts_, sessions_),
      password_reset_(context_, accounts_, std::move(options.reset)) {}

}  // namespace server::identity
