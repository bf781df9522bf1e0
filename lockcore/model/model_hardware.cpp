#include "lockcore/model/model_hardware.hpp"

namespace lockcore::model {

ModelHardware::ModelHardware(const Clock& clock, Random& random, RadioLink* radio,
                             ModelParams params)
    : clock_(clock),
      radio_(radio),
      battery_(clock.now(), params.battery),
      bolt_(random, params.bolt, params.bolt_extended),
      synced_(clock.now()) {}

void ModelHardware::sync() const {
  const UnixMs now = clock_.now();
  if (now <= synced_) return;
  // The motor draws what it drew at the start of the interval; the firmware looks at least
  // every 100 ms while it drives, so the error stays small.
  const std::uint16_t load_ma = bolt_.current_ma();
  battery_.draw_ma_for(load_ma, now - synced_);
  battery_.advance(now);
  bolt_.advance(now, battery_.loaded_mv(bolt_.params().running_ma));
  synced_ = now;
}

void ModelHardware::drive_motor(MotorDrive drive) {
  sync();
  bolt_.drive(drive, clock_.now());
}

BoltSensor ModelHardware::bolt_sensor() const {
  sync();
  return bolt_.sensor();
}

std::uint16_t ModelHardware::motor_current_ma() const {
  sync();
  return bolt_.current_ma();
}

std::uint16_t ModelHardware::battery_mv() const {
  sync();
  return battery_.loaded_mv(battery_.params().idle_ma + bolt_.current_ma());
}

void ModelHardware::beep(BuzzerTone tone) {
  last_tone_ = tone;
  ++beeps_;
}

BatteryPack& ModelHardware::battery() {
  sync();
  return battery_;
}

BoltMechanism& ModelHardware::bolt() {
  sync();
  return bolt_;
}

bool ModelHardware::turn_key(bool to_locked) {
  sync();
  return bolt_.turn_key(to_locked ? MotorDrive::extend : MotorDrive::retract, clock_.now());
}

void ModelHardware::realign_door() {
  bolt_.realign(clock_.now());
}

bool ModelHardware::radio_send(bool sent) {
  battery().draw_mah(battery_.params().radio_mah_per_message);
  return sent;
}

bool ModelHardware::send_state(const StateReport& state) {
  return radio_up() && radio_send(radio_->send_state(state));
}

bool ModelHardware::send_event(const Event& event) {
  return radio_up() && radio_send(radio_->send_event(event));
}

bool ModelHardware::send_ack(const CommandAck& ack) {
  return radio_up() && radio_send(radio_->send_ack(ack));
}

bool ModelHardware::send_reported(const ReportedShadow& reported) {
  return radio_up() && radio_send(radio_->send_reported(reported));
}

}  // namespace lockcore::model
