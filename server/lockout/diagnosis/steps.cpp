#include "server/lockout/diagnosis/steps.hpp"

#include <array>

namespace server::lockout {

namespace {

using Steps = std::span<const std::string_view>;

constexpr std::string_view kWait[] = {
    "Stop entering codes: the keypad has locked itself after too many wrong codes.",
    "Wait until the time shown has passed; entering codes meanwhile does not shorten it.",
    "Then enter your code once, slowly, and press the lock button.",
};
constexpr std::string_view kKey[] = {
    "Insert your key and turn it toward the door frame to draw the bolt.",
    "If it is stiff, push or pull the door toward the frame while you turn.",
};
constexpr std::string_view kOwnCode[] = {
    "Enter your own code once, slowly, then press the lock button.",
    "If the keypad shows an X, the bolt is stuck: push or pull the door toward the frame while "
    "you enter it.",
};
constexpr std::string_view kApp[] = {
    "Open the app, choose this door and tap Unlock.",
    "Keep the app open until it confirms; the lock answers within a few seconds.",
};
constexpr std::string_view kBluetooth[] = {
    "Stand at the door with your phone's Bluetooth on.",
    "Open the app, choose this door and hold Unlock: the phone opens the lock directly, without "
    "the network.",
};
constexpr std::string_view kSignIn[] = {
    "Open the app and sign in with your email and password.",
    "Enter your MFA code if the app asks for one.",
    "Return to this door in the app: your keys and codes are where you left them.",
};
constexpr std::string_view kResetPassword[] = {
    "On the sign-in screen choose Forgot password and enter your account's email.",
    "Open the link sent to that address; it works once and expires 30 minutes after you asked.",
    "Choose a new password and sign in: the reset also lifts a hold after failed sign-ins.",
};
constexpr std::string_view kAllowBluetooth[] = {
    "Open your phone's Settings, find the Latchkey app and turn its Bluetooth permission on.",
    "Return to the app and try the door again from close by.",
};
constexpr std::string_view kUpdateApp[] = {
    "Update the Latchkey app from your phone's app store.",
    "Open it again and retry the door: the new version speaks this lock's Bluetooth protocol.",
};
constexpr std::string_view kEnroll[] = {
    "In the app, open Settings, This phone, and choose Enroll.",
    "Confirm with your password, and your MFA code if you use one.",
    "Once enrolled, the phone receives its digital key for this door.",
};
constexpr std::string_view kResync[] = {
    "We send your code to the lock again; this takes up to a few minutes.",
    "Wait until the app shows your code as Set, then enter it at the door.",
};
constexpr std::string_view kBackupCode[] = {
    "Ask for a backup code with the email or the phone number on your account.",
    "We send a link by SMS and email to the contacts on your account only; it expires after 30 "
    "minutes.",
    "Open the link and enter the backup code at the keypad: it works even while the lock is "
    "offline.",
};
constexpr std::string_view kRealign[] = {
    "Push or pull the door firmly toward the frame while you enter your code; the X on the keypad "
    "means the bolt is stuck against the strike, your code is fine.",
    "Keep the pressure on until you hear the bolt move, then open the door.",
    "If it jams again, report it: a door that jams repeatedly gets a work order for the door, "
    "strike and weatherstripping.",
};
constexpr std::string_view kRestoreHub[] = {
    "Check that the hub has power: its light should be on.",
    "Unplug the hub for ten seconds and plug it back in; it reconnects within a minute.",
    "If it stays offline, check the router it connects to, or tell your manager.",
};
constexpr std::string_view kRestoreWifi[] = {
    "The lock lost its Wi-Fi network: it needs the new network's name and password.",
    "From inside, open the app, this door, Wi-Fi, and join the lock to the new network.",
    "Until then the keypad, Bluetooth and your key still work; only remote unlock does not.",
};
constexpr std::string_view kRemoteUnlock[] = {
    "We ask your property manager to unlock the door for you remotely.",
    "Stay at the door: the manager confirms who you are, and the door unlocks within seconds.",
};
constexpr std::string_view kAskAdmin[] = {
    "We ask the site's manager or owner to review your access to this door.",
    "They decide; if they grant access, you get a notice in the app and by email.",
};
constexpr std::string_view kJumpBattery[] = {
    "Hold a 9 V battery (or a USB-C power bank) to the external contacts under the keypad.",
    "Keep it there while you enter your code: the lock wakes with enough power to open.",
    "Once inside, replace the batteries.",
};
constexpr std::string_view kReplaceBattery[] = {
    "From inside, open the battery cover on the interior side of the lock.",
    "Replace all the batteries with new ones of the type shown; do not mix old and new.",
    "Check in the app that the lock reports its new battery level.",
};
constexpr std::string_view kRestoreAdmin[] = {
    "Admin access comes back only after an identity check; nothing is restored silently.",
    "Start the check in the app or with support, with your ID and the account's email and phone.",
    "Once verified, your admin role is restored, an audit entry is written and every other admin "
    "of the site is told.",
};
constexpr std::string_view kWorkOrder[] = {
    "We open a work order for the on-site team with the lock, the fault and its history.",
    "You are told when someone is assigned and when the job is done.",
};
constexpr std::string_view kLocksmith[] = {
    "Call a locksmith only if nothing above has worked: forced entry may damage the lock.",
    "The locksmith checks your ID against the address before opening.",
    "Afterwards, tell your manager so that the lock is checked or replaced.",
};
constexpr std::string_view kFactoryReset[] = {
    "A factory reset erases every code and key on the lock: use it only when nothing else works.",
    "Hold the lock's reset button (under the keypad cover or in the battery compartment, by "
    "model) until it beeps.",
    "Re-enroll the lock from the app as a verified owner or manager (signed in with MFA); codes "
    "and keys return once it is enrolled.",
};

constexpr std::array<Steps, kActionCount> kSteps = {
    kWait,      kKey,           kOwnCode,        kApp,          kBluetooth,
    kSignIn,    kResetPassword, kAllowBluetooth, kUpdateApp,    kEnroll,
    kResync,    kBackupCode,    kRealign,        kRestoreHub,   kRemoteUnlock,
    kAskAdmin,  kJumpBattery,   kReplaceBattery, kRestoreAdmin, kWorkOrder,
    kLocksmith, kFactoryReset,
};

}  // namespace

std::span<const std::string_view> steps_for(ActionId action, Link link) {
  if (action == ActionId::restore_hub && link == Link::wifi) return kRestoreWifi;
  return kSteps[static_cast<std::size_t>(action)];
}

}  // namespace server::lockout
