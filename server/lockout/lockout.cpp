#include "server/lockout/lockout.hpp"

#include <array>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include "server/access/records.hpp"
#include "server/lockout/diagnosis_json.hpp"
#include "server/lockout/physical_keys.hpp"
#include "server/lockout/row_values.hpp"
#include "server/store/ids.hpp"

namespace server::lockout {

namespace {

namespace json = boost::json;

constexpr std::size_t kMaxId = 64;
constexpr std::size_t kMaxAppVersion = 32;

json::value optional_bool(const std::optional<bool>& b) {
  return b ? json::value(*b) : json::value(nullptr);
}

std::string context_text(const NewCase& r) {
  return json::serialize(
      json::object{{"device", r.device ? json::value(*r.device) : json::value(nullptr)},
                   {"signed_in", optional_bool(r.signed_in)},
                   {"enrolled", optional_bool(r.enrolled)},
                   {"bluetooth_allowed", optional_bool(r.bluetooth_allowed)},
                   {"app_version", r.app_version},
                   {"mfa_available", optional_bool(r.mfa_available)},
                   {"recovery_code_at_hand", optional_bool(r.recovery_code_at_hand)},
                   {"wifi_changed", optional_bool(r.wifi_changed)}});
}

// The wizard's answers as a case stored them, for diagnosing again.
NewCase report_of(const CaseRecord& c) {
  NewCase r;
  r.site = c.site;
  r.lock = c.lock;
  r.symptoms = c.symptoms;
  boost::system::error_code ec;
  json::value v = json::parse(c.context, ec);
  if (ec || !v.is_object()) return r;
  const json::object& o = v.as_object();
  auto flag = [&](std::string_view k) -> std::optional<bool> {
    const json::value* f = o.if_contains(k);
    return f && f->is_bool() ? std::optional<bool>(f->as_bool()) : std::nullopt;
  };
  if (const json::value* d = o.if_contains("device"); d && d->is_string())
    r.device = std::string(d->as_string());
  r.signed_in = flag("signed_in");
  r.enrolled = flag("enrolled");
  r.bluetooth_allowed = flag("bluetooth_allowed");
  r.mfa_available = flag("mfa_available");
  r.recovery_code_at_hand = flag("recovery_code_at_hand");
  r.wifi_changed = flag("wifi_changed");
  if (const json::value* a = o.if_contains("app_version"); a && a->is_string())
    r.app_version = std::string(a->as_string());
  return r;
}

}  // namespace

Lockout::Lockout(Deps deps, Options options)
    : deps_(std::move(deps)), options_(std::move(options)), cases_(deps_.db), source_(deps_) {
  deps_.devices.add_observer(this);
}

Lockout::~Lockout() {
  if (batch_timer_) deps_.scheduler.cancel(*batch_timer_);
  deps_.devices.remove_observer(this);
}

Verification Lockout::verification_of(const Caller& caller) const {
  if (!caller.actor) return Verification::none;
  return caller.actor->fully_authenticated() ? Verification::session : Verification::none;
}

Result<CaseRecord> Lockout::report(const Caller& caller, const NewCase& wizard) {
  if (Status s = check_text("site", wizard.site, kMaxId); !s) return fail(s.error());
  if (!wizard.lock && !wizard.unit) return fail(Error::missing_field("lock"));
  if (wizard.lock)
    if (Status s = check_text("lock", *wizard.lock, kMaxId); !s) return fail(s.error());
  if (wizard.unit)
    if (Status s = check_text("unit", *wizard.unit, kMaxId); !s) return fail(s.error());
  if (wizard.symptoms.empty()) return fail(Error::missing_field("symptoms"));
  if (wizard.symptoms.size() > kSymptomCount)
    return fail(Error::invalid_field("symptoms", "has more answers than there are symptoms"));
  for (const std::string& s : wizard.symptoms)
    if (!from_string<Symptom>(s))
      return fail(Error::invalid_field("symptoms", "holds an unknown symptom"));
  if (wizard.app_version.size() > kMaxAppVersion)
    return fail(Error::invalid_field("app_version", "is too long"));
  if (wizard.device)
    if (Status s = check_text("device", *wizard.device, kMaxId); !s) return fail(s.error());

  // The door: by its id, or the door of the unit.
  std::string lock;
  if (wizard.lock) {
    auto info = deps_.devices.lock(wizard.site, *wizard.lock);
    if (!info) return fail(Error::not_found("no such door"));
    if (wizard.unit && info->unit != wizard.unit) return fail(Error::not_found("no such door"));
    lock = info->id;
  } else {
    for (const devices::LockInfo& l : deps_.devices.locks(wizard.site))
      if (l.unit == wizard.unit) {
        lock = l.id;
        break;
      }
    if (lock.empty()) return fail(Error::not_found("no such door"));
  }

  const UnixMs now = deps_.scheduler.now();
  Subject subject;
  subject.site = wizard.site;
  subject.lock = lock;
  if (caller.actor) subject.account = caller.actor->account;
  subject.verification = verification_of(caller);
  subject.signed_in = caller.actor.has_value();
  if (caller.actor) subject.session_device = caller.actor->device;
  auto snapshot = source_.take(subject, wizard, now);
  if (!snapshot) return fail(snapshot.error());
  const Diagnosis d = diagnose(*snapshot);
  if (!d.dropped.empty())
    spdlog::error("lockout: the engine dropped {} action(s) at {}/{}", d.dropped.size(),
                  wizard.site, lock);

  CaseRecord c;
  c.id = store::new_id("lkc");
  c.site = wizard.site;
  c.lock = lock;
  c.account = subject.account;
  c.symptoms = wizard.symptoms;
  c.context = context_text(wizard);
  c.verification = subject.verification;
  c.diagnosis = json::serialize(diagnosis_json(d, *snapshot, !caller.actor));
  c.opened_at = now;
  c.opened_by = caller.audit_name();
  const auto top = d.top_cause();
  auto tx = deps_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  if (Status s = cases_.insert(c); !s) return fail(s.error());
  auto entry = deps_.audit.append(
      {audit::AuditType::lockout_reported, c.opened_by, c.site, "lock:" + lock,
       json::serialize(
           json::object{{"case", c.id},
                        {"top_cause", top ? json::value(to_string(*top)) : json::value(nullptr)},
                        {"verification", to_string(c.verification)}})});
  if (!entry) return fail(Error::from_store(entry.error()));
  if (c.account) {
    if (Status s = tell_person(*c.account, c.site, "We are working on getting you in",
                               "Your lockout report for door " + lock +
                                   " is open. Follow the steps shown in the app; we will tell you "
                                   "when it is resolved.");
        !s)
      return fail(s.error());
  }
  if (auto done = tx->commit(); !done) return fail(Error::from_store(done.error()));
  committed_messages();
  auto stored = cases_.find(c.id);
  if (!stored) return fail(stored.error());
  if (!*stored) return fail(Error(Errc::internal, "lockout: the case just written is gone"));
  return std::move(**stored);
}

Result<CaseRecord> Lockout::visible_case(const Caller& caller, std::string_view id) {
  if (!caller.actor) return fail(Error(Errc::unauthenticated, "sign in to see a case"));
  auto found = find(id);
  if (!found) return fail(found.error());
  if (!*found) return fail(Error::not_found("no such case"));
  CaseRecord& c = **found;
  if (c.account && *c.account == caller.actor->account) return std::move(c);
  Status staff =
      deps_.access.policy().check(caller.actor->account, access::Action::diagnose_and_recover,
                                  {c.site, std::nullopt, std::nullopt}, deps_.scheduler.now());
  if (!staff) {
    if (staff.error().code == Errc::not_found || staff.error().code == Errc::forbidden)
      return fail(Error::not_found("no such case"));
    return fail(staff.error());
  }
  return std::move(c);
}

Result<CaseRecord> Lockout::case_of(const Caller& caller, std::string_view id) {
  return visible_case(caller, id);
}

Result<std::vector<CaseRecord>> Lockout::cases_at(const Caller& caller, std::string_view site) {
  if (!caller.actor) return fail(Error(Errc::unauthenticated, "sign in to see cases"));
  Status staff = deps_.access.policy().check(
      caller.actor->account, access::Action::diagnose_and_recover,
      {std::string(site), std::nullopt, std::nullopt}, deps_.scheduler.now());
  if (!staff) return fail(staff.error());
  return cases_.at_site(site, kCaseListLimit);
}

Status Lockout::hand_physical_key(const Caller& caller, std::string_view site,
                                  std::string_view lock, std::string_view account) {
  if (!caller.actor) return fail(Error(Errc::unauthenticated, "sign in to record a key"));
  const UnixMs now = deps_.scheduler.now();
  Status may =
      deps_.access.policy().check(caller.actor->account, access::Action::manage_any_code,
                                  {std::string(site), std::nullopt, std::string(lock)}, now);
  if (!may) return may;
  if (auto door = deps_.devices.lock(site, lock); !door)
    return fail(Error::not_found("no such door"));
  if (auto holder = deps_.identity.accounts().find(account); !holder) return fail(holder.error());
  auto tx = deps_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  if (Status s = insert_physical_key(deps_.db, site, lock, account, caller.audit_name(), now); !s)
    return s;
  auto entry = deps_.audit.append(
      {audit::AuditType::credential_set, caller.audit_name(), std::string(site),
       "lock:" + std::string(lock),
       json::serialize(
           json::object{{"kind", "physical_key"}, {"holder", "account:" + std::string(account)}})});
  if (!entry) return fail(Error::from_store(entry.error()));
  if (auto done = tx->commit(); !done) return fail(Error::from_store(done.error()));
  return {};
}

Result<std::optional<CaseRecord>> Lockout::find(std::string_view id) {
  auto found = cases_.find(id);
  if (!found || !*found) return found;
  if (Status s = settle_resyncs(**found); !s) return fail(s.error());
  return found;
}

Result<Snapshot> Lockout::snapshot_for(const CaseRecord& c, Verification verification) {
  Subject subject;
  subject.site = c.site;
  subject.lock = c.lock;
  subject.account = c.account;
  subject.verification = verification;
  // Signed in means the person's own session; an identity check by staff signs nobody in.
  subject.signed_in = verification == Verification::session;
  subject.reported_signed_out = !c.opened_by.starts_with("account:");
  return source_.take(subject, report_of(c), deps_.scheduler.now());
}

Status Lockout::record_action(const CaseRecord& c, ActionId action, const std::string& by,
                              const std::string& outcome, const std::string& detail) {
  CaseAction a{0, action, by, deps_.scheduler.now(), outcome, detail};
  auto seq = cases_.add_action(c.id, a);
  if (!seq) return fail(seq.error());
  auto entry = deps_.audit.append(
      {audit::AuditType::lockout_action_taken, by, c.site, "lock:" + c.lock,
       json::serialize(
           json::object{{"case", c.id}, {"action", to_string(action)}, {"outcome", outcome}})});
  if (!entry) return fail(Error::from_store(entry.error()));
  return {};
}

Status Lockout::tell_person(const std::string& account, const std::string& site,
                            const std::string& subject, const std::string& body) {
  auto person = deps_.identity.accounts().find(account);
  if (!person) return person.error().code == Errc::not_found ? Status{} : fail(person.error());
  if (person->email.empty()) return {};
  auto queued = deps_.outbox.enqueue({account, notify::Channel::email, person->email,
                                      notify::Kind::lockout_update, site, subject, body});
  if (!queued) return fail(Error::from_store(queued.error()));
  return {};
}

void Lockout::committed_messages() {
  if (deps_.enqueued) deps_.enqueued();
}

Status Lockout::resolve(const std::string& case_id, UnixMs at, const std::string& how) {
  auto found = cases_.find(case_id);
  if (!found) return fail(found.error());
  if (!*found || (*found)->status == CaseStatus::resolved) return {};
  const CaseRecord& c = **found;
  std::optional<ActionId> by;
  if (!c.actions.empty()) by = c.actions.back().action;
  const UnixMs duration = at - c.opened_at;
  auto tx = deps_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  if (Status s = cases_.resolve(c.id, by, at, duration); !s) return s;
  auto entry = deps_.audit.append(
      {audit::AuditType::lockout_resolved, "system", c.site, "lock:" + c.lock,
       json::serialize(
           json::object{{"case", c.id},
                        {"resolved_by", by ? json::value(to_string(*by)) : json::value(nullptr)},
                        {"duration_ms", duration},
                        {"how", how}})});
  if (!entry) return fail(Error::from_store(entry.error()));
  if (c.account)
    if (Status s =
            tell_person(*c.account, c.site, "You are back in",
                        "Your lockout case for door " + c.lock + " is resolved (" + how + ").");
        !s)
      return s;
  if (auto done = tx->commit(); !done) return fail(Error::from_store(done.error()));
  committed_messages();
  return {};
}

std::optional<std::string> Lockout::opened_by(const devices::LockEventInfo& info,
                                              std::string& how) {
  constexpr std::string_view kPrefix = "account:";
  auto account_of = [&](std::string_view name) -> std::optional<std::string> {
    if (!name.starts_with(kPrefix)) return std::nullopt;
    return std::string(name.substr(kPrefix.size()));
  };
  switch (info.event.source) {
    case lockcore::AccessSource::keypad:
      how = "their own code";
      return account_of(info.holder);
    case lockcore::AccessSource::backup_code: {
      auto rows = deps_.db.query(
          "SELECT account FROM lockout_backup_links WHERE site = ? AND lock = ? AND credential = ? "
          "ORDER BY requested_at DESC LIMIT 1",
          {info.site, info.lock, info.credential});
      // The used code is spent: new ones replace it now, or once the lock is reachable.
      if (auto rotated = deps_.devices.rotate_backup_codes(info.site, info.lock); !rotated)
        spdlog::warn("lockout: rotating backup codes of {}/{}: {}", info.site, info.lock,
                     rotated.error().message);
      if (!rows || rows->empty()) return std::nullopt;
      how = "the backup code";
      return text_or((*rows)[0], 0, "");
    }
    case lockcore::AccessSource::remote: {
      // The lock's event names no command: the newest unlock asked of this door opened it.
      auto commands = deps_.devices.commands(info.site, info.lock, 1);
      if (!commands || commands->empty()) return std::nullopt;
      const devices::CommandResult& cmd = commands->front();
      if (cmd.op != devices::CommandOp::unlock) return std::nullopt;
      how = "the app";
      return account_of(cmd.requested_by);
    }
    case lockcore::AccessSource::bluetooth: {
      // The digital key the lock names, issued to the person's phone.
      std::array<char, sizeof(info.event.key) * 2 + 1> hex{};
      sodium_bin2hex(hex.data(), hex.size(), info.event.key.data(), info.event.key.size());
      auto keys = deps_.devices.keys(info.site, info.lock);
      if (!keys) return std::nullopt;
      for (const devices::KeyRecord& k : *keys)
        if (k.id == hex.data()) {
          how = "Bluetooth";
          return account_of(k.issued_by);
        }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

void Lockout::on_lock_event(const devices::LockEventInfo& info) {
  if (info.event.type != lockcore::EventType::unlocked) return;
  std::string how;
  const std::optional<std::string> account = opened_by(info, how);
  if (!account) return;
  auto open = cases_.open_case_of(*account, info.site, info.lock);
  if (!open || !*open) return;
  if (Status s = resolve(**open, deps_.scheduler.now(), how); !s)
    spdlog::error("lockout: resolving case {}: {}", **open, s.error().message);
}

}  // namespace server::lockout
