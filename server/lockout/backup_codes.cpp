// Backup codes (DESIGN.md invariant 3): requested by email or phone; sent by SMS and email to the
// contacts on the account only; the link expires 30 minutes after the request and a newer request
// replaces it; the answer to a request is the same whether or not the account exists or is
// eligible; rate-limited; issue (devices), view, use (devices) and expiry audited.
//
// Same answer, same time: request_backup_code() does only what does not depend on the account
// (check the form, count and record the request, make a token) and answers; issue() runs from a
// timer after the answer and does the lookup, the eligibility check and the sending. Requests are
// worked through in batches (Options::backup_batch_ms after the first one waiting), so that the
// work an existing account costs is not felt by the very next answer (bench_lockout_backup).

#include <boost/json/serialize.hpp>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include "server/access/records.hpp"
#include "server/identity/secret.hpp"
#include "server/lockout/diagnosis/eligibility.hpp"
#include "server/lockout/lockout.hpp"
#include "server/lockout/row_values.hpp"
#include "server/store/ids.hpp"

namespace server::lockout {

namespace {

namespace json = boost::json;

constexpr UnixMs kHour = 3'600'000;
constexpr std::size_t kMaxValue = 254;
constexpr std::size_t kMaxId = 64;
constexpr std::string_view kReceipt =
    "If the details match an account with access to this door now, a link to a backup code is on "
    "its way by SMS and email to the contacts on that account. It expires 30 minutes from now.";

store::Blob token_hash(std::string_view token) {
  store::Blob out(crypto_generichash_BYTES);
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Result<std::int64_t> count_since(store::Database& db, std::string_view column,
                                 const std::string& key, UnixMs since) {
  auto rows = lift(db.query("SELECT count(*) FROM lockout_backup_requests WHERE " +
                                std::string(column) + " = ? AND at >= ?",
                            {key, since}));
  if (!rows) return fail(rows.error());
  return int_or((*rows)[0], 0, 0);
}

}  // namespace

Result<BackupRequestReceipt> Lockout::request_backup_code(const BackupRequest& request,
                                                          std::string_view source) {
  if (Status s = check_text("site", request.site, kMaxId); !s) return fail(s.error());
  if (Status s = check_text("lock", request.lock, kMaxId); !s) return fail(s.error());
  if (request.by != "email" && request.by != "phone")
    return fail(Error::invalid_field("by", "must be \"email\" or \"phone\""));
  if (Status s = check_text("value", request.value, kMaxValue); !s) return fail(s.error());
  if (request.case_id)
    if (Status s = check_text("case", *request.case_id, kMaxId); !s) return fail(s.error());

  // Counted by what was typed and by where it came from: the same whether or not it names anyone.
  const UnixMs now = deps_.scheduler.now();
  const std::string value_key = request.by + ":" + lower(request.value);
  auto by_value = count_since(deps_.db, "value_key", value_key, now - kHour);
  if (!by_value) return fail(by_value.error());
  auto by_source = count_since(deps_.db, "source", std::string(source), now - kHour);
  if (!by_source) return fail(by_source.error());
  if (*by_value >= options_.requests_per_value_per_hour ||
      *by_source >= options_.requests_per_source_per_hour) {
    Error limited(Errc::rate_limited, "too many backup-code requests; try again later");
    limited.retry_after_s = 3600;
    return fail(limited);
  }
  auto recorded = deps_.db.execute(
      "INSERT INTO lockout_backup_requests (id, value_key, source, at) VALUES (?, ?, ?, ?)",
      {store::new_id("lbr"), value_key, std::string(source), now});
  if (!recorded) return fail(Error::from_store(recorded.error()));

  // The lookup and the sending wait for the next batch: the work for an account that exists then
  // delays whichever answer happens to be under way when the batch runs, not the next request's.
  queued_requests_.push_back({request, identity::new_token()});  // 32 random bytes, base64url
  if (queued_requests_.size() == 1)
    batch_timer_ =
        deps_.scheduler.call_after(std::chrono::milliseconds(options_.backup_batch_ms), [this] {
          batch_timer_.reset();
          work_backup_requests();
        });
  return BackupRequestReceipt{std::string(kReceipt)};
}

void Lockout::work_backup_requests() {
  std::vector<QueuedRequest> batch;
  batch.swap(queued_requests_);
  for (const QueuedRequest& q : batch)
    issue(q.request, q.token);
}

void Lockout::issue(const BackupRequest& request, const std::string& token) {
  // The phone typed must be the account's: find_by_phone matches it exactly; an email is
  // compared case-insensitively. Nothing is ever sent to what was typed, only to the account.
  auto account = request.by == "email" ? deps_.identity.accounts().find_by_email(request.value)
                                       : deps_.identity.accounts().find_by_phone(request.value);
  if (!account) return;  // no such account: nothing to do, and the answer was the same
  auto sent = issue_to(account->id, request, token, request.by);
  if (!sent) spdlog::error("lockout: backup code for {}: {}", account->id, sent.error().message);
}

Result<bool> Lockout::issue_to(const std::string& account, const BackupRequest& request,
                               const std::string& token, std::string_view by) {
  const UnixMs now = deps_.scheduler.now();
  auto person = deps_.identity.accounts().find(account);
  if (!person) return fail(person.error());
  if (person->status != identity::AccountStatus::active) return false;

  // Per account: links sent in the last hour.
  auto recent = lift(deps_.db.query(
      "SELECT count(*) FROM lockout_backup_links WHERE account = ? AND requested_at >= ?",
      {account, now - kHour}));
  if (!recent) return fail(recent.error());
  if (int_or((*recent)[0], 0, 0) >= options_.links_per_account_per_hour) return false;

  // Eligible now: the membership opens this door now, the account is active, and the keypad
  // would take a code (engine: door_rights_now, the keypad path). Reaching the account's own
  // contacts is what verifies the person here.
  Subject subject;
  subject.site = request.site;
  subject.lock = request.lock;
  subject.account = account;
  subject.verification = Verification::identity_checked;
  NewCase wizard;
  wizard.site = request.site;
  wizard.lock = request.lock;
  wizard.symptoms = {"code_rejected"};
  auto snapshot = source_.take(subject, wizard, now);
  if (!snapshot)
    return snapshot.error().code == Errc::not_found ? Result<bool>(false) : fail(snapshot.error());
  const Standing standing = standing_of(*snapshot);
  const Diagnosis d = diagnose(*snapshot);
  const PathStatus& keypad = d.path(Path::keypad);
  if (!snapshot->lock.exists || !allowed(ActionId::send_backup_code, standing, *snapshot) ||
      !(keypad.alive || keypad.after_cooldown))
    return false;

  // The case it belongs to: the one named, if it is this person's at this door, else their open
  // case there.
  std::optional<std::string> case_id;
  if (request.case_id) {
    auto named = cases_.find(*request.case_id);
    if (!named) return fail(named.error());
    if (*named && (*named)->account == account && (*named)->site == request.site &&
        (*named)->lock == request.lock && (*named)->status != CaseStatus::resolved)
      case_id = (*named)->id;
  }
  if (!case_id) {
    auto open = cases_.open_case_of(account, request.site, request.lock);
    if (!open) return fail(open.error());
    case_id = *open;
  }

  auto code = deps_.devices.take_backup_code(request.site, request.lock, "account:" + account);
  if (!code) return code.error().code == Errc::conflict ? Result<bool>(false) : fail(code.error());

  const std::string link = options_.link_base + token;
  auto tx = deps_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  auto replaced = deps_.db.execute(
      "UPDATE lockout_backup_links SET replaced_at = ? WHERE account = ? AND replaced_at IS NULL",
      {now, account});
  if (!replaced) return fail(Error::from_store(replaced.error()));
  auto stored = deps_.db.execute(
      "INSERT INTO lockout_backup_links (token_hash, account, site, lock, case_id, credential, "
      "code, requested_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {token_hash(token), account, request.site, request.lock,
       case_id ? store::Value(*case_id) : store::Value(store::null), code->credential, code->pin,
       now, now + options_.link_lifetime_ms});
  if (!stored) return fail(Error::from_store(stored.error()));
  const std::string body = "Your backup code for door " + request.lock + " is at " + link +
                           " . The link expires in 30 minutes. If you did not ask for it, "
                           "tell your building's manager.";
  for (auto [channel, address] : {std::pair{notify::Channel::sms, person->phone},
                                  std::pair{notify::Channel::email, person->email}}) {
    if (address.empty()) continue;
    auto queued = deps_.outbox.enqueue({account, channel, address, notify::Kind::backup_code,
                                        request.site, "Your backup code", body});
    if (!queued) return fail(Error::from_store(queued.error()));
  }
  if (case_id) {
    auto c = cases_.find(*case_id);
    if (!c) return fail(c.error());
    if (*c)
      if (Status s = record_action(**c, ActionId::send_backup_code, "account:" + account, "done",
                                   json::serialize(json::object{{"by", by}, {"slot", code->slot}}));
          !s)
        return fail(s.error());
  }
  if (auto done = tx->commit(); !done) return fail(Error::from_store(done.error()));
  committed_messages();
  return true;
}

Result<BackupLinkView> Lockout::open_backup_link(std::string_view token) {
  if (!identity::is_token_shaped(token)) return fail(Error::not_found("no such link"));
  const store::Blob hash = token_hash(token);
  auto rows = lift(deps_.db.query(
      "SELECT account, site, lock, code, expires_at, replaced_at, expired_audited, case_id, "
      "credential FROM lockout_backup_links WHERE token_hash = ?",
      {hash}));
  if (!rows) return fail(rows.error());
  if (rows->empty()) return fail(Error::not_found("no such link"));
  const store::Row& row = (*rows)[0];
  const std::string account(text_or(row, 0, ""));
  const std::string site(text_or(row, 1, ""));
  const std::string lock(text_or(row, 2, ""));
  const UnixMs expires_at = int_or(row, 4, 0);
  const bool replaced = !row.is_null(5);
  const bool expiry_audited = int_or(row, 6, 0) != 0;
  const std::string credential(text_or(row, 8, ""));
  const UnixMs now = deps_.scheduler.now();
  const std::string actor = "account:" + account;

  if (now >= expires_at || replaced) {
    if (!expiry_audited) {
      auto tx = deps_.db.begin();
      if (!tx) return fail(Error::from_store(tx.error()));
      auto marked = deps_.db.execute(
          "UPDATE lockout_backup_links SET expired_audited = 1 WHERE token_hash = ?", {hash});
      if (!marked) return fail(Error::from_store(marked.error()));
      auto entry = deps_.audit.append(
          {audit::AuditType::backup_code_link_expired, actor, site, "lock:" + lock,
           json::serialize(json::object{{"credential", credential},
                                        {"reason", replaced ? "replaced" : "expired"}})});
      if (!entry) return fail(Error::from_store(entry.error()));
      if (auto done = tx->commit(); !done) return fail(Error::from_store(done.error()));
    }
    BackupLinkView gone;
    gone.gone = true;
    gone.reason = replaced ? "replaced" : "expired";
    gone.expires_at = expires_at;
    return gone;
  }

  auto tx = deps_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  auto viewed = deps_.db.execute(
      "UPDATE lockout_backup_links SET viewed_at = ? WHERE token_hash = ? AND viewed_at IS NULL",
      {now, hash});
  if (!viewed) return fail(Error::from_store(viewed.error()));
  auto entry =
      deps_.audit.append({audit::AuditType::backup_code_viewed, actor, site, "lock:" + lock,
                          json::serialize(json::object{{"credential", credential}})});
  if (!entry) return fail(Error::from_store(entry.error()));
  if (auto done = tx->commit(); !done) return fail(Error::from_store(done.error()));

  BackupLinkView view;
  view.code = (text_or(row, 3, ""));
  view.expires_at = expires_at;
  view.lock_name = lock;
  if (auto info = deps_.devices.lock(site, lock)) view.lock_name = info->name;
  view.site_name = site;
  if (auto s = access::find_site(deps_.db, site); s && *s) view.site_name = (*s)->name;
  return view;
}

}  // namespace server::lockout
