#include "lockcore/model/bolt_mechanism.hpp"

#include <algorithm>
#include <limits>

namespace lockcore::model {

namespace {

constexpr float kEndTolerance = 0.02F;

float target_of(MotorDrive drive) {
  return drive == MotorDrive::extend ? 1.0F : 0.0F;
}

MotorDrive opposite(MotorDrive drive) {
  return drive == MotorDrive::extend ? MotorDrive::retract : MotorDrive::extend;
}

}  // namespace

void BoltMechanism::door_swell(float probability) {
  swell_ = true;
  swell_probability_ = probability;
}

bool BoltMechanism::swell_jams_this_turn(UnixMs now) {
  if (!swell_) return false;
  if (now <= realigned_until_) {
    realigned_until_ = std::numeric_limits<UnixMs>::min();  // held for this one turn only
    return false;
  }
  return random_.unit() < swell_probability_;
}

void BoltMechanism::drive(MotorDrive drive, UnixMs now) {
  if (drive == drive_) return;
  last_ = now;
  drive_ = drive;
  if (drive == MotorDrive::stop) return;
  if (stuck_direction_ != MotorDrive::stop && drive == opposite(stuck_direction_)) {
    stuck_direction_ = MotorDrive::stop;  // backing off relieves the pressure on the strike
    return;
  }
  stuck_direction_ = MotorDrive::stop;
  if (swell_jams_this_turn(now)) {
    stuck_direction_ = drive;
    const float travel = params_.swell_stop;
    stuck_at_ = drive == MotorDrive::extend ? std::max(position_, travel)
                                            : std::min(position_, 1.0F - travel);
  }
}

void BoltMechanism::advance(UnixMs now, std::uint16_t supply_mv) {
  const UnixMs elapsed = now - last_;
  last_ = std::max(last_, now);
  browned_out_ = false;
  if (drive_ == MotorDrive::stop || motor_fault_ || jam_ || elapsed <= 0) return;
  if (supply_mv < params_.min_mv) {
    browned_out_ = true;
    return;
  }
  // Speed falls with the supply voltage: a sagging battery turns the bolt more slowly.
  const float turn_ms = static_cast<float>(params_.turn_ms) * params_.nominal_mv / supply_mv;
  const float step = static_cast<float>(elapsed) / turn_ms;
  float limit = target_of(drive_);
  if (stuck_direction_ == drive_) limit = stuck_at_;
  position_ = drive_ == MotorDrive::extend ? std::min(position_ + step, limit)
                                           : std::max(position_ - step, limit);
}

bool BoltMechanism::at_stop() const {
  if (jam_) return true;
  if (stuck_direction_ == drive_ && position_ == stuck_at_) return true;
  return position_ == target_of(drive_);
}

std::uint16_t BoltMechanism::current_ma() const {
  if (drive_ == MotorDrive::stop || motor_fault_) return 0;
  if (browned_out_) return params_.running_ma;
  return at_stop() ? params_.stall_ma : params_.running_ma;
}

BoltSensor BoltMechanism::sensor() const {
  if (position_ >= 1.0F - kEndTolerance) return BoltSensor::extended;
  if (position_ <= kEndTolerance) return BoltSensor::retracted;
  return BoltSensor::between;
}

bool BoltMechanism::turn_key(MotorDrive direction, UnixMs now) {
  if (direction == MotorDrive::stop || jam_) return false;
  if (swell_jams_this_turn(now)) return false;
  position_ = target_of(direction);
  stuck_direction_ = MotorDrive::stop;
  return true;
}

}  // namespace lockcore::model
