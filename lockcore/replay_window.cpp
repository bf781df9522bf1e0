#include "lockcore/replay_window.hpp"

#include <algorithm>

#include <sodium.h>

namespace lockcore {

ReplayWindow::Check ReplayWindow::check(const CommandId& id, UnixMs now) {
  bool room = false;
  for (Entry& e : entries_) {
    if (e.expires != 0 && e.expires < now) e = {};
    if (e.expires == 0) {
      room = true;
      continue;
    }
    if (sodium_memcmp(e.id.data(), id.data(), id.size()) == 0) return Check::replayed;
  }
  return room ? Check::fresh : Check::full;
}

void ReplayWindow::remember(const CommandId& id, UnixMs expires) {
  for (Entry& e : entries_) {
    if (e.expires == 0) {
      e = {id, std::max<UnixMs>(expires, 1)};  // 0 marks a free entry
      return;
    }
  }
}

std::size_t ReplayWindow::size() const {
  std::size_t n = 0;
  for (const Entry& e : entries_)
    n += e.expires != 0;
  return n;
}

}  // namespace lockcore
