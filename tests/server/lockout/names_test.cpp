// The stable ids: every enum's names are DESIGN.md's, in enum order, and read back both ways.

#include <gtest/gtest.h>

#include "server/lockout/diagnosis/diagnosis.hpp"

namespace server::lockout {
namespace {

template <class E>
std::vector<std::string_view> names_of(std::size_t count) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < count; ++i) {
    const auto value = static_cast<E>(i);
    out.push_back(to_string(value));
    EXPECT_EQ(from_string<E>(to_string(value)), value) << to_string(value);
  }
  EXPECT_EQ(from_string<E>("no_such_id"), std::nullopt);
  EXPECT_EQ(from_string<E>(""), std::nullopt);
  return out;
}

using Names = std::vector<std::string_view>;

TEST(Ids, CausesAreDesignsInItsOrder) {
  EXPECT_EQ(names_of<CauseId>(kCauseCount),
            (Names{"signed_out",          "password_forgotten",
                   "mfa_unavailable",     "account_locked",
                   "account_suspended",   "device_not_enrolled",
                   "lock_not_in_account", "ownership_transfer_incomplete",
                   "lock_state_mismatch", "firmware_incompatible",
                   "hub_offline",         "lock_unreachable",
                   "wifi_changed",        "phone_bluetooth_blocked",
                   "role_cannot_unlock",  "outside_schedule",
                   "access_expired",      "code_not_on_lock",
                   "code_expired",        "wrong_code",
                   "keypad_disabled",     "lock_jammed",
                   "battery_low",         "battery_depleted",
                   "motor_fault",         "keypad_fault"}));
}

TEST(Ids, EachCauseIsInItsDesignLayer) {
  EXPECT_EQ(layer_of(CauseId::account_suspended), Layer::account);
  EXPECT_EQ(layer_of(CauseId::device_not_enrolled), Layer::enrollment);
  EXPECT_EQ(layer_of(CauseId::firmware_incompatible), Layer::enrollment);
  EXPECT_EQ(layer_of(CauseId::hub_offline), Layer::connectivity);
  EXPECT_EQ(layer_of(CauseId::phone_bluetooth_blocked), Layer::connectivity);
  EXPECT_EQ(layer_of(CauseId::role_cannot_unlock), Layer::authorization);
  EXPECT_EQ(layer_of(CauseId::access_expired), Layer::authorization);
  EXPECT_EQ(layer_of(CauseId::code_not_on_lock), Layer::keypad);
  EXPECT_EQ(layer_of(CauseId::keypad_disabled), Layer::keypad);
  EXPECT_EQ(layer_of(CauseId::lock_jammed), Layer::hardware);
  EXPECT_EQ(layer_of(CauseId::keypad_fault), Layer::hardware);
  EXPECT_EQ(names_of<Layer>(kLayerCount), (Names{"account", "enrollment", "connectivity",
                                                 "authorization", "keypad", "hardware"}));
}

TEST(Ids, ActionsAreDesignsWithTheirRanks) {
  const Names names = names_of<ActionId>(kActionCount);
  const std::vector<std::pair<std::string_view, int>> design = {
      {"wait_keypad_cooldown", 0},
      {"use_physical_key", 1},
      {"use_own_code", 1},
      {"use_app", 1},
      {"use_bluetooth", 1},
      {"sign_in_again", 2},
      {"reset_password", 2},
      {"allow_bluetooth", 2},
      {"update_app", 2},
      {"enroll_device", 2},
      {"resync_code", 3},
      {"send_backup_code", 3},
      {"realign_door_and_retry", 3},
      {"restore_hub", 3},
      {"remote_unlock_by_manager", 4},
      {"ask_admin_for_access", 4},
      {"jump_battery", 5},
      {"replace_battery", 5},
      {"verify_identity_restore_admin", 6},
      {"maintenance_work_order", 6},
      {"locksmith_entry", 8},
      {"factory_reset_and_reenroll", 9},
  };
  ASSERT_EQ(names.size(), design.size());
  for (std::size_t i = 0; i < design.size(); ++i) {
    EXPECT_EQ(names[i], design[i].first);
    EXPECT_EQ(rank_of(static_cast<ActionId>(i)), design[i].second) << design[i].first;
  }
}

TEST(Ids, SymptomsAreTheWizardsAnswers) {
  EXPECT_EQ(names_of<Symptom>(kSymptomCount),
            (Names{"cannot_sign_in", "lock_offline_in_app", "lock_missing_in_app", "pairing_fails",
                   "can_view_cannot_unlock", "code_rejected", "keypad_x_pattern", "keypad_dark",
                   "unusual_beep", "motor_runs_bolt_stuck", "key_wont_turn", "no_response"}));
  for (std::size_t i = 0; i < kSymptomCount; ++i)
    EXPECT_FALSE(label(static_cast<Symptom>(i)).empty());
}

TEST(Ids, TheSmallerVocabularies) {
  EXPECT_EQ(names_of<Path>(kPathCount),
            (Names{"physical_key", "own_code", "app", "bluetooth", "keypad"}));
  EXPECT_EQ(names_of<WorkOrderKind>(kWorkOrderKindCount),
            (Names{"door_alignment", "battery", "hub", "lock_hardware"}));
  EXPECT_EQ(names_of<Source>(kSourceCount).front(), "report");
  EXPECT_EQ(names_of<Invariant>(kInvariantCount).back(), "factory_reset_last_resort");
  EXPECT_EQ(names_of<Role>(kRoleCount),
            (Names{"owner", "manager", "maintenance", "resident", "guest", "support"}));
  EXPECT_EQ(names_of<AccountStatus>(kAccountStatusCount),
            (Names{"active", "locked", "suspended", "deleted"}));
  EXPECT_EQ(names_of<CodeStatus>(kCodeStatusCount),
            (Names{"pending", "set", "failed", "removing", "removed"}));
  EXPECT_EQ(names_of<Verification>(kVerificationCount).size(), kVerificationCount);
  EXPECT_EQ(names_of<Validity>(kValidityCount).size(), kValidityCount);
  EXPECT_EQ(names_of<Link>(kLinkCount).size(), kLinkCount);
  EXPECT_EQ(names_of<FirmwareCompat>(kFirmwareCompatCount).size(), kFirmwareCompatCount);
}

}  // namespace
}  // namespace server::lockout
