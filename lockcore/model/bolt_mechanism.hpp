#pragma once
// The physical deadbolt: a geared motor moves the bolt between its end stops in about a second
// (slower on a sagging battery), a switch senses the ends. Faults the simulator can inject:
//  - jam: the bolt is stuck until clear_jam(); the motor stalls, the key will not turn either;
//  - door swell: each turn (motor or key) jams part-way with a probability drawn from the
//    injected Random, unless the door was realigned (pushed or pulled) for that turn: a
//    realign covers the next turn that starts within 30 s;
//  - motor fault: the motor draws no current and nothing moves.
// The physical key turns the bolt by hand, battery or not, but not a jammed one.

#include <cstdint>
#include <limits>

#include "lockcore/hardware.hpp"
#include "lockcore/platform.hpp"

namespace lockcore::model {

struct BoltParams {
  std::uint16_t turn_ms = 1000;  // end to end at nominal_mv
  std::uint16_t nominal_mv = 6000;
  std::uint16_t min_mv = 3000;  // under load below this the motor cannot move the bolt (the
                                // firmware gives up a little above, at kMotorMinMv); a pack at
                                // 1 % sags to about 3.26 V under the motor, still above it
  std::uint16_t running_ma = 300;
  std::uint16_t stall_ma = 1200;
  std::uint32_t realign_ms = 30'000;  // how long a push/pull on the door keeps it aligned
  float swell_stop = 0.4F;            // a swollen door stops the bolt this far into its travel
};

class BoltMechanism {
 public:
  explicit BoltMechanism(Random& random, BoltParams params = {}, bool extended = true)
      : random_(random), params_(params), position_(extended ? 1.0F : 0.0F) {}

  // Moves the bolt from the last call to `now` with the motor fed at `supply_mv`.
  void advance(UnixMs now, std::uint16_t supply_mv);
  // Call advance() to `now` first. Starting a turn draws the door-swell jam for it.
  void drive(MotorDrive drive, UnixMs now);

  BoltSensor sensor() const;
  std::uint16_t current_ma() const;
  MotorDrive driving() const { return drive_; }
  float position() const { return position_; }  // 0 retracted .. 1 extended
  const BoltParams& params() const { return params_; }

  // ---- faults and the door
  void jam() { jam_ = true; }
  void clear_jam() { jam_ = false; }
  bool jammed() const { return jam_; }
  void door_swell(float probability = 1.0F);
  void clear_door_swell() { swell_ = false; }
  void realign(UnixMs now) { realigned_until_ = now + params_.realign_ms; }
  void set_motor_fault(bool fault) { motor_fault_ = fault; }
  bool motor_fault() const { return motor_fault_; }

  // The physical key: true when the bolt now stands at the far end in `direction`.
  bool turn_key(MotorDrive direction, UnixMs now);

 private:
  bool swell_jams_this_turn(UnixMs now);
  bool at_stop() const;

  Random& random_;
  BoltParams params_;
  float position_;
  float swell_probability_ = 1.0F;
  float stuck_at_ = 0.0F;
  UnixMs last_ = 0;
  UnixMs realigned_until_ = std::numeric_limits<UnixMs>::min();  // never realigned
  MotorDrive drive_ = MotorDrive::stop;
  MotorDrive stuck_direction_ = MotorDrive::stop;  // stop: this turn is not stuck
  bool jam_ = false;
  bool swell_ = false;
  bool motor_fault_ = false;
  bool browned_out_ = false;
};

}  // namespace lockcore::model
