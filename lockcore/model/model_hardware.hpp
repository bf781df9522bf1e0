#pragma once
// The reference hardware for the simulator and tests: a battery pack and a bolt mechanism on the
// injected clock, a keypad that can fail, a display and buzzer that remember what they were last
// told, and a radio that forwards to a RadioLink (the simulator's MQTT side) while the link is up,
// drawing charge for every message. Faults are set here; the firmware sees only the sensors.

#include <cstdint>

#include "lockcore/hardware.hpp"
#include "lockcore/model/battery_pack.hpp"
#include "lockcore/model/bolt_mechanism.hpp"
#include "lockcore/platform.hpp"

namespace lockcore::model {

// Where the lock's radio messages go; the simulator implements it. Each returns whether the
// message was accepted for delivery.
class RadioLink {
 public:
  virtual ~RadioLink() = default;
  virtual bool send_state(const StateReport& state) = 0;
  virtual bool send_event(const Event& event) = 0;
  virtual bool send_ack(const CommandAck& ack) = 0;
  virtual bool send_reported(const ReportedShadow& reported) = 0;
};

struct ModelParams {
  BatteryParams battery;
  BoltParams bolt;
  bool bolt_extended = true;  // the bolt starts thrown (locked)
};

class ModelHardware final : public Hardware {
 public:
  // `radio` may be null: a lock with no link at all.
  ModelHardware(const Clock& clock, Random& random, RadioLink* radio, ModelParams params = {});

  // ---- Hardware
  void drive_motor(MotorDrive drive) override;
  BoltSensor bolt_sensor() const override;
  std::uint16_t motor_current_ma() const override;
  DoorState door() const override { return door_; }
  std::uint16_t battery_mv() const override;
  bool keypad_ok() const override { return !keypad_fault_; }
  void show(KeypadPattern pattern) override { pattern_ = pattern; }
  void beep(BuzzerTone tone) override;
  bool radio_up() const override { return radio_ != nullptr && link_up_; }
  std::int8_t rssi() const override { return rssi_; }
  bool send_state(const StateReport& state) override;
  bool send_event(const Event& event) override;
  bool send_ack(const CommandAck& ack) override;
  bool send_reported(const ReportedShadow& reported) override;

  // ---- the physical world, brought up to the clock on every access
  BatteryPack& battery();
  BoltMechanism& bolt();
  void set_keypad_fault(bool fault) { keypad_fault_ = fault; }
  void set_link_up(bool up) { link_up_ = up; }
  void set_rssi(std::int8_t rssi) { rssi_ = rssi; }
  void set_door(DoorState door) { door_ = door; }
  // The physical key; true when the bolt turned. Needs no battery.
  bool turn_key(bool to_locked);
  // The push/pull on the door that realigns bolt and strike for the next turn.
  void realign_door();

  // ---- what a person at the door sees and hears
  KeypadPattern pattern() const { return pattern_; }
  BuzzerTone last_tone() const { return last_tone_; }
  std::uint32_t beeps() const { return beeps_; }
  MotorDrive motor() const { return bolt_.driving(); }

 private:
  void sync() const;  // integrates battery drain and bolt motion up to the clock
  bool radio_send(bool sent);

  const Clock& clock_;
  RadioLink* radio_;
  mutable BatteryPack battery_;
  mutable BoltMechanism bolt_;
  mutable UnixMs synced_;
  std::uint32_t beeps_ = 0;
  DoorState door_ = DoorState::closed;
  KeypadPattern pattern_ = KeypadPattern::off;
  BuzzerTone last_tone_ = BuzzerTone::accept;
  std::int8_t rssi_ = -60;
  bool keypad_fault_ = false;
  bool link_up_ = true;
};

}  // namespace lockcore::model
