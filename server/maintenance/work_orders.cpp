#include "server/maintenance/work_orders.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "server/maintenance/lift.hpp"
#include "server/store/ids.hpp"
#include "server/store/map_rows.hpp"
#include "server/store/where.hpp"

namespace server::maintenance {

namespace {

namespace json = boost::json;

constexpr std::string_view kColumns =
    "id, site, target, kind, status, opened_at, reason, forecast_empty_at, taken_by, taken_at, "
    "closed_by, closed_at, closed_note";

store::Value nullable(const std::optional<UnixMs>& v) {
  return v ? store::Value(*v) : store::Value(store::null);
}

store::Result<std::optional<std::string>> optional_text(const store::Row& row, std::size_t col) {
  if (row.is_null(col)) return std::optional<std::string>();
  auto t = row.text(col);
  if (!t) return lockcore::fail(t.error());
  return std::optional<std::string>(std::string(*t));
}
store::Result<std::optional<UnixMs>> optional_time(const store::Row& row, std::size_t col) {
  if (row.is_null(col)) return std::optional<UnixMs>();
  auto t = row.int64(col);
  if (!t) return lockcore::fail(t.error());
  return std::optional<UnixMs>(*t);
}

store::Result<WorkOrder> read_order(const store::Row& row) {
  auto bad = [](std::string_view what) {
    return store::error(store::Errc::internal, "work_orders: unknown " + std::string(what));
  };
  WorkOrder o;
  auto id = row.text(0), site = row.text(1), target = row.text(2), kind = row.text(3),
       status = row.text(4), reason = row.text(6);
  auto opened = row.int64(5);
  for (const auto* t : {&id, &site, &target, &kind, &status, &reason})
    if (!*t) return lockcore::fail(t->error());
  if (!opened) return lockcore::fail(opened.error());
  auto k = kind_from(*kind);
  auto s = status_from(*status);
  if (!k) return bad("kind");
  if (!s) return bad("status");
  auto forecast = optional_time(row, 7), taken_at = optional_time(row, 9),
       closed_at = optional_time(row, 11);
  auto taken_by = optional_text(row, 8), closed_by = optional_text(row, 10),
       note = optional_text(row, 12);
  for (const auto* t : {&forecast, &taken_at, &closed_at})
    if (!*t) return lockcore::fail(t->error());
  for (const auto* t : {&taken_by, &closed_by, &note})
    if (!*t) return lockcore::fail(t->error());
  return WorkOrder{std::string(*id),
                   std::string(*site),
                   std::string(*target),
                   *k,
                   *s,
                   *opened,
                   std::string(*reason),
                   *forecast,
                   *taken_by,
                   *taken_at,
                   *closed_by,
                   *closed_at,
                   *note};
}

Result<std::vector<WorkOrder>> query_orders(store::Database& db, std::string_view site,
                                            const ListFilter& filter,
                                            std::optional<std::string_view> id = std::nullopt) {
  store::Where where;
  where.add("site = ?", std::string(site));
  if (id) where.add("id = ?", std::string(*id));
  if (filter.status) where.add("status = ?", std::string(to_string(*filter.status)));
  if (filter.kind) where.add("kind = ?", std::string(to_string(*filter.kind)));
  where.add_if("target = ?", filter.target);
  return lift(store::map_rows(
      db.query("SELECT " + std::string(kColumns) + " FROM work_orders" + where.sql() +
                   " ORDER BY opened_at DESC, id LIMIT " + std::to_string(kListLimit),
               where.params()),
      read_order));
}

// A close note: 1..kMaxNote bytes of UTF-8 text; line breaks and tabs are its only control
// characters.
bool valid_note(std::string_view note) {
  if (note.empty() || note.size() > kMaxNote) return false;
  std::size_t continuation = 0;
  for (const char ch : note) {
    const auto c = static_cast<unsigned char>(ch);
    if (continuation > 0) {
      if ((c & 0xC0) != 0x80) return false;
      --continuation;
    } else if (c >= 0xF0 && c <= 0xF4) {
      continuation = 3;
    } else if (c >= 0xE0 && c <= 0xEF) {
      continuation = 2;
    } else if (c >= 0xC2 && c <= 0xDF) {
      continuation = 1;
    } else if (c >= 0x80 || c == 0x7F || (c < 0x20 && c != '\n' && c != '\t' && c != '\r')) {
      return false;
    }
  }
  return continuation == 0;
}

std::string subject_of(const WorkOrder& o) {
  return std::string(is_about_hub(o.kind) ? "hub:" : "lock:") + o.target;
}

std::string json_of(const WorkOrder& o) {
  json::object out{{"id", o.id},
                   {"kind", to_string(o.kind)},
                   {"status", to_string(o.status)},
                   {is_about_hub(o.kind) ? "hub" : "lock", o.target}};
  return json::serialize(out);
}

}  // namespace

Status WorkOrders::may_manage(std::string_view actor, std::string_view site) const {
  return deps_.access.policy().check(actor, access::Action::manage_work_orders,
                                     {std::string(site), {}, {}}, deps_.scheduler.now());
}

Result<WorkOrder> WorkOrders::require(std::string_view site, std::string_view id) {
  auto found = query_orders(deps_.db, site, {}, id);
  if (!found) return fail(found.error());
  if (found->empty()) return fail(Error::not_found("no such work order"));
  return std::move(found->front());
}

Status WorkOrders::audit(audit::AuditType type, std::string_view actor, const WorkOrder& order) {
  json::object detail{{"work_order", order.id},
                      {"kind", to_string(order.kind)},
                      {"status", to_string(order.status)}};
  if (type == audit::AuditType::work_order_opened) detail["reason"] = order.reason;
  if (order.closed_note && type == audit::AuditType::work_order_closed)
    detail["note"] = *order.closed_note;
  auto appended = deps_.audit.append(
      {type, std::string(actor), order.site, subject_of(order), json::serialize(detail)});
  if (!appended) return fail(Error::from_store(appended.error()));
  return {};
}

Result<bool> WorkOrders::tell_team(const WorkOrder& order) {
  auto& people = deps_.access.memberships();
  const UnixMs now = deps_.scheduler.now();
  auto team = people.holders(order.site, {access::Role::maintenance, access::Role::manager}, now);
  if (!team) return fail(team.error());
  if (team->empty()) {
    team = people.holders(order.site, {access::Role::owner}, now);
    if (!team) return fail(team.error());
  }
  bool any = false;
  for (const access::AccountInfo& who : *team) {
    if (who.email.empty()) continue;
    notify::Notice notice;
    notice.account = who.id;
    notice.channel = notify::Channel::email;
    notice.address = who.email;
    notice.kind = notify::Kind::work_order;
    notice.site = order.site;
    notice.subject = fmt::format("Work order: {} at {} {}", to_string(order.kind),
                                 is_about_hub(order.kind) ? "hub" : "lock", order.target);
    notice.body =
        fmt::format("A {} work order was opened at site {} for {}.\n\n{}\n\nOrder {}.",
                    to_string(order.kind), order.site, subject_of(order), order.reason, order.id);
    auto queued = deps_.outbox.enqueue(notice);
    if (!queued) return fail(Error::from_store(queued.error()));
    any = true;
  }
  return any;
}

Result<std::optional<WorkOrder>> WorkOrders::open_in_transaction(const Opening& opening) {
  auto existing = lift(deps_.db.query(
      "SELECT id FROM work_orders WHERE site = ? AND target = ? AND kind = ? AND status <> ?",
      {opening.site, opening.target, std::string(to_string(opening.kind)), std::string("closed")}));
  if (!existing) return fail(existing.error());
  if (!existing->empty()) return std::optional<WorkOrder>();

  WorkOrder order;
  order.id = store::new_id("wo");
  order.site = opening.site;
  order.target = opening.target;
  order.kind = opening.kind;
  order.status = OrderStatus::open;
  order.opened_at = deps_.scheduler.now();
  order.reason = opening.reason;
  order.forecast_empty_at = opening.forecast_empty_at;
  auto inserted = deps_.db.execute(
      "INSERT INTO work_orders (id, site, target, kind, status, opened_at, reason, "
      "forecast_empty_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {order.id, order.site, order.target, std::string(to_string(order.kind)),
       std::string(to_string(order.status)), order.opened_at, order.reason,
       nullable(order.forecast_empty_at)});
  if (!inserted) {
    if (inserted.error().code == store::Errc::foreign_key_violation)
      return fail(Error::not_found("no such site"));
    return fail(Error::from_store(inserted.error()));
  }
  if (auto ok = audit(audit::AuditType::work_order_opened, "system", order); !ok)
    return fail(ok.error());
  auto told = tell_team(order);
  if (!told) return fail(told.error());
  return std::optional<WorkOrder>(std::move(order));
}

Result<std::optional<UnixMs>> WorkOrders::last_closed(std::string_view site,
                                                      std::string_view target, Kind kind) {
  auto rows = lift(deps_.db.query(
      "SELECT closed_at FROM work_orders WHERE site = ? AND target = ? AND kind = ? AND "
      "status = ? ORDER BY closed_at DESC LIMIT 1",
      {std::string(site), std::string(target), std::string(to_string(kind)),
       std::string("closed")}));
  if (!rows) return fail(rows.error());
  if (rows->empty()) return std::optional<UnixMs>();
  return lift(optional_time((*rows)[0], 0));
}

void WorkOrders::announce(const WorkOrder& order, bool enqueued) {
  if (deps_.live) deps_.live->publish({order.site, "work_order", json_of(order)});
  if (enqueued && deps_.enqueued) deps_.enqueued();
}

Result<std::vector<WorkOrder>> WorkOrders::list(std::string_view actor, std::string_view site,
                                                const ListFilter& filter) {
  if (auto ok = may_manage(actor, site); !ok) return fail(ok.error());
  return query_orders(deps_.db, site, filter);
}

Result<std::vector<WorkOrder>> WorkOrders::find(std::string_view site, const ListFilter& filter) {
  return query_orders(deps_.db, site, filter);
}

Result<WorkOrder> WorkOrders::take(std::string_view actor, std::string_view site,
                                   std::string_view id) {
  if (auto ok = may_manage(actor, site); !ok) return fail(ok.error());
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  auto order = require(site, id);
  if (!order) return fail(order.error());
  if (order->status != OrderStatus::open)
    return fail(Error::conflict("this work order is " + std::string(to_string(order->status))));
  order->status = OrderStatus::taken;
  order->taken_by = std::string(actor);
  order->taken_at = deps_.scheduler.now();
  auto changed = lift(deps_.db.execute(
      "UPDATE work_orders SET status = ?, taken_by = ?, taken_at = ? WHERE id = ? AND status = ?",
      {std::string("taken"), *order->taken_by, *order->taken_at, order->id, std::string("open")}));
  if (!changed) return fail(changed.error());
  if (auto ok = audit(audit::AuditType::work_order_taken, "account:" + std::string(actor), *order);
      !ok)
    return fail(ok.error());
  if (auto done = lift(tx->commit()); !done) return fail(done.error());
  announce(*order, false);
  return std::move(*order);
}

Result<WorkOrder> WorkOrders::close(std::string_view actor, std::string_view site,
                                    std::string_view id, std::string_view note) {
  if (auto ok = may_manage(actor, site); !ok) return fail(ok.error());
  if (!valid_note(note))
    return fail(Error::invalid_field(
        "note", fmt::format("must be 1-{} bytes of UTF-8 text without control characters "
                            "other than line breaks and tabs",
                            kMaxNote)));
  auto tx = lift(deps_.db.begin());
  if (!tx) return fail(tx.error());
  auto order = require(site, id);
  if (!order) return fail(order.error());
  if (order->status == OrderStatus::closed)
    return fail(Error::conflict("this work order is closed"));
  order->status = OrderStatus::closed;
  order->closed_by = std::string(actor);
  order->closed_at = deps_.scheduler.now();
  order->closed_note = std::string(note);
  auto changed = lift(deps_.db.execute(
      "UPDATE work_orders SET status = ?, closed_by = ?, closed_at = ?, closed_note = ? "
      "WHERE id = ? AND status <> ?",
      {std::string("closed"), *order->closed_by, *order->closed_at, *order->closed_note, order->id,
       std::string("closed")}));
  if (!changed) return fail(changed.error());
  if (auto ok = audit(audit::AuditType::work_order_closed, "account:" + std::string(actor), *order);
      !ok)
    return fail(ok.error());
  if (auto done = lift(tx->commit()); !done) return fail(done.error());
  announce(*order, false);
  return std::move(*order);
}

}  // namespace server::maintenance
