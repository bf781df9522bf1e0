#include "app/audit.hpp"

#include <cstdio>
#include <filesystem>

#include "lockcore/platform.hpp"
#include "server/audit/audit_log.hpp"
#include "server/config/config.hpp"
#include "server/store/sqlite_database.hpp"

namespace app {

namespace {

// Verifying reads no time: a clock that says so if it is ever asked.
class NoClock final : public lockcore::Clock {
 public:
  lockcore::UnixMs now() const override { return 0; }
};

}  // namespace

int audit_verify(const std::optional<std::string>& config_file) {
  auto loaded = server::config::load(config_file, server::config::process_environment());
  if (!loaded) {
    std::fprintf(stderr, "latchkey audit verify: %s\n", loaded.error().c_str());
    return 2;
  }
  if (!std::filesystem::exists(loaded->store.path)) {
    std::fprintf(stderr, "latchkey audit verify: no store at %s\n", loaded->store.path.c_str());
    return 2;
  }
  auto db = server::store::open_sqlite(loaded->store.path, {});
  if (!db) {
    std::fprintf(stderr, "latchkey audit verify: store %s: %s\n", loaded->store.path.c_str(),
                 db.error().message.c_str());
    return 2;
  }
  NoClock clock;
  server::audit::AuditLog log(**db, clock);
  auto verified = log.verify();
  if (!verified) {
    std::fprintf(stderr, "latchkey audit verify: %s\n", verified.error().message.c_str());
    return 2;
  }
  if (verified->broken_at) {
    std::printf("audit: chain broken at entry %lld (%lld entries checked)\n",
                static_cast<long long>(*verified->broken_at),
                static_cast<long long>(verified->entries));
    return 1;
  }
  std::printf("audit: %lld entries, chain intact\n", static_cast<long long>(verified->entries));
  return 0;
}

}  // namespace app
