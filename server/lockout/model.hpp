#pragma once
// The lockout domain's records and the inputs of its calls: cases, the actions taken in them,
// who is calling, and what the wizard sends.

#include <optional>
#include <string>
#include <vector>

#include "lockcore/types.hpp"
#include "server/identity/actor.hpp"
#include "server/lockout/diagnosis/diagnosis.hpp"

namespace server::lockout {

// Who is asking: a signed-in account (its session, from identity), or someone who is not signed in
// and is known only by the request's source ("ip:…").
struct Caller {
  std::optional<identity::Actor> actor;
  std::string source;

  // "account:acc_…", or the source.
  std::string audit_name() const { return actor ? actor->audit_name() : source; }
};

// What the "I'm locked out" wizard sends. The door is `lock`, or the door of `unit` at `site`
// when the caller does not know the lock's id (the unit's only door, or its front door).
struct NewCase {
  std::string site;
  std::optional<std::string> lock;
  std::optional<std::string> unit;
  std::vector<std::string> symptoms;  // ids of Symptom
  // The reporting phone's own view (all optional).
  std::optional<std::string> device;  // "dev_…", the app's enrolled device id
  std::optional<bool> signed_in;
  std::optional<bool> enrolled;
  std::optional<bool> bluetooth_allowed;
  std::string app_version;
  std::optional<bool> mfa_available;  // false: "I lost my authenticator"
  // false: "I have no recovery code at hand either" (the server counts only the unused ones).
  std::optional<bool> recovery_code_at_hand;
  // true: "our Wi-Fi network (its name or password) changed recently". The protocol carries no
  // network identity, so for a Wi-Fi lock that went silent only the household can say it.
  std::optional<bool> wifi_changed;
};

enum class CaseStatus : std::uint8_t { open, resolved, escalated };
std::string_view to_string(CaseStatus status);

struct CaseAction {
  int seq = 0;  // 1, 2, … in the order taken
  ActionId action = ActionId::wait_keypad_cooldown;
  std::string by;  // "account:acc_…"
  UnixMs at = 0;
  std::string outcome;  // done, requested, advised, refused, failed
  std::string detail;   // JSON object text: what the action did (work order id, command id…)
};

struct CaseRecord {
  std::string id;  // "lkc_…"
  std::string site;
  std::string lock;
  std::optional<std::string> account;  // nullopt: a caller who was not signed in
  std::vector<std::string> symptoms;
  std::string context;        // JSON object text: the phone's view as reported
  Verification verification;  // of the caller when the case opened (or since, identity_checked)
  std::string diagnosis;      // JSON object text, as it stood when the case opened
  UnixMs opened_at = 0;
  std::string opened_by;
  CaseStatus status = CaseStatus::open;
  std::optional<ActionId> resolved_by;
  std::optional<UnixMs> resolved_at;
  std::optional<UnixMs> duration_ms;
  std::vector<CaseAction> actions;
};

// How someone proved who they are for verify_identity_restore_admin.
enum class VerificationMethod : std::uint8_t {
  totp,                // a current code from the person's authenticator
  recovery_code,       // one of the person's unused recovery codes
  manager_attestation  // another owner or manager of the site vouches for them, recorded as such
};
std::string_view to_string(VerificationMethod method);
std::optional<VerificationMethod> verification_method_from(std::string_view name);

struct Proof {
  VerificationMethod method = VerificationMethod::totp;
  std::string code;  // totp, recovery_code
};

// The answer to a backup-code request: always the same, whatever was found.
struct BackupRequestReceipt {
  std::string message;
};

// What an opened backup link shows; `gone` (and no code) once it expired or was replaced.
struct BackupLinkView {
  bool gone = false;
  std::string reason;  // gone: "expired" or "replaced"
  std::string code;
  std::string lock_name;
  std::string site_name;
  UnixMs expires_at = 0;
};

}  // namespace server::lockout
