// Plain words for the stable ids of DESIGN.md section 5 and the wizard's symptoms.
import type { Symptom } from "./api/lockout";

export const causeWords: Record<string, string> = {
  signed_out: "The app is signed out",
  password_forgotten: "The password is not working",
  mfa_unavailable: "The second sign-in step is not available",
  account_locked: "The account is locked after failed sign-ins",
  account_suspended: "The account is suspended at this site",
  device_not_enrolled: "This phone is not enrolled",
  lock_not_in_account: "This door is not in your account",
  ownership_transfer_incomplete: "The ownership transfer is not finished",
  lock_state_mismatch: "The lock does not hold what the server expects",
  firmware_incompatible: "The lock's firmware and the app do not match",
  hub_offline: "The lock's hub is offline",
  lock_unreachable: "The lock cannot be reached",
  wifi_changed: "The Wi-Fi network changed",
  phone_bluetooth_blocked: "Bluetooth is blocked for the app",
  role_cannot_unlock: "Your role does not open this door",
  outside_schedule: "It is outside your allowed hours",
  access_expired: "Your access has ended or not started",
  code_not_on_lock: "Your code is not on the lock",
  code_expired: "Your code is outside its valid dates",
  wrong_code: "A wrong code was entered",
  keypad_disabled: "The keypad is paused after too many wrong codes",
  lock_jammed: "The bolt is jammed",
  battery_low: "The battery is low",
  battery_depleted: "The battery is empty",
  motor_fault: "The lock's motor is faulty",
  keypad_fault: "The keypad is faulty",
};

export const actionWords: Record<string, string> = {
  wait_keypad_cooldown: "Wait for the keypad to wake up",
  use_physical_key: "Use your key",
  use_own_code: "Use your own code",
  use_app: "Unlock from the app",
  use_bluetooth: "Unlock with Bluetooth, standing at the door",
  sign_in_again: "Sign in again",
  reset_password: "Reset your password",
  allow_bluetooth: "Allow Bluetooth for the app",
  update_app: "Update the app",
  enroll_device: "Enroll this phone",
  resync_code: "Send your code to the lock again",
  send_backup_code: "Get a backup code",
  realign_door_and_retry: "Push or pull the door while entering your code",
  restore_hub: "Bring the hub or Wi-Fi back",
  remote_unlock_by_manager: "Ask the manager to unlock remotely",
  ask_admin_for_access: "Ask an admin for access",
  jump_battery: "Jump-start the battery",
  replace_battery: "Replace the battery",
  verify_identity_restore_admin: "Verify your identity to restore admin access",
  maintenance_work_order: "Open a job for the maintenance team",
  locksmith_entry: "Call a locksmith",
  factory_reset_and_reenroll: "Factory reset and re-enroll the lock (last resort)",
};

export const sourceWords: Record<string, string> = {
  report: "You told us",
  phone: "This phone",
  account: "Your account",
  membership: "Your access",
  credential: "Your codes",
  telemetry: "The lock reported",
  event: "The lock's log",
  shadow: "The lock's settings",
  site: "The building",
};

export const pathWords: Record<string, string> = {
  physical_key: "Key",
  own_code: "Your code",
  app: "App",
  bluetooth: "Bluetooth",
  keypad: "Keypad",
};

export interface SymptomInfo { id: Symptom; label: string; where: "door" | "app"; picture?: "x" | "dark" | "offline" }
export const kSymptoms: SymptomInfo[] = [
  { id: "keypad_x_pattern", label: "The keypad lights 1 3 5 7 9 in an X", where: "door", picture: "x" },
  { id: "keypad_dark", label: "The keypad stays dark when I touch it", where: "door", picture: "dark" },
  { id: "code_rejected", label: "My code is rejected", where: "door" },
  { id: "unusual_beep", label: "The lock makes an unusual beep", where: "door" },
  { id: "motor_runs_bolt_stuck", label: "The motor runs but the bolt does not move", where: "door" },
  { id: "key_wont_turn", label: "The key will not turn", where: "door" },
  { id: "no_response", label: "Nothing happens at all", where: "door" },
  { id: "lock_offline_in_app", label: "The app shows the lock as Offline", where: "app", picture: "offline" },
  { id: "cannot_sign_in", label: "I cannot sign in to the app", where: "app" },
  { id: "lock_missing_in_app", label: "The door is missing from the app", where: "app" },
  { id: "can_view_cannot_unlock", label: "I can see the door but Unlock does not work", where: "app" },
  { id: "pairing_fails", label: "Bluetooth pairing fails", where: "app" },
];

/** Actions the wizard can start itself (others are steps the person follows). */
export const kRunnable = new Set(["send_backup_code", "resync_code", "ask_admin_for_access", "maintenance_work_order"]);
