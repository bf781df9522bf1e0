#include "server/lockout/diagnosis_json.hpp"

#include <boost/json/array.hpp>

#include "server/lockout/diagnosis/steps.hpp"

namespace server::lockout {

namespace {

namespace json = boost::json;

json::array steps_json(std::span<const std::string_view> steps) {
  json::array out;
  for (std::string_view s : steps)
    out.emplace_back(s);
  return out;
}

json::object step_json(const PlanStep& p, bool request) {
  return {
      {"action", to_string(p.action)},
      {"rank", p.rank},
      {"addresses", p.addresses ? json::value(to_string(*p.addresses)) : json::value(nullptr)},
      {"steps", steps_json(p.steps)},
      {"wait_s", p.wait_s},
      {"work_order", p.work_order ? json::value(to_string(*p.work_order)) : json::value(nullptr)},
      {"request", request}};
}

}  // namespace

json::object diagnosis_json(const Diagnosis& d, const Snapshot& snapshot, bool unknown_caller) {
  json::array causes;
  for (const Cause& c : d.causes) {
    json::array evidence;
    for (const Evidence& e : c.evidence)
      evidence.emplace_back(json::object{{"source", to_string(e.source)}, {"fact", e.fact.view()}});
    causes.emplace_back(json::object{{"id", to_string(c.id)},
                                     {"layer", to_string(c.layer)},
                                     {"confidence", c.confidence},
                                     {"suspected", c.suspected},
                                     {"needs_on_door_test", c.needs_on_door_test},
                                     {"evidence", std::move(evidence)}});
  }
  json::array paths;
  for (const PathStatus& p : d.paths)
    paths.emplace_back(json::object{{"path", to_string(p.path)},
                                    {"alive", p.alive},
                                    {"after_cooldown", p.after_cooldown},
                                    {"why", p.why}});
  json::array plan;
  bool has_backup = false;
  for (const PlanStep& p : d.plan) {
    has_backup = has_backup || p.action == ActionId::send_backup_code;
    plan.emplace_back(step_json(p, false));
  }
  const PathStatus& keypad = d.path(Path::keypad);
  if (unknown_caller && !has_backup && (keypad.alive || keypad.after_cooldown) &&
      snapshot.lock.backup_pool_available && !snapshot.lock.epoch_changed) {
    PlanStep request;
    request.action = ActionId::send_backup_code;
    request.rank = rank_of(ActionId::send_backup_code);
    request.steps = steps_for(ActionId::send_backup_code, snapshot.lock.link);
    plan.emplace_back(step_json(request, true));
  }
  return {{"causes", std::move(causes)}, {"paths", std::move(paths)}, {"plan", std::move(plan)}};
}

}  // namespace server::lockout
