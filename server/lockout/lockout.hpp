#pragma once
// server::lockout::Lockout: the "I'm locked out" domain around the pure diagnosis engine
// (diagnosis/), for the composition root (Node), the API and the scenario runner.
//
//   report(caller, wizard)             opens a case: the engine's diagnosis of what everyone knows
//                                      now (snapshot_source.hpp), stored as it stood; audited
//                                      lockout_reported. Without sign-in the caller is unknown and
//                                      unverified.
//   case_of(caller, id) / cases_at(caller, site)
//                                      the case's person, or the site's staff who may diagnose.
//   take_action(caller, case, action, proof)
//                                      one recovery action, only when the plan computed again NOW
//                                      holds it (the client's word counts for nothing); recorded
//                                      with its outcome, audited lockout_action_taken.
//   request_backup_code(request, source) / open_backup_link(token)
//                                      backup codes as DESIGN.md invariant 3 (backup_codes.cpp).
//   find(id)                           a case for the scenario runner (no caller).
//
// A case is resolved when its person next gets through that door (an unlock by their code, by the
// backup code issued to them, by the app or their phone's Bluetooth key, or by a manager's remote
// unlock for the case), with resolved_by the last action taken in it and how long it took; audited
// lockout_resolved, and the person gets a lockout_update.
//
// Single-threaded, on the io_context's thread. Every security-relevant act writes its audit entry
// and messages in its transaction; devices' calls commit their own (take_backup_code audits
// backup_code_issued, reenroll lock_reenrolled, the lock's unlock backup_code_used).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "server/common/error.hpp"
#include "server/devices/observer.hpp"
#include "server/identity/mfa.hpp"
#include "server/lockout/cases.hpp"
#include "server/lockout/deps.hpp"
#include "server/lockout/model.hpp"
#include "server/lockout/snapshot_source.hpp"

namespace server::lockout {

struct Options {
  UnixMs link_lifetime_ms = 30 * 60'000;  // a backup link is good for 30 minutes from its request
  // Requests per hour: for one typed email or phone number, and from one source.
  int requests_per_value_per_hour = 5;
  int requests_per_source_per_hour = 20;
  // Links actually sent per hour to one account (past that, requests send nothing).
  int links_per_account_per_hour = 3;
  std::string link_base = "/backup/";  // the web app's page; the token follows
  // Accepted requests are worked through together this long after the first of them waits.
  std::int64_t backup_batch_ms = 20;
};

struct BackupRequest {
  std::string site;
  std::string lock;
  std::string by;     // "email" or "phone"
  std::string value;  // what the person typed
  std::optional<std::string> case_id;
};

// The most cases one list returns (newest first).
inline constexpr std::size_t kCaseListLimit = 200;

class Lockout final : public devices::Observer {
 public:
  explicit Lockout(Deps deps, Options options = {});
  ~Lockout() override;
  Lockout(const Lockout&) = delete;
  Lockout& operator=(const Lockout&) = delete;

  // Opens a case. A signed-in caller reports for themself: verification `session` when the
  // session passed MFA as the account needs, else none. Errors: missing_field / invalid_field
  // ("site", "lock", "unit", "symptoms" (at least one, known ids, at most 12), "app_version");
  // not_found (no such site, or no such door there; a signed-in caller's door not visible is
  // still diagnosed: lock_not_in_account); the store's.
  Result<CaseRecord> report(const Caller& caller, const NewCase& report);

  // Errors: unauthenticated (not signed in); not_found (no such case, or not the caller's and the
  // caller may not diagnose at its site); the store's.
  Result<CaseRecord> case_of(const Caller& caller, std::string_view id);
  // Errors: unauthenticated; not_found (site not visible); forbidden (diagnose_and_recover); the
  // store's.
  Result<std::vector<CaseRecord>> cases_at(const Caller& caller, std::string_view site);

  // Takes `action` in the case. The caller is the case's person, or an owner, manager or support
  // member of its site (remote_unlock_by_manager: an owner or manager whose own access opens the
  // door now). Errors: unauthenticated; not_found (case, as case_of); invalid_field "action" (not
  // an action id); conflict (the case is resolved); forbidden (not in the plan now, or not this
  // caller's to take); missing_field / invalid_field / unauthenticated "code" and "method" (the
  // proof of verify_identity_restore_admin); unavailable / timed_out (the lock); the store's.
  boost::asio::awaitable<Result<CaseRecord>> take_action(Caller caller, std::string case_id,
                                                         std::string action,
                                                         std::optional<Proof> proof);

  // Verifies out of band that the case's person is who they say (DESIGN.md invariant 2): another
  // owner or manager of the site attests, or the person gives a current TOTP or an unused recovery
  // code. The case then counts as identity_checked (what a factory reset needs), audited
  // identity_verified, and the person is told. When the plan holds verify_identity_restore_admin
  // that action is taken instead (admin_restored, every other admin told). A case opened without
  // signing in is bound to `account` by an attesting owner or manager only: a code typed by an
  // unknown caller proves nothing about who called. Errors: unauthenticated; not_found (case, as
  // case_of; no such account); conflict (resolved); missing_field "account" (an unknown caller's
  // case), "code"; invalid_field "account" (not the case's person), "code"; forbidden (not an
  // attesting admin, or a code for an unknown caller); unauthenticated "code" (wrong or reused);
  // as take_action for the admin path; the store's.
  boost::asio::awaitable<Result<CaseRecord>> verify_identity(Caller caller, std::string case_id,
                                                             std::optional<std::string> account,
                                                             Proof proof);

  // Records that `account` carries a physical key to `lock` (handed over by the site's staff): the
  // diagnosis then knows the key as a way in. The caller may manage anyone's codes at the site
  // (owner, manager). Audited credential_set (kind physical_key). Errors: unauthenticated;
  // not_found (no such door, no such account); forbidden (manage_any_code); the store's.
  Status hand_physical_key(const Caller& caller, std::string_view site, std::string_view lock,
                           std::string_view account);

  // Accepts a backup-code request. The answer is the same whether or not the account exists or
  // is eligible, after the same work: the lookup, the eligibility check and the sending happen
  // after the answer, in the next batch (Options::backup_batch_ms). Errors (from what was typed and
  // counted only): missing_field / invalid_field "site", "lock", "by", "value", "case";
  // rate_limited.
  Result<BackupRequestReceipt> request_backup_code(const BackupRequest& request,
                                                   std::string_view source);
  // The code behind a link (backup_code_viewed audited on each view); a link that expired or was
  // replaced is `gone` (backup_code_link_expired audited once). Errors: not_found (no such link);
  // the store's.
  Result<BackupLinkView> open_backup_link(std::string_view token);

  // ---- for the scenario runner and tests: no caller
  Result<std::optional<CaseRecord>> find(std::string_view id);
  // Replaces the options (benches raise the rate limits to measure thousands of requests).
  void set_options(Options options) { options_ = std::move(options); }
  // Backup requests accepted and not yet worked through.
  std::size_t backup_requests_pending() const { return queued_requests_.size(); }

  // devices::Observer
  void on_lock_event(const devices::LockEventInfo& event) override;

 private:
  struct Issue;
  struct QueuedRequest {
    BackupRequest request;
    std::string token;
  };
  void work_backup_requests();
  Result<CaseRecord> visible_case(const Caller& caller, std::string_view id);
  Result<Snapshot> snapshot_for(const CaseRecord& c, Verification verification);
  Verification verification_of(const Caller& caller) const;
  // Backup codes (backup_codes.cpp).
  void issue(const BackupRequest& request, const std::string& token);
  Result<bool> issue_to(const std::string& account, const BackupRequest& request,
                        const std::string& token, std::string_view by);
  // Recovery actions (recovery.cpp).
  boost::asio::awaitable<Result<std::string>> act(const Caller& caller, const CaseRecord& c,
                                                  const PlanStep& step, const Snapshot& snapshot,
                                                  std::optional<Proof> proof);
  // In one transaction: opens (or finds open) the work order, tells the person, runs `also`,
  // records the action with `what` and the order.
  Result<std::string> open_work_order(const CaseRecord& c, const PlanStep& step,
                                      const std::string& by, const maintenance::Opening& opening,
                                      const std::function<Status()>& also,
                                      boost::json::object what);
  // A resync_code's outcome, pending until the lock reports each code it re-sent set (done) or
  // not (failed); settled whenever the case is read.
  Status settle_resyncs(CaseRecord& c);
  // Inside a transaction: uses up the code (TOTP or recovery) that proves `person`, if the proof is
  // one; a wrong or replayed one sets `refused` and fails.
  Status use_proof(const std::string& person, const Proof& proof,
                   std::optional<identity::CodeCheck>& refused);
  // Inside a transaction: the action's row and audit entry.
  Status record_action(const CaseRecord& c, ActionId action, const std::string& by,
                       const std::string& outcome, const std::string& detail);
  // Inside a transaction: a lockout_update email to the case's person.
  Status tell_person(const std::string& account, const std::string& site,
                     const std::string& subject, const std::string& body);
  Status resolve(const std::string& case_id, UnixMs at, const std::string& how);
  // Whose way in an unlocked event was (their code, the backup code issued to them, the app's
  // command they asked for, their phone's digital key), and `how`; nullopt: nobody's in particular.
  std::optional<std::string> opened_by(const devices::LockEventInfo& info, std::string& how);
  void committed_messages();

  Deps deps_;
  Options options_;
  Cases cases_;
  SnapshotSource source_;
  std::vector<QueuedRequest> queued_requests_;
  std::optional<runtime::TimerId> batch_timer_;
};

// The lockout domain's tables (schema.cpp), after access's.
std::vector<store::Migration> migrations();

}  // namespace server::lockout
