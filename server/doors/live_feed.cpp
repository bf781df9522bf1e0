#include "server/doors/live_feed.hpp"

#include <boost/json/parse.hpp>

#include "server/doors/doors.hpp"

namespace server::doors {

namespace {

namespace json = boost::json;
using access::Action;

std::string_view text_of(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return {};
  return it->value().get_string();
}

}  // namespace

bool LiveFeed::may(std::string_view actor, Action action, const live::Update& update,
                   std::string_view lock) const {
  access::Scope scope{update.site, {}, {}};
  if (!lock.empty()) scope.lock = std::string(lock);
  auto decided = access_.policy().decide(actor, action, scope, clock_.now());
  return decided && decided->allowed();
}

bool LiveFeed::visible(std::string_view actor, const live::Update& update) const {
  boost::system::error_code ec;
  json::value parsed = json::parse(update.json, ec);
  if (ec || !parsed.is_object()) return false;
  const json::object& o = parsed.get_object();
  const std::string_view lock = text_of(o, "lock");
  if (update.topic == "lock")
    return !lock.empty() && may(actor, Action::view_lock_state, update, lock);
  if (update.topic == "hub") return may(actor, Action::view_fleet_health, update);
  if (update.topic == "command") {
    return text_of(o, "requested_by") == requester(actor) || may(actor, Action::view_audit, update);
  }
  if (update.topic == "credential" || update.topic == "fanout") {
    const std::string_view credential = text_of(o, "credential");
    if (codes_.get(actor, update.site, credential)) return true;
    return text_of(o, "kind") == "backup" && may(actor, Action::manage_any_code, update);
  }
  if (update.topic == "event") return may(actor, Action::view_audit, update);
  if (update.topic == "work_order") return may(actor, Action::manage_work_orders, update);
  return false;
}

}  // namespace server::doors
