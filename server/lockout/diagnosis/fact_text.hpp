#pragma once
// Writing evidence sentences: fact("lock {} reported a jam at {}", id, At{t, clock}) formats into
// an inline FactText (cut at kMaxFactLength, never on the heap). Times are the site's local time
// ("07:31", or "Jan 11 07:31" on another day); spans are rounded to one unit ("12 min", "3 h").
// Internal to the engine.

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "server/lockout/diagnosis/evidence.hpp"
#include "server/lockout/diagnosis/snapshot.hpp"

namespace server::lockout {

struct LocalClock {
  UnixMs now = 0;
  int utc_offset_min = 0;
};

struct At {
  UnixMs t = 0;
  LocalClock clock;
};

struct Span {
  UnixMs ms = 0;
};

using ShortText = std::array<char, 24>;
std::string_view render(const At& at, ShortText& out);
std::string_view render(const Span& span, ShortText& out);

template <class... Args>
FactText fact(fmt::format_string<Args...> format, Args&&... args) {
  std::array<char, kMaxFactLength> buffer;
  const auto result =
      fmt::format_to_n(buffer.data(), buffer.size(), format, std::forward<Args>(args)...);
  const auto length = std::min<std::size_t>(result.size, buffer.size());
  return FactText::from(std::string_view(buffer.data(), length));
}

}  // namespace server::lockout

template <>
struct fmt::formatter<server::lockout::At> : fmt::formatter<std::string_view> {
  auto format(const server::lockout::At& at, format_context& ctx) const {
    server::lockout::ShortText text;
    return fmt::formatter<std::string_view>::format(render(at, text), ctx);
  }
};

template <>
struct fmt::formatter<server::lockout::Span> : fmt::formatter<std::string_view> {
  auto format(const server::lockout::Span& span, format_context& ctx) const {
    server::lockout::ShortText text;
    return fmt::formatter<std::string_view>::format(render(span, text), ctx);
  }
};
