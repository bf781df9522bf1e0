#pragma once
// The deliverer as [notify] configures it: one sender per enabled channel whose settings can be
// used, and the reason for every channel left unserved (disabled, or what is missing), so that
// the log says why messages wait.

#include "server/config/config.hpp"
#include "server/notify/deliverer.hpp"

namespace server::notify {

Senders senders_from(const config::Config::Notify& config);
DelivererOptions deliverer_options_from(const config::Config::Notify& config);

}  // namespace server::notify
