#pragma once
// Fixed-capacity containers: the lock's memory is sized at compile time, never on the heap.

#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace lockcore {

// A vector with capacity N stored inline. push_back on a full vector returns false.
template <class T, std::size_t N>
class FixedVector {
 public:
  static constexpr std::size_t capacity() { return N; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == N; }

  [[nodiscard]] bool push_back(const T& value) {
    if (size_ == N) return false;
    items_[size_++] = value;
    return true;
  }
  void pop_back() {
    assert(size_ > 0);
    --size_;
  }
  void clear() { size_ = 0; }
  void erase_at(std::size_t index) {
    assert(index < size_);
    std::move(items_.begin() + index + 1, items_.begin() + size_, items_.begin() + index);
    --size_;
  }

  T& operator[](std::size_t i) { return items_[i]; }
  const T& operator[](std::size_t i) const { return items_[i]; }
  T* begin() { return items_.data(); }
  T* end() { return items_.data() + size_; }
  const T* begin() const { return items_.data(); }
  const T* end() const { return items_.data() + size_; }
  T* data() { return items_.data(); }
  const T* data() const { return items_.data(); }

  friend bool operator==(const FixedVector& a, const FixedVector& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  std::array<T, N> items_{};
  std::size_t size_ = 0;
};

// A string of at most N bytes stored inline. assign() refuses what does not fit.
template <std::size_t N>
class FixedString {
 public:
  FixedString() = default;
  static constexpr std::size_t capacity() { return N; }

  [[nodiscard]] bool assign(std::string_view text) {
    if (text.size() > N) return false;
    std::copy(text.begin(), text.end(), chars_.begin());
    size_ = static_cast<std::uint8_t>(text.size());
    return true;
  }
  // For literals and values already checked to fit.
  static FixedString from(std::string_view text) {
    FixedString s;
    [[maybe_unused]] bool fits = s.assign(text);
    assert(fits);
    return s;
  }

  std::string_view view() const { return {chars_.data(), size_}; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  friend bool operator==(const FixedString& a, const FixedString& b) { return a.view() == b.view(); }

 private:
  static_assert(N < 256);
  std::array<char, N> chars_{};
  std::uint8_t size_ = 0;
};

}  // namespace lockcore
