#pragma once
// Generation: how a domain's read caches know that nothing they hold can have changed. Every act
// that writes the tables a cache reads (access's sites and memberships, identity's accounts,
// sessions and MFA) does so inside a Change: while one is open the caches are neither read nor
// filled (the act sees the store itself, its own uncommitted writes included), and when it closes
// (committed or rolled back) the generation moves and everything cached before is dropped. So a
// cached row is used only while no write has happened since it was read: exactly what a fresh
// read would return. What depends on the clock (windows, schedules, expiry) is never cached: the
// rows are, and the decision is made again on every request.
//
// RowCache keeps rows by key for one generation, up to a capacity (then it starts again empty):
// no time-based staleness, only the generation. In debug builds (the tests) every value it hands
// out is checked against a fresh read, so a write anywhere that bypassed a Change fails the test
// that made it instead of going unnoticed.
//
// Identity uses the same two types for its tables (it implements access's Accounts port and
// already depends on this folder's headers). Single-threaded, like the domains.

#include <cassert>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace server::access {

class Generation {
 public:
  class [[nodiscard]] Change {
   public:
    explicit Change(const Generation& g) : g_(&g) { ++g_->open_; }
    Change(Change&& other) noexcept : g_(std::exchange(other.g_, nullptr)) {}
    Change& operator=(Change&&) = delete;
    Change(const Change&) = delete;
    ~Change() {
      if (g_ == nullptr) return;
      --g_->open_;
      ++g_->value_;
    }

   private:
    const Generation* g_;
  };

  // Declare it before the act's transaction, so that it closes after the transaction ended.
  Change change() const { return Change(*this); }
  std::uint64_t value() const { return value_; }
  // An act is writing: caches must go to the store.
  bool changing() const { return open_ != 0; }

 private:
  // Mutable: the domains hand their dependencies around as const references; a change to the
  // counters is not a change to what they describe.
  mutable std::uint64_t value_ = 0;
  mutable int open_ = 0;
};

template <class Value>
class RowCache {
 public:
  RowCache(const Generation& generation, std::size_t capacity)
      : generation_(generation), capacity_(capacity) {}

  // The value kept for `key` in this generation, or else `read()`'s, kept when it succeeded.
  // `read` returns a Result<Value> (server/common/error.hpp) and reads the store.
  template <class Read>
  auto get(std::string_view key, Read read) -> decltype(read()) {
    if (!usable()) return read();
    if (auto it = rows_.find(key); it != rows_.end()) {
#ifndef NDEBUG
      auto fresh = read();
      assert(fresh && same(*fresh, it->second) &&
             "a kept row differs from the store: something wrote outside a Generation::Change");
#endif
      return it->second;
    }
    auto fresh = read();
    if (!fresh) return fresh;
    if (rows_.size() >= capacity_) rows_.clear();
    rows_.emplace(std::string(key), *fresh);
    return fresh;
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  template <class T>
  static bool same(const T& a, const T& b) {
    return a == b;
  }
  template <class T>
  static bool same(const std::shared_ptr<const T>& a, const std::shared_ptr<const T>& b) {
    return a == nullptr ? b == nullptr : b != nullptr && *a == *b;
  }

  bool usable() {
    if (generation_.changing()) return false;
    if (seen_ != generation_.value()) {
      rows_.clear();
      seen_ = generation_.value();
    }
    return true;
  }

  const Generation& generation_;
  std::size_t capacity_;
  std::uint64_t seen_ = 0;
  std::unordered_map<std::string, Value, Hash, std::equal_to<>> rows_;
};

}  // namespace server::access
