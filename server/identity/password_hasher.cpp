#include "server/identity/password_hasher.hpp"

#include <memory>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sodium.h>

#include "server/identity/secret.hpp"

namespace server::identity {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kMiB = 1024 * 1024;

// Holds a password for the hashing thread and wipes it once that is done with it.
struct Wiped {
  std::string text;
  ~Wiped() {
    if (!text.empty()) sodium_memzero(text.data(), text.size());
  }
};

std::shared_ptr<Wiped> wiped(std::string text) {
  auto out = std::make_shared<Wiped>();
  out->text = std::move(text);
  return out;
}

}  // namespace

HashCost HashCost::interactive() {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

HashCost HashCost::test_only() {
  return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

bool HashCost::meets_asvs_minimum() const {
  if (opslimit == 0) return false;
  // Memory floor by pass count (t = 1, 2, 3, 4, >= 5).
  static constexpr std::size_t kFloor[] = {46 * kMiB, 19 * kMiB, 12 * kMiB, 9 * kMiB, 7 * kMiB};
  const std::size_t index = static_cast<std::size_t>(std::min<unsigned long long>(opslimit, 5) - 1);
  return memlimit >= kFloor[index];
}

static_assert(crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE == 2 &&
                  crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE >= 19 * kMiB,
              "libsodium's INTERACTIVE argon2id cost must stay at or above the ASVS floor");

PasswordHasher::PasswordHasher(HashCost cost, std::size_t max_queued)
    : cost_(cost), max_queued_(max_queued) {
  const std::vector<std::uint8_t> random = random_bytes(32);
  dummy_hash_ = hash_now(base64url(random));
  hashes_ = 0;
}

PasswordHasher::~PasswordHasher() {
  pool_.join();
}

HasherStats PasswordHasher::stats() const {
  return {hashes_.load(), verifications_.load()};
}

std::string PasswordHasher::hash_now(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_argon2id_str(out, password.data(), password.size(), cost_.opslimit,
                                 cost_.memlimit) != 0) {
    return {};
  }
  ++hashes_;
  return out;
}

template <class R, class Work>
asio::awaitable<Result<R>> PasswordHasher::offload(Work work) {
  if (queued_.fetch_add(1) >= max_queued_) {
    --queued_;
    Error busy(Errc::unavailable, "too many sign-ins at once; try again in a second");
    busy.retry_after_s = 1;
    co_return fail(std::move(busy));
  }
  // Runs `work` on the hashing thread, then resumes this coroutine on its own executor (the
  // awaiting handler's), which is kept from running out of work in the meantime.
  R result = co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(R)>(
      [this](auto handler, Work work) {
        auto home = asio::prefer(asio::get_associated_executor(handler),
                                 asio::execution::outstanding_work.tracked);
        asio::post(pool_, [this, work = std::move(work), handler = std::move(handler),
                           home = std::move(home)]() mutable {
          R value = work();
          --queued_;
          asio::post(home, [handler = std::move(handler), value = std::move(value)]() mutable {
            std::move(handler)(std::move(value));
          });
        });
      },
      asio::use_awaitable, std::move(work));
  co_return result;
}

// The work is a named local, never a temporary inside the co_await expression: g++ 12 destroys
// such temporaries twice.
asio::awaitable<Result<std::string>> PasswordHasher::hash(std::string password) {
  auto work = [this, secret = wiped(std::move(password))] { return hash_now(secret->text); };
  auto hashed = co_await offload<std::string>(std::move(work));
  if (!hashed) co_return fail(hashed.error());
  if (hashed->empty()) co_return fail(Error(Errc::internal, "argon2id: out of memory"));
  co_return std::move(*hashed);
}

asio::awaitable<Result<Verdict>> PasswordHasher::verify(std::string stored, std::string password) {
  auto work = [this, stored = std::move(stored), secret = wiped(std::move(password))] {
    ++verifications_;
    Verdict v;
    // crypto_pwhash_str_verify reads a NUL-terminated string of at most STRBYTES.
    if (stored.size() >= crypto_pwhash_STRBYTES) return v;
    v.match =
        crypto_pwhash_str_verify(stored.c_str(), secret->text.data(), secret->text.size()) == 0;
    if (v.match) {
      v.needs_rehash = crypto_pwhash_argon2id_str_needs_rehash(stored.c_str(), cost_.opslimit,
                                                               cost_.memlimit) != 0;
    }
    return v;
  };
  co_return co_await offload<Verdict>(std::move(work));
}

}  // namespace server::identity
