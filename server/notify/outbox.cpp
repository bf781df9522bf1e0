#include "server/notify/outbox.hpp"

#include <array>

#include "server/common/enum_names.hpp"
#include "server/store/ids.hpp"
#include "server/store/map_rows.hpp"
#include "server/store/where.hpp"

namespace server::notify {

namespace {

constexpr std::array<std::string_view, 3> kChannels = {"email", "sms", "webhook"};
constexpr std::array<std::string_view, 7> kKinds = {
    "backup_code", "security_notice", "lockout_update", "work_order",
    "access_code", "lock_alert",      "password_reset"};
constexpr std::array<std::string_view, 3> kStatuses = {"pending", "sent", "failed"};
static_assert(kKinds.size() == static_cast<std::size_t>(Kind::password_reset) + 1);

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

// "?, ?" for `channels`, their names appended to `params`.
std::string in_list(const std::vector<Channel>& channels, store::Params& params) {
  std::string marks;
  for (Channel c : channels) {
    marks += marks.empty() ? "?" : ", ?";
    params.emplace_back(std::string(to_string(c)));
  }
  return marks;
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
  return due(limit, {Channel::email, Channel::sms, Channel::webhook});
}

store::Result<std::vector<Message>> Outbox::due(std::size_t limit,
                                                const std::vector<Channel>& channels) const {
  if (channels.empty()) return std::vector<Message>{};
  const lockcore::UnixMs now = clock_.now();
  store::Params params{now, now};
  std::string sql = "SELECT " + std::string(kColumns) +
                    " FROM outbox WHERE status = 'pending' AND next_attempt <= ?"
                    " AND lease_until <= ? AND channel IN (" +
                    in_list(channels, params) + ") ORDER BY next_attempt, created LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(limit));
  return messages_from(db_.query(sql, params));
}

store::Result<bool> Outbox::claim(const std::string& id, lockcore::UnixMs lease_until) {
  const lockcore::UnixMs now = clock_.now();
  auto changed = db_.execute(
      "UPDATE outbox SET lease_until = ? WHERE id = ? AND status = 'pending' AND "
      "next_attempt <= ? AND lease_until <= ?",
      {lease_until, id, now, now});
  if (!changed) return lockcore::fail(changed.error());
  return *changed == 1;
}

store::Status Outbox::release(const std::string& id) {
  auto changed = db_.execute("UPDATE outbox SET lease_until = 0 WHERE id = ?", {id});
  if (!changed) return lockcore::fail(changed.error());
  if (*changed == 0) return store::error(store::Errc::misuse, "outbox: no message " + id);
  return {};
}

store::Result<std::optional<lockcore::UnixMs>> Outbox::next_due(
    const std::vector<Channel>& channels) const {
  if (channels.empty()) return std::optional<lockcore::UnixMs>();
  store::Params params;
  auto rows = db_.query(
      "SELECT min(CASE WHEN lease_until > next_attempt THEN lease_until ELSE next_attempt END) "
      "FROM outbox WHERE status = 'pending' AND channel IN (" +
          in_list(channels, params) + ")",
      params);
  if (!rows) return lockcore::fail(rows.error());
  if ((*rows)[0].is_null(0)) return std::optional<lockcore::UnixMs>();
  auto at = (*rows)[0].int64(0);
  if (!at) return lockcore::fail(at.error());
  return std::optional<lockcore::UnixMs>(*at);
}

store::Result<std::int64_t> Outbox::pending(Channel channel) const {
  auto rows = db_.query("SELECT count(*) FROM outbox WHERE status = 'pending' AND channel = ?",
                        {std::string(to_string(channel))});
  if (!rows) return lockcore::fail(rows.error());
  return (*rows)[0].int64(0);
}

store::Status Outbox::mark_sent(const std::string& id) {
  auto changed = db_.execute(
      "UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = '', lease_until = "
      "0 "
      "WHERE id = ?",
      {id});
  if (!changed) return lockcore::fail(changed.error());
  if (*changed == 0) return store::error(store::Errc::misuse, "outbox: no message " + id);
  return {};
}

store::Status Outbox::mark_failed(const std::string& id, const std::string& error,
                                  std::optional<lockcore::UnixMs> next_attempt) {
  auto changed = db_.execute(
      "UPDATE outbox SET status = ?, attempts = attempts + 1, next_attempt = ?, last_error = ?, "
      "lease_until = 0 WHERE id = ?",
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

}  // namespace server::notify
