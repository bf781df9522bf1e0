#pragma once
// Refusals: what happens to a message the server will not act on (malformed, oversized, for an
// unknown lock or hub, on a channel that device may not use). It changes nothing; it is counted
// (latchkey_device_messages_refused_total by reason) and logged, and audited as message_refused,
// but at most once per device (or once for all unknown devices) per
// DevicesOptions::refusal_audit_window, so that a noisy lock cannot flood the log or the audit
// trail: the next entry says how many were suppressed in between.

#include <string>
#include <string_view>

#include "server/devices/context.hpp"

namespace server::devices {

class Refusals {
 public:
  explicit Refusals(Context& ctx) : ctx_(ctx) {}

  // `kind`: a short stable reason for the metric ("bad_topic", "too_large", "unknown_device",
  // "wrong_channel", "decode"); `detail`: what exactly (the decoder's message).
  void refuse(std::string_view topic, std::string_view kind, std::string_view detail,
              LockRecord* lock = nullptr, HubRecord* hub = nullptr,
              audit::AuditType type = audit::AuditType::message_refused);

  std::uint64_t total() const { return total_; }
  std::uint64_t audited() const { return audited_; }

 private:
  Context& ctx_;
  std::uint64_t total_ = 0;
  std::uint64_t audited_ = 0;
  UnixMs unknown_audited_at_ = 0;
  std::uint32_t unknown_suppressed_ = 0;
  bool unknown_audited_once_ = false;
};

// Printable ASCII only, at most `max` bytes: safe for a log line or a JSON string.
std::string printable(std::string_view text, std::size_t max = 200);

}  // namespace server::devices
