#pragma once
// Webhook subscriptions: a site (or every site) asks for some kinds of message to be POSTed to a
// URL, signed with a secret made here (webhook_signature.hpp says how a receiver verifies).
// publish() turns one event into one outbox message per matching subscription, in the caller's
// transaction, like every other message; the deliverer signs each with its subscription's secret
// when it sends it.
//
// The secret is stored as given to the subscriber (it must be, to sign); it is returned by add()
// and list() for the site's administrators and never logged.

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "lockcore/platform.hpp"
#include "server/common/error.hpp"
#include "server/notify/outbox.hpp"
#include "server/store/database.hpp"

namespace server::notify {

struct Webhook {
  std::string id;  // "whk_…"
  lockcore::UnixMs created = 0;
  std::string site;  // empty: every site
  std::string url;
  std::string secret;       // "whsec_" + 64 hex digits
  std::vector<Kind> kinds;  // what is sent; never empty
};

class Webhooks {
 public:
  Webhooks(store::Database& db, const lockcore::Clock& clock) : db_(db), clock_(clock) {}

  // Subscribes `url` to `kinds` for `site` (empty: every site) with a fresh secret.
  // Errors: invalid_field "url" (not http:// or https:// with a host, or over 2048 bytes),
  // invalid_field "kinds" (empty), conflict (this site already sends to this URL), internal.
  Result<Webhook> add(const std::string& site, const std::string& url, std::vector<Kind> kinds);
  // A site's own subscriptions and the global ones (site nullopt: all of them), oldest first.
  // Errors: internal.
  Result<std::vector<Webhook>> list(const std::optional<std::string>& site) const;
  // Errors: not_found, internal. Messages already enqueued for it fail when their turn comes.
  Status remove(const std::string& id);

  // Enqueues `data` (serialised as the message body) for every subscription of `site` or of every
  // site that takes `kind`, once per URL (a site's own subscription wins over a global one to the
  // same URL). Call inside the act's transaction. Returns how many messages were enqueued.
  // Errors: internal.
  Result<std::size_t> publish(Outbox& outbox, const std::string& site, Kind kind,
                              const std::string& subject, const boost::json::value& data);

  // The secret to sign a message to `url` about `site` with: the site's own subscription to that
  // URL, else the global one; nullopt when neither exists (any more). Errors: internal.
  Result<std::optional<std::string>> secret_for(const std::string& site,
                                                const std::string& url) const;

 private:
  store::Database& db_;
  const lockcore::Clock& clock_;
};

}  // namespace server::notify
