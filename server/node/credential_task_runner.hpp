#pragma once
// Applies access's credential tasks (server/access/credential_tasks.hpp) through the codes
// domain: when access shrinks (a move-out, a suspension, an ownership transfer), the act writes a
// task row in its own transaction; this runner takes each pending row, withdraws the codes it
// names (codes::Codes::remove_all / revalidate, which call devices in transactions of their own)
// and marks the row done. A task is applied at least once: a crash between the withdrawal and
// the mark leaves it pending, and applying it again changes nothing.
//
// Why not access's in-transaction remover: devices writes placements and shadows in its own
// transactions (and updates its in-memory model after each commit), which cannot nest inside the
// act's. The pending row is the durable promise; this keeps it promptly.
//
// drain() runs at start, after every request to the access routes (Node posts it), and every
// `interval` of scheduler time (acts made outside HTTP, e.g. by the scenario runner).

#include <chrono>

#include "runtime/scheduler.hpp"
#include "server/codes/codes.hpp"
#include "server/store/database.hpp"

namespace server {

class CredentialTaskRunner {
 public:
  CredentialTaskRunner(store::Database& db, runtime::Scheduler& scheduler, codes::Codes& codes)
      : db_(db), scheduler_(scheduler), codes_(codes) {}
  ~CredentialTaskRunner();
  CredentialTaskRunner(const CredentialTaskRunner&) = delete;
  CredentialTaskRunner& operator=(const CredentialTaskRunner&) = delete;

  // Applies every pending task, oldest first; returns how many. A task that fails stays pending
  // (logged) and the rest are still tried. Errors: internal (the tasks could not be read).
  Result<std::size_t> drain();
  // Drains now and then every `interval`, until stop().
  void start(std::chrono::milliseconds interval);
  void stop();

 private:
  void arm();

  store::Database& db_;
  runtime::Scheduler& scheduler_;
  codes::Codes& codes_;
  std::chrono::milliseconds interval_{0};
  runtime::TimerId timer_ = 0;
};

}  // namespace server
