// The notify domain's schema, version by version. An applied version never changes (migrate()
// checks its checksum); a change is a new version.

#include <string_view>

#include "server/notify/outbox.hpp"

namespace server::notify {

namespace {

// v1: the outbox.
constexpr std::string_view kOutbox = R"sql(
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  created BIGINT NOT NULL,
  account TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'webhook')),
  address TEXT NOT NULL,
  kind TEXT NOT NULL,
  site TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts BIGINT NOT NULL,
  next_attempt BIGINT NOT NULL,
  last_error TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt);
CREATE INDEX outbox_by_account ON outbox (account, created);
)sql";

// v2: the sending lease. A deliverer that takes a message for an attempt sets lease_until; until
// then no other deliverer (nor the same one) takes it again. A crash leaves the lease to run out,
// after which the message is due again.
constexpr std::string_view kLease = R"sql(
ALTER TABLE outbox ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
)sql";

// v3: webhook subscriptions. site '' is every site; kinds is a comma-separated list of Kind names.
constexpr std::string_view kWebhooks = R"sql(
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  created BIGINT NOT NULL,
  site TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  kinds TEXT NOT NULL,
  UNIQUE (site, url)
);
)sql";

}  // namespace

std::vector<store::Migration> migrations() {
  return {{"notify", 1, std::string(kOutbox)},
          {"notify", 2, std::string(kLease)},
          {"notify", 3, std::string(kWebhooks)}};
}

}  // namespace server::notify
