#include "server/lockout/diagnosis/cause.hpp"

namespace server::lockout {

Layer layer_of(CauseId cause) {
  // The enum lists each layer's causes together, in layer order: the first cause of each layer.
  if (cause >= CauseId::lock_jammed) return Layer::hardware;
  if (cause >= CauseId::code_not_on_lock) return Layer::keypad;
  if (cause >= CauseId::role_cannot_unlock) return Layer::authorization;
  if (cause >= CauseId::hub_offline) return Layer::connectivity;
  if (cause >= CauseId::device_not_enrolled) return Layer::enrollment;
  return Layer::account;
}

}  // namespace server::lockout
