#pragma once
// The notification outbox: every message the product sends (email, SMS, webhook) is first a row
// here, written in the same transaction as the act that causes it, so a crash can neither lose a
// security notice nor send one for an act that did not commit. A deliverer (notify/ delivery)
// takes due rows, sends them and records the outcome; tests and the scenario runner read what was
// sent from here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lockcore/platform.hpp"
#include "server/store/database.hpp"
#include "server/store/migrations.hpp"

namespace server::notify {

enum class Channel { email, sms, webhook };

// What a message is about; the stable names are used by scenario `messages` expectations.
enum class Kind {
  backup_code,      // a link to view a backup code
  security_notice,  // sign-in from a new device, password/MFA/device change, admin restored,
                    // ownership transfer, suspension
  lockout_update,   // progress of a lockout case
  work_order,       // a job for the on-site team
  access_code,      // a code shared with its holder (a guest's code, a new resident's code)
  lock_alert,       // lock health: offline, jammed, battery low
  password_reset,   // a link to choose a new password, to the account's own address
};

enum class DeliveryStatus { pending, sent, failed };

std::string_view to_string(Channel channel);
std::string_view to_string(Kind kind);
std::string_view to_string(DeliveryStatus status);
std::optional<Channel> channel_from(std::string_view name);
std::optional<Kind> kind_from(std::string_view name);

struct Notice {
  std::string account;  // the recipient's account id; empty for a webhook or an unknown person
  Channel channel = Channel::email;
  std::string address;  // email address, E.164 phone number, or webhook URL
  Kind kind = Kind::security_notice;
  std::string site;  // empty when no site is concerned
  std::string subject;
  std::string body;
};

struct Message {
  std::string id;
  lockcore::UnixMs created = 0;
  Notice notice;
  DeliveryStatus status = DeliveryStatus::pending;
  std::int64_t attempts = 0;
  lockcore::UnixMs next_attempt = 0;
  std::string last_error;
};

struct MessageFilter {
  std::optional<std::string> account;
  std::optional<Channel> channel;
  std::optional<Kind> kind;
  std::optional<std::string> site;
  std::size_t limit = 100;
};

class Outbox {
 public:
  Outbox(store::Database& db, const lockcore::Clock& clock) : db_(db), clock_(clock) {}

  // Writes a pending message through the caller's connection (call it inside the act's
  // transaction). Returns its id.
  store::Result<std::string> enqueue(const Notice& notice);

  // Pending messages whose next attempt is due and that no deliverer holds (claim()), in the
  // order they fell due.
  store::Result<std::vector<Message>> due(std::size_t limit) const;
  // The same, on `channels` only (the ones a deliverer can send on).
  store::Result<std::vector<Message>> due(std::size_t limit,
                                          const std::vector<Channel>& channels) const;
  // Takes message `id` for one delivery attempt until `lease_until`: true when this caller now
  // holds it; false when it is not pending and due, or someone holds it already (a compare-and-set
  // in one statement, so two deliverers on one database never both get it). Until the lease ends
  // (or mark_sent/mark_failed/release) the message is not due. Errors: busy, io.
  store::Result<bool> claim(const std::string& id, lockcore::UnixMs lease_until);
  // Gives a claimed message back untried (an attempt abandoned on shutdown): due again at once,
  // attempts unchanged. Errors: misuse (no such message), busy, io.
  store::Status release(const std::string& id);
  // When the earliest pending message on `channels` can next be taken (its next attempt, or the
  // end of its lease, whichever is later); nullopt when none is pending.
  store::Result<std::optional<lockcore::UnixMs>> next_due(
      const std::vector<Channel>& channels) const;
  // How many messages on `channel` are pending.
  store::Result<std::int64_t> pending(Channel channel) const;
  // Outcome of one delivery attempt (ending any lease). A failure with a next attempt stays
  // pending until then; without one (retries exhausted, or an address that can never work) it is
  // failed for good.
  store::Status mark_sent(const std::string& id);
  store::Status mark_failed(const std::string& id, const std::string& error,
                            std::optional<lockcore::UnixMs> next_attempt);

  // Newest first.
  store::Result<std::vector<Message>> list(const MessageFilter& filter) const;

 private:
  store::Database& db_;
  const lockcore::Clock& clock_;
};

// The notify domain's tables, every version (migrations.cpp): the outbox, its sending lease,
// webhook subscriptions.
std::vector<store::Migration> migrations();

}  // namespace server::notify
