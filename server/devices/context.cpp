#include "server/devices/context.hpp"

#include <boost/json/serialize.hpp>
#include <sodium.h>
#include <spdlog/spdlog.h>

namespace server::devices {

Result<LockRecord*> Context::find_lock(std::string_view site, std::string_view lock) {
  LockRecord* record = model.lock(site, lock);
  if (record == nullptr) {
    return fail(Error::not_found("no lock \"" + std::string(lock) + "\" at this site"));
  }
  return record;
}

Result<SiteRecord*> Context::find_site(std::string_view site) {
  SiteRecord* record = model.site(site);
  if (record == nullptr) return fail(Error::not_found("no site \"" + std::string(site) + "\""));
  return record;
}

void Context::publish_live(std::string_view site, std::string_view topic,
                           const boost::json::object& json) {
  if (live.subscribers() == 0) return;
  live.publish({std::string(site), std::string(topic), boost::json::serialize(json)});
}

Status Context::audit_entry(audit::AuditType type, std::string actor, std::string site,
                            std::string subject, const boost::json::object& detail) {
  auto appended = audit.append({type, std::move(actor), std::move(site), std::move(subject),
                                boost::json::serialize(detail)});
  if (!appended) return fail(store_failure(appended.error()));
  return {};
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

bool from_hex(std::string_view hex, std::span<std::uint8_t> out) {
  if (hex.size() != out.size() * 2) return false;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  std::size_t written = 0;
  return sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written,
                        nullptr) == 0 &&
         written == out.size();
}

std::string lock_subject(std::string_view lock) {
  return "lock:" + std::string(lock);
}

std::string hub_subject(std::string_view hub) {
  return "hub:" + std::string(hub);
}

Error store_failure(const store::Error& error) {
  spdlog::error("devices: store: {}", error.message);
  return Error::from_store(error);
}

}  // namespace server::devices
