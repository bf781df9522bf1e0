#include "server/notify/outbox.hpp"

#include <array>

#include "server/store/ids.hpp"
#include "server/store/map_rows.hpp"
#include "server/store/where.hpp"

namespace server::notify {

namespace {

constexpr std::array<std::string_view, 3> kChannels = {"email", "sms", "webhook"};
constexpr std::array<std::string_view, 6> kKinds = {
    "backup_code", "security_notice", "lockout_update", "work_order", "access_code", "lock_alert"};
constexpr std::array<std::string_view, 3> kStatuses = {"pending", "sent", "failed"};
static_assert(kKinds.size() == static_cast<std::size_t>(Kind::lock_alert) + 1);

template <class E, std::size_t N>
std::optional<E> from_name(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::string_view kSchema = R"sql(
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

constexpr std::string_view kColumns =
    "id, created, account, channel, address, kind, site, subject, body, status, attempts, "
    "next_attempt, last_error";

store::Result<Message> message_from(const store::Row& row) {
  std::string_view text[11];
  const std::size_t text_cols[] = {0, 2, 3, 4, 5, 6, 7, 8, 9, 12};
  for (std::size_t i = 0; i < std::size(text_cols); ++i) {
    auto value = row.text(text_cols[i]);
    if (!value) return lockcore::fail(value.error());
    text[i] = *value;
  }
  auto created = row.int64(1);
  auto attempts = row.int64(10);
  auto next_attempt = row.int64(11);
  if (!created) return lockcore::fail(created.error());
  if (!attempts) return lockcore::fail(attempts.error());
  if (!next_attempt) return lockcore::fail(next_attempt.error());
  auto channel = from_name<Channel>(kChannels, text[2]);
  auto kind = from_name<Kind>(kKinds, text[4]);
  auto status = from_name<DeliveryStatus>(kStatuses, text[8]);
  if (!channel || !kind || !status) {
    return store::error(store::Errc::internal,
                        "outbox: message " + std::string(text[0]) + " has an unknown name");
  }
  Message m;
  m.id = text[0];
  m.created = *created;
  m.notice = Notice{std::string(text[1]), *channel,
                    std::string(text[3]), *kind,
                    std::string(text[5]), std::string(text[6]),
                    std::string(text[7])};
  m.status = *status;
  m.attempts = *attempts;
  m.next_attempt = *next_attempt;
  m.last_error = text[9];
  return m;
}

store::Result<std::vector<Message>> messages_from(const store::Result<store::Rows>& rows) {
  return store::map_rows(rows, message_from);
}

}  // namespace

std::string_view to_string(Channel channel) {
  return kChannels[static_cast<std::size_t>(channel)];
}
std::string_view to_string(Kind kind) {
  return kKinds[static_cast<std::size_t>(kind)];
}
std::string_view to_string(DeliveryStatus s) {
  return kStatuses[static_cast<std::size_t>(s)];
}
std::optional<Channel> channel_from(std::string_view name) {
  return from_name<Channel>(kChannels, name);
}
std::optional<Kind> kind_from(std::string_view name) {
  return from_name<Kind>(kKinds, name);
}

store::Result<std::string> Outbox::enqueue(const Notice& n) {
  std::string id = store::new_id("msg");
  const lockcore::UnixMs now = clock_.now();
  auto inserted = db_.execute("INSERT INTO outbox (" + std::string(kColumns) +
                                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, '')",
                              {id, now, n.account, std::string(to_string(n.channel)), n.address,
                               std::string(to_string(n.kind)), n.site, n.subject, n.body, now});
  if (!inserted) return lockcore::fail(inserted.error());
  return id;
}

store::Result<std::vector<Message>> Outbox::due(std::size_t limit) const {
  return messages_from(db_.query("SELECT " + std::string(kColumns) +
                                     " FROM outbox WHERE status = 'pending' AND next_attempt <= ?"
                                     " ORDER BY next_attempt, created LIMIT ?",
                                 {clock_.now(), static_cast<std::int64_t>(limit)}));
}

store::Status Outbox::mark_sent(const std::string& id) {
  auto changed = db_.execute(
      "UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = '' WHERE id = ?",
      {id});
  if (!changed) return lockcore::fail(changed.error());
  if (*changed == 0) return store::error(store::Errc::misuse, "outbox: no message " + id);
  return {};
}

store::Status Outbox::mark_failed(const std::string& id, const std::string& error,
                                  std::optional<lockcore::UnixMs> next_attempt) {
  auto changed = db_.execute(
      "UPDATE outbox SET status = ?, attempts = attempts + 1, next_attempt = ?, last_error = ? "
      "WHERE id = ?",
      {std::string(next_attempt ? "pending" : "failed"), next_attempt.value_or(clock_.now()), error,
       id});
  if (!changed) return lockcore::fail(changed.error());
  if (*changed == 0) return store::error(store::Errc::misuse, "outbox: no message " + id);
  return {};
}

store::Result<std::vector<Message>> Outbox::list(const MessageFilter& filter) const {
  store::Where where;
  where.add_if("account = ?", filter.account);
  if (filter.channel) where.add("channel = ?", std::string(to_string(*filter.channel)));
  if (filter.kind) where.add("kind = ?", std::string(to_string(*filter.kind)));
  where.add_if("site = ?", filter.site);
  where.params().emplace_back(static_cast<std::int64_t>(filter.limit));
  return messages_from(db_.query("SELECT " + std::string(kColumns) + " FROM outbox" + where.sql() +
                                     " ORDER BY created DESC, id LIMIT ?",
                                 where.params()));
}

std::vector<store::Migration> migrations() {
  return {{"notify", 1, std::string(kSchema)}};
}

}  // namespace server::notify
