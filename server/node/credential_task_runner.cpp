#include "server/node/credential_task_runner.hpp"

#include <spdlog/spdlog.h>

#include "server/access/credential_tasks.hpp"

namespace server {

CredentialTaskRunner::~CredentialTaskRunner() {
  stop();
}

void CredentialTaskRunner::stop() {
  if (timer_ != 0) scheduler_.cancel(timer_);
  timer_ = 0;
}

Result<std::size_t> CredentialTaskRunner::drain() {
  auto tasks = access::pending_credential_tasks(db_);
  if (!tasks) return fail(tasks.error());
  std::size_t done = 0;
  for (const access::CredentialTask& t : *tasks) {
    Status applied = t.kind == access::CredentialTaskKind::remove_all
                         ? codes_.remove_all(t.site, t.account)
                         : codes_.revalidate(t.site, t.account);
    if (applied) applied = access::mark_credential_task_done(db_, t.id, scheduler_.now());
    if (!applied) {
      spdlog::error("credential task {} ({} for {} at {}): {}", t.id, to_string(t.kind), t.account,
                    t.site, applied.error().message);
      continue;
    }
    ++done;
  }
  return done;
}

void CredentialTaskRunner::start(std::chrono::milliseconds interval) {
  interval_ = interval;
  (void)drain();
  arm();
}

void CredentialTaskRunner::arm() {
  timer_ = scheduler_.call_after(interval_, [this] {
    timer_ = 0;
    (void)drain();
    arm();
  });
}

}  // namespace server
