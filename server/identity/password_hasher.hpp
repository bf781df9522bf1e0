#pragma once
// PasswordHasher: argon2id (libsodium) on a thread of its own, so that sign-ins, which each cost
// tens of milliseconds and tens of MiB by design, never hold up the io thread that answers every
// other request. A coroutine awaits hash() or verify(); the work runs on the hashing thread and
// the coroutine resumes on its own executor with the result.
//
// One thread on purpose: on a 2-core box one core stays for the API, and the memory in use is
// bounded by one computation at a time. At most `max_queued` computations wait; beyond that the
// answer is Errc::unavailable (retry after 1 s) instead of an ever-growing queue. Sign-in
// throttling (sign_in_throttle.hpp) refuses abusive attempts before they reach this queue.

#include <atomic>
#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "server/common/error.hpp"

namespace server::identity {

// argon2id's cost: passes (opslimit) and memory in bytes (memlimit); parallelism is 1 in
// libsodium.
struct HashCost {
  unsigned long long opslimit = 0;
  std::size_t memlimit = 0;

  // libsodium's INTERACTIVE: 2 passes, 64 MiB. The default.
  static HashCost interactive();
  // 1 pass, 8 KiB: for tests only, where thousands of hashes must not take minutes. Far below the
  // ASVS floor: Node refuses it unless the C++ config sets allow_weak_password_hash.
  static HashCost test_only();

  // OWASP ASVS 5.0 appendix C / the Password Storage Cheat Sheet floor for argon2id with p=1:
  // m >= 46 MiB at t=1, 19 MiB at t=2, 12 MiB at t=3, 9 MiB at t=4, 7 MiB at t>=5.
  bool meets_asvs_minimum() const;
};

struct Verdict {
  bool match = false;
  bool needs_rehash = false;  // matched, but under another cost or algorithm: store a new hash
};

struct HasherStats {
  std::uint64_t hashes = 0;
  std::uint64_t verifications = 0;
};

class PasswordHasher {
 public:
  explicit PasswordHasher(HashCost cost, std::size_t max_queued = 32);
  // Finishes what is queued, then joins the hashing thread.
  ~PasswordHasher();
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // An argon2id string ("$argon2id$v=19$m=…") for `password` at this hasher's cost.
  // Errors: unavailable (queue full, retry_after_s 1), internal (out of memory).
  boost::asio::awaitable<Result<std::string>> hash(std::string password);
  // Whether `password` matches `stored`. A malformed `stored` is a mismatch, never an error.
  // Errors: unavailable (queue full, retry_after_s 1).
  boost::asio::awaitable<Result<Verdict>> verify(std::string stored, std::string password);

  // A valid hash of a random password at this cost, made once: verify() against it when the
  // account named does not exist, so that path costs what a wrong password costs.
  const std::string& dummy_hash() const { return dummy_hash_; }
  const HashCost& cost() const { return cost_; }
  HasherStats stats() const;

 private:
  template <class R, class Work>
  boost::asio::awaitable<Result<R>> offload(Work work);
  std::string hash_now(const std::string& password);

  HashCost cost_;
  std::size_t max_queued_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<std::uint64_t> hashes_{0};
  std::atomic<std::uint64_t> verifications_{0};
  std::string dummy_hash_;
  boost::asio::thread_pool pool_{1};
};

}  // namespace server::identity
