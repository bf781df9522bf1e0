#pragma once
// What every security-relevant identity act leaves behind, written through the caller's
// transaction so that it commits with the act or not at all: its audit entry, and (for changes
// to how someone signs in) a security notice to the person's email.

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "server/audit/audit_log.hpp"
#include "server/common/error.hpp"
#include "server/identity/account.hpp"
#include "server/identity/context.hpp"
#include "server/notify/outbox.hpp"

namespace server::identity {

// Appends one audit entry; `detail` must not hold a secret. Errors: the store's.
Status audit_act(audit::AuditLog& audit, audit::AuditType type, std::string actor,
                 std::string subject, const boost::json::object& detail = {});

// Queues a security_notice email to the account's address. The text never holds a secret: it
// says what changed, when, and what to do if it was not them. Errors: the store's.
Status notify_person(notify::Outbox& outbox, const Account& account, std::string subject,
                     std::string_view what_happened, lockcore::UnixMs at);

// Commits an act that queued messages, then wakes their delivery (Context::enqueued): after the
// commit, so that the delivery pass finds them. Errors: the store's.
Status commit_and_deliver(const Context& ctx, store::Transaction& tx);

// "account:acc_…"
inline std::string account_subject(std::string_view id) {
  return "account:" + std::string(id);
}

}  // namespace server::identity
