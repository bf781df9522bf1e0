#include "server/access/records.hpp"

#include <algorithm>
#include <array>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "server/access/schedule.hpp"
#include "server/store/map_rows.hpp"

namespace server::access {

namespace {

constexpr std::string_view kMembershipColumns =
    "id, site, unit, account, role, valid_from, valid_until, schedule, status, created, granted_by";

constexpr std::array<std::string_view, 3> kMembershipStatuses = {"active", "suspended", "ended"};
constexpr std::array<std::string_view, 4> kTransferStatuses = {"pending", "accepted", "cancelled",
                                                               "expired"};

store::Result<std::optional<std::int64_t>> optional_int(const store::Row& row, std::size_t col) {
  if (row.is_null(col)) return std::optional<std::int64_t>();
  auto v = row.int64(col);
  if (!v) return lockcore::fail(v.error());
  return std::optional<std::int64_t>(*v);
}

store::Result<std::string> text(const store::Row& row, std::size_t col) {
  auto v = row.text(col);
  if (!v) return lockcore::fail(v.error());
  return std::string(*v);
}

lockcore::Failure<store::Error> corrupt(std::string what) {
  return store::error(store::Errc::internal, "access: " + what);
}

store::Result<Membership> read_membership(const store::Row& row) {
  Membership m;
  std::string* texts[] = {&m.id, &m.site, nullptr, &m.account};
  for (std::size_t i = 0; i < 4; ++i) {
    if (texts[i] == nullptr) continue;
    auto v = text(row, i);
    if (!v) return lockcore::fail(v.error());
    *texts[i] = std::move(*v);
  }
  if (!row.is_null(2)) {
    auto unit = text(row, 2);
    if (!unit) return lockcore::fail(unit.error());
    m.unit = std::move(*unit);
  }
  auto role = row.text(4);
  auto from = optional_int(row, 5);
  auto until = optional_int(row, 6);
  auto schedule = row.text(7);
  auto status = row.text(8);
  auto created = row.int64(9);
  auto granted_by = text(row, 10);
  if (!role || !from || !until || !schedule || !status || !created || !granted_by)
    return corrupt("membership " + m.id + " has a column of the wrong type");
  auto parsed_role = role_from(*role);
  if (!parsed_role) return corrupt("membership " + m.id + " has an unknown role");
  m.role = *parsed_role;
  m.valid_from = *from;
  m.valid_until = *until;
  if (!schedule->empty()) {
    auto parsed = parse_schedule(*schedule);
    if (!parsed) return corrupt("membership " + m.id + ": " + parsed.error());
    m.schedule = *parsed;
  }
  auto it = std::find(kMembershipStatuses.begin(), kMembershipStatuses.end(), *status);
  if (it == kMembershipStatuses.end())
    return corrupt("membership " + m.id + " has an unknown status");
  m.status = static_cast<MembershipStatus>(it - kMembershipStatuses.begin());
  m.created = *created;
  m.granted_by = std::move(*granted_by);
  return m;
}

Result<std::vector<Membership>> query_memberships(store::Database& db, std::string_view where,
                                                  const store::Params& params) {
  return lift(store::map_rows(
      db.query("SELECT " + std::string(kMembershipColumns) + " FROM memberships WHERE " +
                   std::string(where) + " ORDER BY created, id",
               params),
      read_membership));
}

store::Value optional_value(const std::optional<std::int64_t>& v) {
  return v ? store::Value(*v) : store::Value(store::null);
}

}  // namespace

std::string_view to_string(MembershipStatus status) {
  return kMembershipStatuses[static_cast<std::size_t>(status)];
}
std::string_view to_string(TransferStatus status) {
  return kTransferStatuses[static_cast<std::size_t>(status)];
}

Status lift(const store::Status& s) {
  if (!s) return fail(Error::from_store(s.error()));
  return {};
}

std::string account_ref(std::string_view account) {
  return "account:" + std::string(account);
}

std::string json_detail(
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  boost::json::object out;
  for (const auto& [key, value] : fields)
    out[key] = value;
  return boost::json::serialize(out);
}

Status check_id(std::string_view field, std::string_view id) {
  if (!lockcore::is_valid_id(id))
    return fail(Error::invalid_field(field, "must be 1-32 characters of A-Z a-z 0-9 . _ -"));
  return {};
}

Status check_name(std::string_view field, std::string_view name) {
  constexpr std::size_t kMaxName = 100;
  bool ok = !name.empty() && name.size() <= kMaxName;
  // UTF-8: lead bytes announce 1-4 byte sequences; no control characters, no overlongs to speak
  // of (the lead bytes C0, C1 and F5-FF are refused).
  for (std::size_t i = 0; ok && i < name.size();) {
    const auto c = static_cast<unsigned char>(name[i]);
    std::size_t n = c < 0x80                   ? 1
                    : (c >= 0xC2 && c <= 0xDF) ? 2
                    : (c >= 0xE0 && c <= 0xEF) ? 3
                    : (c >= 0xF0 && c <= 0xF4) ? 4
                                               : 0;
    ok = n != 0 && i + n <= name.size() && !(c < 0x20 || c == 0x7F);
    for (std::size_t k = 1; ok && k < n; ++k)
      ok = (static_cast<unsigned char>(name[i + k]) & 0xC0) == 0x80;
    i += n == 0 ? 1 : n;
  }
  if (!ok)
    return fail(Error::invalid_field(
        field, "must be 1-100 bytes of UTF-8 text without control characters"));
  return {};
}

Result<std::optional<Site>> find_site(store::Database& db, std::string_view id) {
  auto rows = lift(
      db.query("SELECT id, name, timezone, created FROM sites WHERE id = ?", {std::string(id)}));
  if (!rows) return fail(rows.error());
  if (rows->empty()) return std::optional<Site>();
  const store::Row& row = (*rows)[0];
  auto name = row.text(1);
  auto zone = row.text(2);
  auto created = row.int64(3);
  if (!name || !zone || !created)
    return fail(Error(Errc::internal, "access: site " + std::string(id) + " is unreadable"));
  return std::optional<Site>(
      Site{std::string(id), std::string(*name), std::string(*zone), *created});
}

Result<std::optional<Unit>> find_unit(store::Database& db, std::string_view site,
                                      std::string_view id) {
  auto rows = lift(db.query("SELECT name FROM units WHERE site = ? AND id = ? AND removed IS NULL",
                            {std::string(site), std::string(id)}));
  if (!rows) return fail(rows.error());
  if (rows->empty()) return std::optional<Unit>();
  auto name = (*rows)[0].text(0);
  if (!name) return fail(Error::from_store(name.error()));
  return std::optional<Unit>(Unit{std::string(site), std::string(id), std::string(*name)});
}

Result<std::vector<Membership>> memberships_of(store::Database& db, std::string_view account,
                                               std::string_view site) {
  return query_memberships(db, "account = ? AND site = ? AND status <> 'ended'",
                           {std::string(account), std::string(site)});
}

Result<std::vector<Membership>> memberships_at(store::Database& db, std::string_view site) {
  return query_memberships(db, "site = ? AND status <> 'ended'", {std::string(site)});
}

Result<std::optional<Membership>> find_membership(store::Database& db, std::string_view site,
                                                  std::string_view id) {
  auto found = query_memberships(db, "id = ? AND site = ?", {std::string(id), std::string(site)});
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<Membership>();
  return std::optional<Membership>(std::move(found->front()));
}

Result<std::vector<std::string>> sites_of(store::Database& db, std::string_view account) {
  return lift(store::map_rows(
      db.query("SELECT DISTINCT site FROM memberships WHERE account = ? AND status <> 'ended' "
               "ORDER BY site",
               {std::string(account)}),
      [](const store::Row& row) { return text(row, 0); }));
}

Status insert_membership(store::Database& db, const Membership& m) {
  auto inserted = db.execute(
      "INSERT INTO memberships (" + std::string(kMembershipColumns) +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.id, m.site, m.unit ? store::Value(*m.unit) : store::Value(store::null), m.account,
       std::string(to_string(m.role)), optional_value(m.valid_from), optional_value(m.valid_until),
       format_schedule(m.schedule), std::string(to_string(m.status)), m.created, m.granted_by});
  if (!inserted) return fail(Error::from_store(inserted.error()));
  return {};
}

Status update_membership(store::Database& db, const Membership& m, UnixMs now) {
  auto changed = db.execute(
      "UPDATE memberships SET role = ?, status = ?, ended = ? WHERE id = ?",
      {std::string(to_string(m.role)), std::string(to_string(m.status)),
       m.status == MembershipStatus::ended ? store::Value(now) : store::Value(store::null), m.id});
  if (!changed) return fail(Error::from_store(changed.error()));
  return {};
}

Status audit(const Deps& deps, audit::AuditType type, std::string_view actor, std::string_view site,
             std::string subject, std::string detail) {
  auto appended = deps.audit.append(
      {type, std::string(actor), std::string(site), std::move(subject), std::move(detail)});
  if (!appended) return fail(Error::from_store(appended.error()));
  return {};
}

Status notify_account(const Deps& deps, std::string_view account, std::string_view site,
                      std::string subject, std::string body) {
  auto info = deps.accounts.find(account);
  if (!info) return fail(info.error());
  if (!*info || (*info)->email.empty()) return {};
  notify::Notice notice;
  notice.account = std::string(account);
  notice.channel = notify::Channel::email;
  notice.address = (*info)->email;
  notice.kind = notify::Kind::security_notice;
  notice.site = std::string(site);
  notice.subject = std::move(subject);
  notice.body = std::move(body);
  auto queued = deps.outbox.enqueue(notice);
  if (!queued) return fail(Error::from_store(queued.error()));
  return {};
}

}  // namespace server::access
