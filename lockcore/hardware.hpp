#pragma once
// The hardware the firmware drives and reads. Lock sees the world only through this interface,
// exactly as real firmware sees its pins: it never learns *why* a sensor reads what it reads.
// lockcore/model/ implements it with a physical model for the simulator and tests.

#include <cstdint>

#include "lockcore/messages.hpp"

namespace lockcore {

enum class MotorDrive : std::uint8_t { stop, extend, retract };  // extend throws the bolt (locks)

// The bolt position switch: at one end stop, the other, or somewhere in between.
enum class BoltSensor : std::uint8_t { extended, retracted, between };

enum class KeypadPattern : std::uint8_t {
  off,
  ok,        // green tick
  error,     // red cross
  jam_x,     // the odd digits 1 3 5 7 9 lit in an X: the bolt is jammed
  disabled,  // wrong-code limit reached, keypad temporarily disabled
};

enum class BuzzerTone : std::uint8_t {
  accept,
  reject,
  jam,  // the unusual beep that goes with the X
  low_battery,
  lockout_alarm,  // wrong-code limit reached
};

class Hardware {
 public:
  virtual ~Hardware() = default;

  // ---- motor and bolt
  virtual void drive_motor(MotorDrive drive) = 0;
  virtual BoltSensor bolt_sensor() const = 0;
  // Motor current now: about the running current while the bolt moves, much more when it stalls
  // (a jam, or an end stop), nothing at all when the motor or its driver is broken.
  virtual std::uint16_t motor_current_ma() const = 0;
  virtual DoorState door() const { return DoorState::unknown; }

  // ---- power: the pack voltage as the ADC reads it now (it sags while the motor runs)
  virtual std::uint16_t battery_mv() const = 0;

  // ---- keypad and buzzer
  virtual bool keypad_ok() const = 0;  // the keypad's self-test passes
  virtual void show(KeypadPattern pattern) = 0;
  virtual void beep(BuzzerTone tone) = 0;

  // ---- radio: each send returns whether the message went out
  virtual bool radio_up() const = 0;
  virtual std::int8_t rssi() const = 0;
  virtual bool send_state(const StateReport& state) = 0;
  virtual bool send_event(const Event& event) = 0;
  virtual bool send_ack(const CommandAck& ack) = 0;
  virtual bool send_reported(const ReportedShadow& reported) = 0;
};

}  // namespace lockcore
