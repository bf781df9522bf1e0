#pragma once
// LiveFeed: which of a site's live updates (server/live/bus.hpp) one person's stream may carry.
// The stream is already the site's (subscribed by site); this decides per update, by what the
// update is about, with access's policy at the moment it is sent:
//   lock        view_lock_state on that door
//   hub         view_fleet_health
//   command     the attempt's requester, or view_audit
//   credential, fanout   the code is visible to the person (codes::Codes::get), or, for anything
//               that is not a code (backup codes), manage_any_code
//   event       view_audit (a lock's own log names who opened it)
//   work_order  manage_work_orders
// Anything else is not sent.

#include <string_view>

#include "runtime/clock.hpp"
#include "server/access/access.hpp"
#include "server/codes/codes.hpp"
#include "server/live/bus.hpp"

namespace server::doors {

class LiveFeed {
 public:
  LiveFeed(const runtime::Clock& clock, access::Access& access, codes::Codes& codes)
      : clock_(clock), access_(access), codes_(codes) {}

  bool visible(std::string_view actor, const live::Update& update) const;

 private:
  bool may(std::string_view actor, access::Action action, const live::Update& update,
           std::string_view lock = {}) const;

  const runtime::Clock& clock_;
  access::Access& access_;
  codes::Codes& codes_;
};

}  // namespace server::doors
