#include "scenario/expectations.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "protocol/names.hpp"
#include "server/audit/audit_type.hpp"
#include "server/maintenance/model.hpp"
#include "server/notify/outbox.hpp"

namespace scenario {

namespace {

Verdict verdict(std::string what, bool held, std::string saw) {
  return {held, std::move(what), held ? std::string() : std::move(saw)};
}

Verdict bolt(World& world, const Expectation& e) {
  std::string what = fmt::format("bolt of {} is {}", e.lock, e.bolt);
  auto view = world.fleet().inspect(e.lock);
  if (!view) return verdict(what, false, view.error().message);
  const std::string seen(protocol::wire_name(view->state.bolt));
  return verdict(what, seen == e.bolt, seen);
}

Verdict credential(World& world, const Expectation& e) {
  std::string what = fmt::format("credential of {} on {} is {}", e.holder, e.lock, e.status);
  auto placed = world.node().devices().placement(world.scenario().site, e.lock,
                                                 World::credential_id(e.holder, e.lock));
  if (!placed) return verdict(what, false, describe(placed.error()));
  const std::string seen(server::devices::to_string(placed->status));
  return verdict(what, seen == e.status, seen + (placed->error.empty() ? "" : " " + placed->error));
}

Verdict audit_includes(World& world, const Expectation& e) {
  std::string what = fmt::format("audit includes {}", fmt::join(e.includes, ", "));
  std::vector<std::string> missing;
  for (const std::string& type : e.includes) {
    server::audit::Filter filter;
    filter.type = server::audit::audit_type_from(type);
    filter.limit = 1;
    auto found = world.node().audit().list(filter);
    if (!found || found->empty()) missing.push_back(type);
  }
  return verdict(what, missing.empty(), fmt::format("no {}", fmt::join(missing, ", ")));
}

Verdict messages(World& world, const Expectation& e) {
  std::string what = fmt::format("{} {} message(s){} to {}", e.count, e.channel,
                                 e.message_kind.empty() ? "" : " of kind " + e.message_kind, e.to);
  server::notify::MessageFilter filter;
  filter.account = world.account_of(e.to);
  filter.channel = server::notify::channel_from(e.channel);
  if (!e.message_kind.empty()) filter.kind = server::notify::kind_from(e.message_kind);
  filter.limit = 100'000;
  auto list = world.node().outbox().list(filter);
  if (!list) return verdict(what, false, list.error().message);
  return verdict(what, static_cast<int>(list->size()) == e.count, fmt::format("{}", list->size()));
}

Verdict work_order(World& world, const Expectation& e) {
  std::string what = fmt::format("a {} work order for {} {}", e.work_order_kind, e.lock,
                                 e.exists ? "exists" : "does not exist");
  server::maintenance::ListFilter filter;
  filter.kind = server::maintenance::kind_from(e.work_order_kind);
  filter.target = e.lock;
  auto found = world.node().maintenance().work_orders().find(world.scenario().site, filter);
  if (!found) return verdict(what, false, describe(found.error()));
  const bool exists = !found->empty();
  return verdict(what, exists == e.exists, exists ? "one" : "none");
}

Verdict lockout_case(const Expectation& e) {
  std::string what;
  switch (e.kind) {
    case ExpectKind::case_diagnosis:
      what = fmt::format("case {} diagnosis", e.case_number);
      break;
    case ExpectKind::case_plan:
      what = fmt::format("case {} plan", e.case_number);
      break;
    default:
      what = fmt::format("case {} resolution", e.case_number);
      break;
  }
  return verdict(what, false, "no case: the lockout domain is not on this branch yet");
}

}  // namespace

Verdict evaluate(World& world, const Expectation& e) {
  switch (e.kind) {
    case ExpectKind::bolt:
      return bolt(world, e);
    case ExpectKind::credential:
      return credential(world, e);
    case ExpectKind::audit_includes:
      return audit_includes(world, e);
    case ExpectKind::messages:
      return messages(world, e);
    case ExpectKind::work_order:
      return work_order(world, e);
    case ExpectKind::case_diagnosis:
    case ExpectKind::case_plan:
    case ExpectKind::case_resolved:
      return lockout_case(e);
  }
  return {false, "?", "unknown expectation"};
}

}  // namespace scenario
