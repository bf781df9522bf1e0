#include "server/lockout/diagnosis/causes.hpp"

#include <algorithm>

#include "server/lockout/diagnosis/fact_text.hpp"

namespace server::lockout {

namespace {

using lockcore::BoltState;
using lockcore::SlotError;
using S = Symptom;

// The answers that describe a bolt stuck against its strike (DESIGN.md section 5, invariant 4).
constexpr SymptomSet kJamSigns = {S::keypad_x_pattern, S::unusual_beep, S::motor_runs_bolt_stuck,
                                  S::key_wont_turn};
constexpr SymptomSet kOfflineSigns = {S::lock_offline_in_app, S::can_view_cannot_unlock};
constexpr SymptomSet kDeadSigns = {S::keypad_dark, S::no_response};

std::string_view slot_error_text(SlotError e) {
  switch (e) {
    case SlotError::duplicate_pin:
      return "the same PIN is already in another slot";
    case SlotError::slot_out_of_range:
      return "no free slot on the lock";
    case SlotError::invalid:
      return "the lock found the code invalid";
    case SlotError::low_power:
      return "its battery was too low to store a new code";
    case SlotError::none:
      break;
  }
  return "no reason given";
}

std::string_view bolt_text(BoltState b) {
  switch (b) {
    case BoltState::locked:
      return "locked";
    case BoltState::unlocked:
      return "unlocked";
    case BoltState::locking:
    case BoltState::unlocking:
      return "moving";
    case BoltState::jammed:
      return "jammed";
    case BoltState::unknown:
      break;
  }
  return "unknown";
}

// Collects causes into the diagnosis: one entry per cause id, the strongest finding wins.
class Finder {
 public:
  Finder(const Facts& f, Diagnosis& d)
      : f_(f), s_(f.s), d_(d), clock_{f.s.now, f.s.site.utc_offset_min} {}

  const Facts& f() const { return f_; }
  const Snapshot& s() const { return s_; }
  bool reported(Symptom x) const { return s_.report.symptoms.has(x); }
  bool reported_any(SymptomSet xs) const { return s_.report.symptoms.any_of(xs); }
  bool found(CauseId id) const { return d_.has(id); }
  At at(UnixMs t) const { return {t, clock_}; }
  Span ago(UnixMs t) const { return {s_.now - t}; }
  // The reporting phone by its device id, for evidence lines.
  std::string_view phone() const {
    const std::string& device = s_.report.phone.device;
    return device.empty() ? std::string_view("the reporting phone") : std::string_view(device);
  }

  // A finding the facts establish.
  Cause& add(CauseId id, double confidence) {
    Cause* c = nullptr;
    for (Cause& existing : d_.causes)
      if (existing.id == id) c = &existing;
    if (c == nullptr) {
      Cause fresh;
      fresh.id = id;
      fresh.layer = layer_of(id);
      fresh.confidence = confidence;
      (void)d_.causes.push_back(fresh);
      return d_.causes[d_.causes.size() - 1];
    }
    if (confidence > c->confidence) c->confidence = confidence;
    c->suspected = false;
    return *c;
  }

  // A hardware fault inferred without telemetry confirming it: low confidence, and the person at
  // the door is asked to test it. A cause already established stays established.
  Cause& suspect(CauseId id, double confidence) {
    const bool known = found(id);
    Cause& c = add(id, std::min(confidence, kSuspectedConfidence));
    if (!known) c.suspected = true;
    c.needs_on_door_test = c.needs_on_door_test || c.suspected;
    return c;
  }

  static void cite(Cause& c, Source source, const FactText& text) {
    (void)c.evidence.push_back({source, text});
  }

  // "you reported: the keypad shows an X, an unusual beep" for the answers among `which`.
  void cite_report(Cause& c, SymptomSet which) const {
    const SymptomSet mine = s_.report.symptoms & which;
    if (mine.empty()) return;
    std::array<char, kMaxFactLength> buffer;
    char* pos = buffer.data();
    char* const end = buffer.data() + buffer.size();
    auto put = [&](std::string_view text) {
      const auto n = std::min<std::size_t>(text.size(), static_cast<std::size_t>(end - pos));
      pos = std::copy_n(text.data(), n, pos);
    };
    put("you reported: ");
    bool first = true;
    mine.for_each([&](Symptom x) {
      if (!first) put(", ");
      put(label(x));
      first = false;
    });
    const auto length = static_cast<std::size_t>(pos - buffer.data());
    cite(c, Source::report, FactText::from({buffer.data(), length}));
  }

  void sort() {
    std::sort(d_.causes.begin(), d_.causes.end(), [](const Cause& a, const Cause& b) {
      if (a.confidence != b.confidence) return a.confidence > b.confidence;
      return a.id < b.id;
    });
  }

 private:
  const Facts& f_;
  const Snapshot& s_;
  Diagnosis& d_;
  LocalClock clock_;
};

// ---- account -------------------------------------------------------------------------------

void account_causes(Finder& x) {
  const Person& p = x.s().person;
  const PhoneContext& phone = x.s().report.phone;
  if (p.status == AccountStatus::suspended) {
    Finder::cite(x.add(CauseId::account_suspended, kCertain), Source::account,
                 fact("account {} is suspended by the site's administration", p.id));
  }
  if (p.status == AccountStatus::locked) {
    Cause& c = x.add(CauseId::account_locked, kConfirmed);
    Finder::cite(c, Source::account,
                 fact("account {} is locked by the site's administration", p.id));
    x.cite_report(c, {S::cannot_sign_in});
  } else if (p.status == AccountStatus::active &&
             p.sign_in_held_until - x.s().now >= kSignInHoldMs) {
    // The throttle's wait is what a person meets as "my account is locked": it lifts by itself.
    Cause& c = x.add(CauseId::account_locked, kConfirmed);
    if (p.sign_in_held_from == "untrusted")
      Finder::cite(c, Source::account,
                   fact("sign-in to {} from new addresses is held until {} after {} failed "
                        "attempts from elsewhere within the hour",
                        p.id, x.at(p.sign_in_held_until), p.sign_in_held_after));
    else
      Finder::cite(
          c, Source::account,
          fact("sign-in to {} from {} is held until {} after {} failed attempts in a row", p.id,
               p.sign_in_held_from, x.at(p.sign_in_held_until), p.sign_in_held_after));
    x.cite_report(c, {S::cannot_sign_in});
  }
  if (p.mfa_enabled && !p.mfa_available) {
    Cause& c = x.add(CauseId::mfa_unavailable, kLikely);
    Finder::cite(c, Source::account,
                 fact("MFA is on for {} and no second factor is left (no authenticator, no "
                      "recovery code)",
                      p.id));
    x.cite_report(c, {S::cannot_sign_in});
  }
  const bool usable = p.status == AccountStatus::active || p.status == AccountStatus::locked;
  if (p.status == AccountStatus::active && (p.session_valid == false || phone.signed_in == false)) {
    Cause& c = x.add(CauseId::signed_out, p.session_valid == false ? kStrong : kProbable);
    if (p.session_valid == false)
      Finder::cite(c, Source::account, fact("no valid session for {}", x.phone()));
    if (phone.signed_in == false)
      Finder::cite(c, Source::phone, fact("the app on {} says it is signed out", x.phone()));
  }
  if (usable) {
    const bool cannot = x.reported(S::cannot_sign_in);
    const bool other_reason = x.found(CauseId::mfa_unavailable) || x.found(CauseId::account_locked);
    double confidence = 0;
    if (cannot && p.failed_sign_ins > 0)
      confidence = 0.8;
    else if (p.failed_sign_ins >= 3 || (cannot && !other_reason))
      confidence = kEven;
    if (confidence > 0) {
      Cause& c = x.add(CauseId::password_forgotten, confidence);
      if (p.failed_sign_ins > 0)
        Finder::cite(c, Source::account,
                     fact("{} failed sign-ins in the last 24 h", p.failed_sign_ins));
      x.cite_report(c, {S::cannot_sign_in});
    }
  }
}

// ---- enrollment ----------------------------------------------------------------------------

void enrollment_causes(Finder& x) {
  const Snapshot& s = x.s();
  const LockFacts& l = s.lock;
  const Relation& r = s.relation;
  const PhoneContext& phone = s.report.phone;
  const bool usable_account =
      s.person.status == AccountStatus::active || s.person.status == AccountStatus::locked;

  if (phone.present && usable_account &&
      (s.person.device_enrolled == false || phone.enrolled == false)) {
    Cause& c =
        x.add(CauseId::device_not_enrolled, s.person.device_enrolled == false ? kStrong : 0.7);
    if (s.person.device_enrolled == false)
      Finder::cite(c, Source::account, fact("phone {} is not enrolled to this account", x.phone()));
    else
      Finder::cite(c, Source::phone, fact("the app on {} says it is not enrolled", x.phone()));
    x.cite_report(c, {S::pairing_fails});
  }

  const bool has_relation = r.role.has_value() || r.transfer_pending_to_person;
  const bool not_ended = !r.moved_out && r.window != Validity::ended;
  if (!l.exists) {
    Cause& c = x.add(CauseId::lock_not_in_account, kStrong);
    Finder::cite(c, Source::site, fact("there is no door {} at site {}", l.id, s.site.id));
  } else if (!has_relation && not_ended) {
    Cause& c = x.add(CauseId::lock_not_in_account, kLikely);
    Finder::cite(c, Source::membership,
                 fact("no membership of {} covers door {}", s.person.id, l.id));
    x.cite_report(c, {S::lock_missing_in_app, S::can_view_cannot_unlock});
  } else if (has_relation && not_ended && !r.door_in_account) {
    Cause& c = x.add(CauseId::lock_not_in_account, kPossible);
    Finder::cite(c, Source::membership,
                 fact("door {} is not in the account's list of doors", l.id));
    x.cite_report(c, {S::lock_missing_in_app});
  } else if (has_relation && not_ended && x.reported(S::lock_missing_in_app)) {
    Cause& c = x.add(CauseId::lock_not_in_account, kHint);
    x.cite_report(c, {S::lock_missing_in_app});
    Finder::cite(
        c, Source::membership,
        fact("the server lists door {} in the account: the app's list may be stale", l.id));
  }

  if (r.transfer_pending_to_person) {
    Cause& c = x.add(CauseId::ownership_transfer_incomplete, kStrong);
    Finder::cite(c, Source::membership,
                 fact("ownership of site {} is being transferred to {} since {}, not yet accepted",
                      s.site.id, s.person.id, x.at(r.transfer_started_at)));
  }

  if (!l.exists) return;
  if (l.epoch_changed) {
    Cause& c = x.add(CauseId::lock_state_mismatch, kConfirmed);
    Finder::cite(c, Source::telemetry,
                 fact("lock {} was factory reset at {}: a new epoch, not re-enrolled", l.id,
                      x.at(l.factory_reset_at)));
    x.cite_report(c, {S::pairing_fails, S::can_view_cannot_unlock});
  } else if (!l.paired) {
    Cause& c = x.add(CauseId::lock_state_mismatch, kStrong);
    Finder::cite(c, Source::telemetry, fact("lock {} is not paired to this site's keys", l.id));
    x.cite_report(c, {S::pairing_fails, S::can_view_cannot_unlock});
  } else if (!l.shadow_in_sync && s.now - l.shadow_out_of_sync_since >= kShadowSlowMs) {
    const bool stuck = s.now - l.shadow_out_of_sync_since >= kShadowStuckMs;
    Cause& c = x.add(CauseId::lock_state_mismatch, stuck ? kProbable : kPossible);
    Finder::cite(c, Source::shadow,
                 fact("lock {} has not confirmed the desired credentials for {}", l.id,
                      x.ago(l.shadow_out_of_sync_since)));
  }

  if (l.has_bluetooth && (l.firmware_compat == FirmwareCompat::app_too_old ||
                          l.firmware_compat == FirmwareCompat::firmware_too_old)) {
    Cause& c = x.add(CauseId::firmware_incompatible, kLikely);
    if (l.firmware_compat == FirmwareCompat::app_too_old)
      Finder::cite(c, Source::telemetry,
                   fact("lock firmware {} needs a newer app than {}", l.firmware,
                        phone.app_version.empty() ? "the one installed" : phone.app_version));
    else
      Finder::cite(c, Source::telemetry,
                   fact("lock firmware {} is too old for app {}", l.firmware,
                        phone.app_version.empty() ? "the one installed" : phone.app_version));
    x.cite_report(c, {S::pairing_fails});
  } else if (l.has_bluetooth && l.firmware_compat == FirmwareCompat::unknown &&
             x.reported(S::pairing_fails)) {
    Cause& c = x.add(CauseId::firmware_incompatible, kHint);
    x.cite_report(c, {S::pairing_fails});
    Finder::cite(c, Source::telemetry,
                 fact("lock firmware {} has not been checked against this app", l.firmware));
  }
}

// ---- connectivity --------------------------------------------------------------------------

void connectivity_causes(Finder& x) {
  const Snapshot& s = x.s();
  const Facts& f = x.f();
  const LockFacts& l = s.lock;
  if (!l.exists) return;
  if (f.hub_down) {
    Cause& c = x.add(CauseId::hub_offline, kConfirmed);
    Finder::cite(
        c, Source::telemetry,
        fact("hub {} (lock {}'s link) offline since {}", l.hub_id, l.id, x.at(l.hub_last_seen)));
    x.cite_report(c, kOfflineSigns);
  }
  if (l.link == Link::wifi && !l.online && l.wifi_network_changed) {
    Cause& c = x.add(CauseId::wifi_changed, kLikely);
    Finder::cite(c, Source::report,
                 fact("you reported that the Wi-Fi network changed since lock {} joined it", l.id));
    Finder::cite(c, Source::telemetry, fact("lock {} last seen at {}", l.id, x.at(l.last_seen)));
    x.cite_report(c, kOfflineSigns);
  }
  if (l.link != Link::none && !l.online && !f.hub_down && !x.found(CauseId::wifi_changed)) {
    Cause& c = x.add(CauseId::lock_unreachable, kStrong);
    Finder::cite(
        c, Source::telemetry,
        fact("lock {} last seen at {}, {} ago", l.id, x.at(l.last_seen), x.ago(l.last_seen)));
    x.cite_report(c, kOfflineSigns);
  } else if (l.link == Link::none && x.reported_any(kOfflineSigns)) {
    Cause& c = x.add(CauseId::lock_unreachable, 0.8);
    Finder::cite(c, Source::site,
                 fact("lock {} has no hub and no Wi-Fi: the app cannot reach it remotely", l.id));
    x.cite_report(c, kOfflineSigns);
  } else if (f.reachable && x.reported(S::lock_offline_in_app)) {
    Cause& c = x.add(CauseId::lock_unreachable, 0.25);
    x.cite_report(c, {S::lock_offline_in_app});
    Finder::cite(c, Source::telemetry,
                 fact("the server reached lock {} at {}: the phone's own connection may be down",
                      l.id, x.at(l.last_seen)));
  }
  if (l.has_bluetooth && s.report.phone.bluetooth_allowed == false) {
    Cause& c = x.add(CauseId::phone_bluetooth_blocked, kStrong);
    Finder::cite(c, Source::phone,
                 fact("Bluetooth permission is off for the app on {}", x.phone()));
    x.cite_report(c, {S::pairing_fails});
  } else if (l.has_bluetooth && !s.report.phone.bluetooth_allowed.has_value() &&
             x.reported(S::pairing_fails)) {
    Cause& c = x.add(CauseId::phone_bluetooth_blocked, kHint);
    x.cite_report(c, {S::pairing_fails});
    Finder::cite(c, Source::phone, fact("the app did not say whether Bluetooth is allowed"));
  }
}

// ---- authorization -------------------------------------------------------------------------

void authorization_causes(Finder& x) {
  const Snapshot& s = x.s();
  const Relation& r = s.relation;
  const Facts& f = x.f();
  if (!s.person.account_exists || !s.lock.exists) return;
  if (s.person.status == AccountStatus::deleted) {
    Finder::cite(x.add(CauseId::access_expired, kConfirmed), Source::account,
                 fact("account {} was deleted", s.person.id));
    return;
  }
  if (r.moved_out) {
    Cause& c = x.add(CauseId::access_expired, kCertain);
    Finder::cite(c, Source::membership,
                 fact("{} moved out at {}: access to {} ended then", s.person.id,
                      x.at(r.moved_out_at), s.lock.id));
    if (f.removed_code != nullptr)
      Finder::cite(
          c, Source::credential,
          fact("the code on {} was removed at {}", s.lock.id, x.at(f.removed_code->status_since)));
    return;
  }
  if (!r.role.has_value()) return;
  if (r.window == Validity::ended) {
    Finder::cite(x.add(CauseId::access_expired, kConfirmed), Source::membership,
                 fact("the {} membership for {} ended at {}", to_string(*r.role), s.lock.id,
                      x.at(r.window_edge)));
    return;
  }
  if (r.window == Validity::not_yet) {
    Finder::cite(x.add(CauseId::access_expired, kStrong), Source::membership,
                 fact("the {} membership for {} starts at {}", to_string(*r.role), s.lock.id,
                      x.at(r.window_edge)));
  }
  if (*r.role == Role::support) {
    Cause& c = x.add(CauseId::role_cannot_unlock, kConfirmed);
    Finder::cite(c, Source::membership, fact("role support diagnoses and recovers, never unlocks"));
    x.cite_report(c, {S::can_view_cannot_unlock});
  } else if (*r.role == Role::maintenance && !r.work_order_open) {
    Cause& c = x.add(CauseId::role_cannot_unlock, kStrong);
    Finder::cite(
        c, Source::membership,
        fact("role maintenance opens {} only with an open work order; there is none", s.lock.id));
    x.cite_report(c, {S::can_view_cannot_unlock});
  }
  if (r.window == Validity::current && r.inside_schedule == false) {
    Cause& c = x.add(CauseId::outside_schedule, kConfirmed);
    Finder::cite(
        c, Source::membership,
        fact("now is outside the weekly schedule of the {} membership", to_string(*r.role)));
    x.cite_report(c, {S::code_rejected, S::can_view_cannot_unlock});
  } else if (f.off_schedule_code != nullptr && f.usable_code == nullptr) {
    Cause& c = x.add(CauseId::outside_schedule, kStrong);
    Finder::cite(
        c, Source::credential,
        fact("the code on {} works only inside its schedule; now is outside it", s.lock.id));
    x.cite_report(c, {S::code_rejected});
  }
}

// ---- keypad --------------------------------------------------------------------------------

// The wrong codes the lock's events count.
Cause& wrong_code_from_events(Finder& x) {
  const LockFacts& l = x.s().lock;
  Cause& c = x.add(CauseId::wrong_code, 0.8);
  Finder::cite(c, Source::event,
               fact("{} wrong codes at {} in the last 30 min, the last at {}", l.wrong_codes_recent,
                    l.id, x.at(l.last_wrong_code_at)));
  x.cite_report(c, {S::code_rejected});
  return c;
}

void keypad_causes(Finder& x) {
  const Snapshot& s = x.s();
  const Facts& f = x.f();
  const LockFacts& l = s.lock;
  if (!l.exists || !f.has_keypad) return;

  if (f.keypad_cooling) {
    Cause& c = x.add(CauseId::keypad_disabled, kConfirmed);
    Finder::cite(c, Source::telemetry,
                 fact("the keypad of {} is disabled for {} more after the wrong-code limit", l.id,
                      Span{static_cast<UnixMs>(f.cooldown_s) * 1000}));
    if (l.last_wrong_code_limit_at != 0)
      Finder::cite(c, Source::event,
                   fact("wrong-code limit reached at {}", x.at(l.last_wrong_code_limit_at)));
    x.cite_report(c, {S::code_rejected, S::no_response});
  }

  // Wrong codes the lock itself counted are a fact about the door whoever reports: for someone
  // whose access ended (a moved-out resident trying his old code) they are evidence for the
  // site, and they give nothing (no plan for a relation that ended).
  const bool wrong_events =
      l.wrong_codes_recent > 0 ||
      (l.last_wrong_code_limit_at != 0 && s.now - l.last_wrong_code_limit_at <= kShadowSlowMs);

  // What the person's codes say; only inside a membership window that lasts (a moved-out
  // resident's removed code is not a fault, nor a future guest's code still loading).
  if (!f.standing.relation_live || s.relation.window != Validity::current) {
    if (wrong_events) wrong_code_from_events(x);
    return;
  }
  const bool reset_wiped =
      l.epoch_changed && std::any_of(s.codes.begin(), s.codes.end(),
                                     [](const Code& c) { return c.status == CodeStatus::set; });
  if (reset_wiped) {
    Cause& c = x.add(CauseId::code_not_on_lock, kStrong);
    Finder::cite(c, Source::telemetry,
                 fact("lock {} was factory reset at {}: it no longer holds the code", l.id,
                      x.at(l.factory_reset_at)));
    x.cite_report(c, {S::code_rejected});
  }
  if (f.usable_code == nullptr && f.stuck_code != nullptr) {
    const Code& code = *f.stuck_code;
    if (code.status == CodeStatus::failed) {
      Cause& c = x.add(CauseId::code_not_on_lock, kConfirmed);
      Finder::cite(c, Source::credential,
                   fact("lock {} refused the code at {}: {}", l.id, x.at(code.status_since),
                        slot_error_text(code.failure)));
      x.cite_report(c, {S::code_rejected});
    } else {
      const bool delayed = !f.reachable || !l.shadow_in_sync;
      Cause& c = x.add(CauseId::code_not_on_lock, delayed ? kStrong : kLikely);
      Finder::cite(c, Source::credential,
                   fact("the code on {} is pending since {}", l.id, x.at(code.status_since)));
      if (!f.reachable)
        Finder::cite(c, Source::telemetry, fact("lock {} cannot be reached to receive it", l.id));
      x.cite_report(c, {S::code_rejected});
    }
  } else if (f.usable_code == nullptr && f.removed_code != nullptr &&
             f.off_schedule_code == nullptr) {
    Cause& c = x.add(CauseId::code_not_on_lock, 0.8);
    Finder::cite(c, Source::credential,
                 fact("the code on {} was {} at {}", l.id,
                      f.removed_code->status == CodeStatus::removed ? "removed" : "being removed",
                      x.at(f.removed_code->status_since)));
    x.cite_report(c, {S::code_rejected});
  }
  if (f.usable_code == nullptr && f.stuck_code == nullptr && f.expired_code != nullptr) {
    const Code& code = *f.expired_code;
    Cause& c = x.add(CauseId::code_expired, kStrong);
    if (code.window == Validity::ended)
      Finder::cite(c, Source::credential,
                   fact("the code on {} ended at {}", l.id, x.at(code.window_edge)));
    else
      Finder::cite(c, Source::credential,
                   fact("the code on {} starts at {}", l.id, x.at(code.window_edge)));
    x.cite_report(c, {S::code_rejected});
  }

  // Wrong codes: from the lock's events, or from the report when nothing else explains a
  // rejected code. Never from the report when the keypad showed a jam: its X says the code is fine.
  const bool explained = x.found(CauseId::code_not_on_lock) || x.found(CauseId::code_expired) ||
                         x.found(CauseId::outside_schedule) || x.found(CauseId::access_expired) ||
                         x.found(CauseId::keypad_disabled) || f.keypad_fault || f.battery_dead ||
                         f.jammed || x.reported_any(kJamSigns);
  if (wrong_events) {
    Cause& c = wrong_code_from_events(x);
    if (f.usable_code != nullptr)
      Finder::cite(c, Source::credential, fact("the person's own code is set on {}", l.id));
  } else if (x.reported(S::code_rejected) && !explained) {
    if (f.usable_code != nullptr) {
      Cause& c = x.add(CauseId::wrong_code, kEven);
      x.cite_report(c, {S::code_rejected});
      Finder::cite(c, Source::credential,
                   fact("the person's own code is set on {} and valid now", l.id));
    } else if (s.codes.empty()) {
      Cause& c = x.add(CauseId::wrong_code, kPossible);
      x.cite_report(c, {S::code_rejected});
      Finder::cite(c, Source::credential, fact("{} has no keypad code on {}", s.person.id, l.id));
    }
  }
}

// ---- hardware ------------------------------------------------------------------------------

void jam_cause(Finder& x) {
  const Snapshot& s = x.s();
  const LockFacts& l = s.lock;
  if (x.f().jammed) {
    Cause& c = x.add(CauseId::lock_jammed, kConfirmed);
    Finder::cite(c, Source::telemetry,
                 fact("lock {} reported the bolt jammed at {}", l.id,
                      x.at(l.last_jam_at != 0 ? l.last_jam_at : l.last_seen)));
    if (l.jams_last_7d >= kRepeatedJams)
      Finder::cite(c, Source::event,
                   fact("lock {} jammed {} times in the last 7 days", l.id, l.jams_last_7d));
    x.cite_report(c, kJamSigns);
    return;
  }
  if (!x.reported_any(kJamSigns)) return;
  double confidence = kHint;
  if (x.reported(S::keypad_x_pattern) && x.reported(S::unusual_beep))
    confidence = kSuspectedConfidence;
  else if (x.reported(S::keypad_x_pattern) || x.reported(S::motor_runs_bolt_stuck))
    confidence = 0.4;
  Cause& c = x.suspect(CauseId::lock_jammed, confidence);
  x.cite_report(c, kJamSigns);
  if (x.f().fresh)
    Finder::cite(c, Source::telemetry,
                 fact("lock {}'s last report ({}) shows the bolt {}", l.id, x.at(l.last_seen),
                      bolt_text(l.bolt)));
  else
    Finder::cite(c, Source::telemetry,
                 fact("lock {} has not reported since {}: no telemetry to confirm", l.id,
                      x.at(l.last_seen)));
  if (l.jams_last_7d > 0)
    Finder::cite(c, Source::event,
                 fact("lock {} jammed {} times in the last 7 days", l.id, l.jams_last_7d));
}

void battery_causes(Finder& x) {
  const Snapshot& s = x.s();
  const Facts& f = x.f();
  const LockFacts& l = s.lock;
  if (f.battery_dead) {
    Cause& c = x.add(CauseId::battery_depleted, kConfirmed);
    Finder::cite(c, Source::telemetry,
                 fact("lock {} reported its battery empty (0 %) at {}", l.id, x.at(l.last_seen)));
    x.cite_report(c, kDeadSigns);
  } else if (!f.fresh || !l.battery_pct.has_value()) {
    // No present telemetry: the trend, then the report, may point at an empty battery.
    const UnixMs silent = s.now - l.last_seen;
    const bool trend_says_empty =
        l.battery_pct.has_value() && !f.fresh &&
        (*l.battery_pct <= 5 ||
         (l.battery_days_left.has_value() && silent >= UnixMs{*l.battery_days_left} * kDayMs));
    if (trend_says_empty) {
      Cause& c = x.add(CauseId::battery_depleted, x.reported_any(kDeadSigns) ? kPossible : kEven);
      c.needs_on_door_test = true;
      Finder::cite(c, Source::telemetry,
                   fact("last report {} % at {}; the trend gave {} days", *l.battery_pct,
                        x.at(l.last_seen), l.battery_days_left.value_or(0)));
      x.cite_report(c, kDeadSigns);
    } else if (x.reported_any(kDeadSigns)) {
      Cause& c = x.suspect(CauseId::battery_depleted, 0.4);
      x.cite_report(c, kDeadSigns);
      Finder::cite(c, Source::telemetry,
                   fact("no present battery report from lock {} to confirm", l.id));
    }
  }
  if (l.battery_pct.has_value() && *l.battery_pct > 0 && *l.battery_pct < kBatteryLowPct) {
    const bool urgent = *l.battery_pct <= 10 || l.battery_days_left.value_or(999) <= 7;
    Cause& c = x.add(CauseId::battery_low, urgent ? kPossible : 0.45);
    if (l.battery_days_left.has_value())
      Finder::cite(c, Source::telemetry,
                   fact("battery {} % at {}; about {} days left at the current rate",
                        *l.battery_pct, x.at(l.last_seen), *l.battery_days_left));
    else
      Finder::cite(c, Source::telemetry,
                   fact("battery {} % at {}", *l.battery_pct, x.at(l.last_seen)));
  }
}

void device_fault_causes(Finder& x) {
  const Snapshot& s = x.s();
  const Facts& f = x.f();
  const LockFacts& l = s.lock;
  if (l.motor_fault) {
    Cause& c = x.add(CauseId::motor_fault, kConfirmed);
    Finder::cite(c, Source::telemetry, fact("lock {} reported a motor fault", l.id));
    x.cite_report(c, {S::no_response, S::motor_runs_bolt_stuck});
  } else if (x.reported(S::no_response) && f.fresh && !f.battery_dead && !f.jammed &&
             !f.keypad_cooling) {
    Cause& c = x.suspect(CauseId::motor_fault, kHint);
    x.cite_report(c, {S::no_response});
    Finder::cite(c, Source::telemetry,
                 fact("lock {} reports power and no jam: the motor is untested", l.id));
  }
  if (f.keypad_fault) {
    Cause& c = x.add(CauseId::keypad_fault, kConfirmed);
    Finder::cite(c, Source::telemetry, fact("lock {} reported a keypad fault", l.id));
    x.cite_report(c, {S::keypad_dark, S::code_rejected});
  } else if (f.has_keypad && x.reported(S::keypad_dark) && !f.battery_dead) {
    const bool powered = f.fresh && l.battery_pct.value_or(0) > 0;
    Cause& c = x.suspect(CauseId::keypad_fault, powered ? 0.35 : 0.25);
    x.cite_report(c, {S::keypad_dark});
    if (powered)
      Finder::cite(c, Source::telemetry,
                   fact("lock {} reports {} % battery, so a dark keypad points at the keypad", l.id,
                        *l.battery_pct));
  }
}

void hardware_causes(Finder& x) {
  if (!x.s().lock.exists) return;
  jam_cause(x);
  battery_causes(x);
  device_fault_causes(x);
}

// ---- a symptom nothing explains --------------------------------------------------------------

// The cause each answer points at when no rule found anything: kept low, and hardware suspected.
CauseId unexplained(Symptom symptom) {
  switch (symptom) {
    case S::cannot_sign_in:
      return CauseId::password_forgotten;
    case S::lock_offline_in_app:
      return CauseId::lock_unreachable;
    case S::lock_missing_in_app:
      return CauseId::lock_not_in_account;
    case S::pairing_fails:
      return CauseId::firmware_incompatible;
    case S::can_view_cannot_unlock:
      return CauseId::lock_state_mismatch;
    case S::code_rejected:
      return CauseId::wrong_code;
    case S::keypad_x_pattern:
    case S::unusual_beep:
    case S::motor_runs_bolt_stuck:
    case S::key_wont_turn:
      return CauseId::lock_jammed;
    case S::keypad_dark:
    case S::no_response:
      return CauseId::battery_depleted;
  }
  return CauseId::lock_state_mismatch;
}

void unexplained_causes(Finder& x) {
  x.s().report.symptoms.for_each([&](Symptom symptom) {
    const CauseId id = unexplained(symptom);
    Cause& c =
        layer_of(id) == Layer::hardware ? x.suspect(id, kUnexplained) : x.add(id, kUnexplained);
    x.cite_report(c, {symptom});
    Finder::cite(c, Source::site, fact("nothing else the server knows explains it yet"));
  });
}

}  // namespace

void find_causes(const Facts& facts, Diagnosis& d) {
  Finder x(facts, d);
  if (!facts.s.person.account_exists) {
    Cause& c = x.add(CauseId::lock_not_in_account, kStrong);
    Finder::cite(c, Source::account, fact("no account matches the person reporting"));
  } else {
    account_causes(x);
    enrollment_causes(x);
  }
  connectivity_causes(x);
  authorization_causes(x);
  keypad_causes(x);
  hardware_causes(x);
  if (d.causes.empty()) unexplained_causes(x);
  x.sort();
}

}  // namespace server::lockout
