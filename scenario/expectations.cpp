#include "scenario/expectations.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "protocol/names.hpp"
#include "server/audit/audit_type.hpp"
#include "server/lockout/lockout.hpp"
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

// The ids under `key` ("causes" or "plan") of a stored diagnosis, in order, by `field`.
std::vector<std::string> ids_of(const boost::json::value& diagnosis, std::string_view key,
                                std::string_view field) {
  std::vector<std::string> out;
  const boost::json::value* list =
      diagnosis.is_object() ? diagnosis.as_object().if_contains(key) : nullptr;
  if (!list || !list->is_array()) return out;
  for (const boost::json::value& item : list->as_array()) {
    const boost::json::value* id = item.is_object() ? item.as_object().if_contains(field) : nullptr;
    if (id && id->is_string()) out.emplace_back(id->as_string());
  }
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

// first / includes / excludes against `seen` (in order); empty when every part holds, else what
// did not.
std::string mismatch(const std::vector<std::string>& seen, const std::string& first,
                     const std::vector<std::string>& includes,
                     const std::vector<std::string>& excludes) {
  std::vector<std::string> wrong;
  if (!first.empty() && (seen.empty() || seen.front() != first))
    wrong.push_back(fmt::format("first is {}", seen.empty() ? "nothing" : seen.front()));
  for (const std::string& id : includes)
    if (!contains(seen, id)) wrong.push_back("no " + id);
  for (const std::string& id : excludes)
    if (contains(seen, id)) wrong.push_back("has " + id);
  return fmt::format("{}", fmt::join(wrong, ", "));
}

std::string expected_text(std::string_view first_word, const std::string& first,
                          const std::vector<std::string>& includes,
                          const std::vector<std::string>& excludes) {
  std::vector<std::string> parts;
  if (!first.empty()) parts.push_back(fmt::format("{} {}", first_word, first));
  if (!includes.empty()) parts.push_back(fmt::format("includes {}", fmt::join(includes, ", ")));
  if (!excludes.empty()) parts.push_back(fmt::format("excludes {}", fmt::join(excludes, ", ")));
  return fmt::format("{}", fmt::join(parts, "; "));
}

Verdict lockout_case(World& world, const Expectation& e, const std::vector<CaseRef>& cases) {
  const auto n = static_cast<std::size_t>(e.case_number);
  std::string what;
  switch (e.kind) {
    case ExpectKind::case_diagnosis:
      what = fmt::format("case {} causes: {}", n,
                         expected_text("top", e.top_cause, e.includes, e.excludes));
      break;
    case ExpectKind::case_plan:
      what = fmt::format("case {} plan: {}", n,
                         expected_text("first", e.plan_first, e.includes, e.excludes));
      break;
    default:
      what = fmt::format("case {} is {}{}", n, e.resolved ? "resolved" : "not resolved",
                         e.resolved_by.empty() ? "" : " by " + e.resolved_by);
      break;
  }
  if (n == 0 || n > cases.size() || cases[n - 1].id.empty())
    return verdict(what, false, "the case was never opened");
  auto found = world.node().lockout().find(cases[n - 1].id);
  if (!found) return verdict(what, false, describe(found.error()));
  if (!*found) return verdict(what, false, "no such case in the lockout domain");
  const server::lockout::CaseRecord& c = **found;
  if (e.kind == ExpectKind::case_resolved) {
    const bool resolved = c.status == server::lockout::CaseStatus::resolved;
    const std::string by = c.resolved_by ? std::string(to_string(*c.resolved_by)) : "no action";
    const bool held = resolved == e.resolved && (e.resolved_by.empty() || by == e.resolved_by);
    return verdict(what, held,
                   fmt::format("{} (resolved by {})", server::lockout::to_string(c.status), by));
  }
  boost::system::error_code ec;
  const boost::json::value diagnosis = boost::json::parse(c.diagnosis, ec);
  if (ec) return verdict(what, false, "the stored diagnosis is not JSON");
  const std::vector<std::string> causes = ids_of(diagnosis, "causes", "id");
  const std::vector<std::string> plan = ids_of(diagnosis, "plan", "action");
  const std::string wrong = e.kind == ExpectKind::case_diagnosis
                                ? mismatch(causes, e.top_cause, e.includes, e.excludes)
                                : mismatch(plan, e.plan_first, e.includes, e.excludes);
  return verdict(what, wrong.empty(),
                 fmt::format("{}; causes [{}]; plan [{}]", wrong, fmt::join(causes, ", "),
                             fmt::join(plan, ", ")));
}

}  // namespace

Verdict evaluate(World& world, const Expectation& e, const std::vector<CaseRef>& cases) {
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
      return lockout_case(world, e, cases);
  }
  return {false, "?", "unknown expectation"};
}

}  // namespace scenario
