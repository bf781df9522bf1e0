#include "server/identity/trail.hpp"

#include <boost/json/serialize.hpp>

#include "server/http/rfc3339.hpp"

namespace server::identity {

Status audit_act(audit::AuditLog& audit, audit::AuditType type, std::string actor,
                 std::string subject, const boost::json::object& detail) {
  auto appended = audit.append(
      {type, std::move(actor), "", std::move(subject), boost::json::serialize(detail)});
  if (!appended) return fail(Error::from_store(appended.error()));
  return {};
}

Status commit_and_deliver(const Context& ctx, store::Transaction& tx) {
  if (auto committed = tx.commit(); !committed) return fail(Error::from_store(committed.error()));
  if (ctx.enqueued) ctx.enqueued();
  return {};
}

Status notify_person(notify::Outbox& outbox, const Account& account, std::string subject,
                     std::string_view what_happened, lockcore::UnixMs at) {
  std::string body = "Hello" + (account.display_name.empty() ? "" : " " + account.display_name) +
                     ",\n\n" + std::string(what_happened) + " (" + http::format_rfc3339(at) +
                     ").\n\nIf this was you, there is nothing to do. If it was not, change your "
                     "password now, remove any device you do not recognise, and tell your "
                     "property manager.\n\n— Latchkey\n";
  auto queued =
      outbox.enqueue({account.id, notify::Channel::email, account.email,
                      notify::Kind::security_notice, "", std::move(subject), std::move(body)});
  if (!queued) return fail(Error::from_store(queued.error()));
  return {};
}

}  // namespace server::identity
