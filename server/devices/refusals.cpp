#include "server/devices/refusals.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace server::devices {

std::string printable(std::string_view text, std::size_t max) {
  std::string out;
  out.reserve(std::min(text.size(), max));
  for (char c : text.substr(0, max)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u >= 0x20 && u < 0x7f ? c : '?');
  }
  return out;
}

void Refusals::refuse(std::string_view topic, std::string_view kind, std::string_view detail,
                      LockRecord* lock, HubRecord* hub, audit::AuditType type) {
  ++total_;
  ctx_.metrics
      .counter("latchkey_device_messages_refused_total",
               "Messages from locks and hubs refused unread", {{"reason", std::string(kind)}})
      .inc();

  UnixMs* audited_at = &unknown_audited_at_;
  std::uint32_t* suppressed = &unknown_suppressed_;
  bool first = !unknown_audited_once_;
  std::string site;
  std::string subject = "unknown";
  if (lock != nullptr) {
    audited_at = &lock->refusal_audited_at;
    suppressed = &lock->refusals_suppressed;
    first = *audited_at == 0;
    site = lock->info.site;
    subject = lock_subject(lock->info.id);
  } else if (hub != nullptr) {
    audited_at = &hub->refusal_audited_at;
    suppressed = &hub->refusals_suppressed;
    first = *audited_at == 0;
    site = hub->info.site;
    subject = hub_subject(hub->info.id);
  }
  const UnixMs now = ctx_.now();
  if (!first && now - *audited_at < ctx_.options.refusal_audit_window.count()) {
    ++*suppressed;
    spdlog::debug("devices: refused a message on {}: {} {}", printable(topic), kind,
                  printable(detail));
    return;
  }
  spdlog::warn("devices: refused a message on {}: {} {}{}", printable(topic), kind,
               printable(detail),
               *suppressed != 0 ? fmt::format(" ({} more since the last report)", *suppressed)
                                : std::string());
  boost::json::object d{
      {"topic", printable(topic)}, {"reason", std::string(kind)}, {"detail", printable(detail)}};
  if (*suppressed != 0) d["suppressed"] = *suppressed;
  Status written =
      in_transaction(ctx_.db, [&] { return ctx_.audit_entry(type, "system", site, subject, d); });
  if (!written) return;  // the log line above stands in for it
  ++audited_;
  *audited_at = now == 0 ? 1 : now;
  *suppressed = 0;
  if (lock == nullptr && hub == nullptr) unknown_audited_once_ = true;
}

}  // namespace server::devices
