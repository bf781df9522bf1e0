#pragma once
// The lockout domain on a real store and a virtual clock, over the real identity, access,
// devices (with real lock firmware wired in-process: tests/server/devices/loopback_site.hpp) and
// maintenance. Site "maple-court" (America/New_York) has unit 204 with door u204 (Wi-Fi, a
// backup pool of 5); Olga owns it, Mia manages it, Rita lives in 204 with code 4831.

#include <string>

#include "server/access/access.hpp"
#include "server/doors/lock_directory.hpp"
#include "server/identity/access_accounts.hpp"
#include "server/identity/identity.hpp"
#include "server/lockout/lockout.hpp"
#include "server/maintenance/maintenance.hpp"
#include "tests/server/devices/loopback_site.hpp"

namespace server::lockout::testing {

class LockoutWorld : public devicestest::LoopbackSite {
 public:
  LockoutWorld();
  ~LockoutWorld() override;

  // A new active account; returns its id.
  std::string person(const std::string& name, const std::string& phone);
  void grant(const std::string& account, access::Role role, std::optional<std::string> unit,
             std::optional<UnixMs> until = std::nullopt);
  Caller signed_in(const std::string& account) const;
  Caller anonymous() const { return Caller{std::nullopt, "ip:198.51.100.7"}; }
  // Runs backup-code requests waiting for their timer.
  void work();
  lockcore::DoorOutcome enter(const std::string& pin);
  std::vector<notify::Message> messages(const std::string& account, notify::Kind kind);
  std::size_t count(audit::AuditType type) { return audits(type).size(); }
  // The token in the newest backup_code message to `account`.
  std::string link_token(const std::string& account);

  notify::Outbox outbox;
  identity::Identity identity;
  identity::AccessAccounts access_accounts;
  doors::DeviceLockDirectory doors;
  access::Access access;
  maintenance::Maintenance maintenance;
  std::unique_ptr<Lockout> lockout;
  std::string olga, mia, rita;
};

}  // namespace server::lockout::testing
