// The simulator runs 10,000 locks in at most 16 KiB each, MQTT client included: the firmware and
// its model hardware must leave room for it.
#include "lockcore/lock.hpp"
#include "lockcore/model/model_hardware.hpp"

namespace lockcore::model {

inline constexpr std::size_t kLockFootprintBudget = 10 * 1024;
static_assert(kMaxPinSlots == 250);
static_assert(sizeof(Lock) + sizeof(ModelHardware) <= kLockFootprintBudget,
              "a simulated lock (firmware + model hardware) must fit in 10 KiB");

}  // namespace lockcore::model
