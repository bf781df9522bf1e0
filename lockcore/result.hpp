#pragma once
// Result<T, E>: a value or a typed error, the way every Latchkey boundary reports failure.
// Header-only, no heap, no exceptions: usable in lockcore (firmware rules) and everywhere above.

#include <new>
#include <type_traits>
#include <utility>

namespace lockcore {

// Wraps an error so that Result<T, E> can be built from it even when T and E convert to each other.
template <class E>
struct Failure {
  E error;
};

template <class E>
[[nodiscard]] constexpr Failure<std::decay_t<E>> fail(E&& error) {
  return {std::forward<E>(error)};
}

template <class T, class E>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  using error_type = E;

  Result(T value) : ok_(true) { new (&value_) T(std::move(value)); }
  template <class F, class = std::enable_if_t<std::is_constructible_v<E, F&&>>>
  Result(Failure<F> failure) : ok_(false) {
    new (&error_) E(std::move(failure.error));
  }
  Result(const Result& other) : ok_(other.ok_) {
    if (ok_)
      new (&value_) T(other.value_);
    else
      new (&error_) E(other.error_);
  }
  Result(Result&& other) noexcept : ok_(other.ok_) {
    if (ok_)
      new (&value_) T(std::move(other.value_));
    else
      new (&error_) E(std::move(other.error_));
  }
  Result& operator=(Result other) noexcept {
    destroy();
    ok_ = other.ok_;
    if (ok_)
      new (&value_) T(std::move(other.value_));
    else
      new (&error_) E(std::move(other.error_));
    return *this;
  }
  ~Result() { destroy(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }

  // Precondition: ok(). Reading the wrong side is a programming error, caught by the assert.
  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T&& value() && { return std::move(value_); }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }
  T& operator*() & { return value_; }
  const T& operator*() const& { return value_; }

  // Precondition: !ok().
  const E& error() const { return error_; }

 private:
  void destroy() {
    if (ok_)
      value_.~T();
    else
      error_.~E();
  }

  bool ok_;
  union {
    T value_;
    E error_;
  };
};

template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() : ok_(true) {}
  template <class F, class = std::enable_if_t<std::is_constructible_v<E, F&&>>>
  Result(Failure<F> failure) : ok_(false), error_(std::move(failure.error)) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const E& error() const { return error_; }

 private:
  bool ok_;
  E error_{};
};

}  // namespace lockcore
