#include "scenario/lockout_steps.hpp"

#include <array>
#include <string>

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

#include "server/identity/sign_in_throttle.hpp"
#include "server/lockout/lockout.hpp"
#include "server/notify/outbox.hpp"

namespace scenario {

namespace {

namespace lockout = server::lockout;

constexpr std::array<std::string_view, 5> kLockoutSteps = {
    "report_lockout", "request_backup_code", "open_backup_link", "take_action", "verify_identity"};

StepOutcome seen(Outcome o, std::string detail) {
  return {o, std::move(detail)};
}

// Where a person's requests come from when she is not signed in: one address per person, so that
// the per-source rate limit counts her alone.
std::string source_of(const World& world, const std::string& person) {
  const auto& people = world.scenario().people;
  std::size_t index = 0;
  while (index < people.size() && people[index].id != person)
    ++index;
  return server::identity::source_of(
      boost::asio::ip::make_address(fmt::format("192.0.2.{}", 1 + index % 250)));
}

// The newest case `person` reported, if any.
const CaseRef* latest_case_of(const RunState& state, const std::string& person) {
  for (auto it = state.cases.rbegin(); it != state.cases.rend(); ++it)
    if (it->who == person && !it->id.empty()) return &*it;
  return nullptr;
}

// The door a backup request names: the person's latest case's, else her unit's, else the first.
std::string door_of(const World& world, const RunState& state, const std::string& person) {
  if (const CaseRef* c = latest_case_of(state, person)) return c->lock;
  const Scenario& s = world.scenario();
  for (const MembershipDecl& m : s.find_person(person)->memberships)
    for (const LockDecl& l : s.locks)
      if (m.unit && l.unit == m.unit) return l.id;
  return s.locks.front().id;
}

// The person acting in the app or the console, or why she cannot.
Outcome_<server::Result<lockout::Caller>> caller_of(World& world, RunState& state,
                                                    const std::string& person) {
  auto actor = world.person_actor(person, state.lost_mfa[person]);
  if (!actor) return lockcore::fail(actor.error());
  if (!*actor) return server::Result<lockout::Caller>(server::fail(actor->error()));
  return server::Result<lockout::Caller>(lockout::Caller{**actor, source_of(world, person)});
}

Outcome_<StepOutcome> report(World& world, RunState& state, const Step& step) {
  lockout::NewCase wizard;
  wizard.site = world.scenario().site;
  wizard.lock = step.lock;
  wizard.symptoms = step.symptoms;
  lockout::Caller caller;
  caller.source = source_of(world, step.who);
  if (!step.device.empty()) {
    if (Phone* phone = world.phone(step.who, step.device)) {
      if (auto actor = world.actor_of(*phone)) caller.actor = *actor;
      if (!phone->device_id.empty()) wizard.device = phone->device_id;
      wizard.signed_in = caller.actor.has_value();
      wizard.enrolled = !phone->device_id.empty();
      wizard.bluetooth_allowed = phone->bluetooth_allowed;
      wizard.app_version = phone->app_version;
    }
  }
  // The household changed its Wi-Fi network and says so when the wizard asks.
  if (state.wifi_changed.contains(step.lock)) wizard.wifi_changed = true;
  // lose_mfa: the second factor is gone, the authenticator and the recovery codes with it.
  if (state.lost_mfa[step.who]) {
    wizard.mfa_available = false;
    wizard.recovery_code_at_hand = false;
  }
  auto opened = world.node().lockout().report(caller, wizard);
  state.cases.push_back({opened ? opened->id : std::string(), step.who, step.lock});
  if (!opened) return from_status(server::fail(opened.error()));
  return seen(Outcome::granted, fmt::format("case {} opened ({}, {})", state.cases.size(),
                                            opened->id, caller.actor ? "signed in" : "unknown"));
}

Outcome_<StepOutcome> request_backup(World& world, RunState& state, const Step& step) {
  server::Node& node = world.node();
  lockout::BackupRequest request;
  request.site = world.scenario().site;
  request.lock = door_of(world, state, step.who);
  request.by = step.by;
  request.value = step.value;
  if (const CaseRef* c = latest_case_of(state, step.who)) request.case_id = c->id;
  auto receipt = node.lockout().request_backup_code(request, source_of(world, step.who));
  // The lookup and the sending run after the answer, on the virtual clock.
  auto worked = world.wait_for([&] { return node.lockout().backup_requests_pending() == 0; });
  if (!worked) return lockcore::fail(worked.error());
  if (auto drained = node.credential_tasks().drain(); !drained)
    return seen(Outcome::error, "credential tasks: " + describe(drained.error()));
  if (!receipt) return from_status(server::fail(receipt.error()));
  return seen(Outcome::granted, receipt->message);
}

// The token at the end of "…/backup/<token>" in a message's body.
std::string link_token(const std::string& body) {
  constexpr std::string_view kMark = "/backup/";
  const std::size_t at = body.find(kMark);
  if (at == std::string::npos) return {};
  const std::size_t from = at + kMark.size();
  const std::size_t end = body.find_first_of(" \n\t", from);
  return body.substr(from, end == std::string::npos ? std::string::npos : end - from);
}

Outcome_<StepOutcome> open_link(World& world, RunState& state, const Step& step) {
  server::notify::MessageFilter filter;
  filter.account = world.account_of(step.who);
  filter.channel = server::notify::channel_from(step.channel);
  filter.kind = server::notify::Kind::backup_code;
  filter.limit = 1;  // newest first
  auto messages = world.node().outbox().list(filter);
  if (!messages) return seen(Outcome::error, "the outbox: " + messages.error().message);
  if (messages->empty())
    return seen(Outcome::error, fmt::format("no backup-code {} to {}", step.channel, step.who));
  const std::string token = link_token(messages->front().notice.body);
  if (token.empty()) return seen(Outcome::error, "the message holds no link");
  auto view = world.node().lockout().open_backup_link(token);
  if (!view) return from_status(server::fail(view.error()));
  if (view->gone) return seen(Outcome::error, "the link is gone (" + view->reason + ")");
  state.backup_code[step.who] = view->code;
  return seen(Outcome::granted, "the code is shown");
}

// Runs take_action as `step.who` in `ref`'s case.
Outcome_<StepOutcome> act(World& world, RunState& state, const Step& step, const CaseRef& ref,
                          const std::string& action, std::optional<lockout::Proof> proof) {
  if (ref.id.empty()) return seen(Outcome::error, "that case was never opened");
  auto caller = caller_of(world, state, step.who);
  if (!caller) return lockcore::fail(caller.error());
  if (!*caller) return from_status(server::fail(caller->error()));
  auto done =
      world.await(world.node().lockout().take_action(**caller, ref.id, action, std::move(proof)));
  if (!done) return lockcore::fail(done.error());
  if (auto drained = world.node().credential_tasks().drain(); !drained)
    return seen(Outcome::error, "credential tasks: " + describe(drained.error()));
  if (!*done) return from_status(server::fail(done->error()));
  const lockout::CaseRecord& c = **done;
  return seen(Outcome::granted, c.actions.empty() ? std::string("done") : c.actions.back().outcome);
}

Outcome_<StepOutcome> verify(World& world, RunState& state, const Step& step) {
  const CaseRef* ref = latest_case_of(state, step.target);
  if (!ref) return seen(Outcome::error, step.target + " has reported no lockout");
  lockout::Proof proof;
  proof.method = *lockout::verification_method_from(step.method);
  const bool right = step.totp != "wrong";
  if (proof.method == lockout::VerificationMethod::totp) {
    // A lost authenticator shows no code: what she types is wrong.
    const bool can = right && !state.lost_mfa[step.target];
    proof.code = can ? world.totp_now(step.target) : std::string("000000");
    if (can && proof.code == "000000") proof.code = "000001";
  } else if (proof.method == lockout::VerificationMethod::recovery_code) {
    proof.code = right && !state.lost_mfa[step.target] ? world.take_recovery_code(step.target)
                                                       : std::string("not-a-code");
    if (proof.code.empty()) return seen(Outcome::error, step.target + " has no recovery code");
  }
  if (ref->id.empty()) return seen(Outcome::error, "that case was never opened");
  auto caller = caller_of(world, state, step.who);
  if (!caller) return lockcore::fail(caller.error());
  if (!*caller) return from_status(server::fail(caller->error()));
  // The person verified is named by her account, as the console shows it to staff.
  auto done = world.await(world.node().lockout().verify_identity(
      **caller, ref->id, world.account_of(step.target), std::move(proof)));
  if (!done) return lockcore::fail(done.error());
  if (!*done) return from_status(server::fail(done->error()));
  return seen(Outcome::granted, "verified");
}

}  // namespace

bool is_lockout_step(std::string_view kind) {
  for (std::string_view k : kLockoutSteps)
    if (k == kind) return true;
  return false;
}

Outcome_<StepOutcome> run_lockout_step(World& world, RunState& state, const Step& step) {
  const std::string& k = step.kind;
  if (k == "report_lockout") return report(world, state, step);
  if (k == "request_backup_code") return request_backup(world, state, step);
  if (k == "open_backup_link") return open_link(world, state, step);
  if (k == "verify_identity") return verify(world, state, step);
  const auto n = static_cast<std::size_t>(step.case_number);
  if (n == 0 || n > state.cases.size())
    return seen(Outcome::error, fmt::format("case {} was never opened", n));
  return act(world, state, step, state.cases[n - 1], step.action, std::nullopt);
}

}  // namespace scenario
