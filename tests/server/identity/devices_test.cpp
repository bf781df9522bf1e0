// Devices: enrolled with a real Ed25519 key by a session that passed MFA when MFA is on, bound
// to that session, listed, and removed with every session bound to them ended — audited and told.

#include "tests/server/identity/fixture.hpp"

namespace server::identity {
namespace {

using audit::AuditType;
using std::chrono::milliseconds;
using testing::DeviceKeys;
using testing::IdentityTest;

class DevicesTest : public IdentityTest {
 protected:
  DevicesTest() {
    ana_ = make_account();
    session_ = signed_in();
  }
  Result<Device> enroll(const Actor& actor, const std::string& name = "Ana's phone") {
    return identity_.devices().enroll(actor, name, keys_.public_text());
  }
  bool told(const std::string& subject) const { return IdentityTest::told(ana_.id, subject); }

  Account ana_;
  SignedIn session_;
  DeviceKeys keys_;
};

TEST_F(DevicesTest, EnrollingBindsTheSessionListsTheDeviceAndIsAuditedAndTold) {
  auto device = enroll(session_.actor);
  ASSERT_TRUE(device) << device.error().message;
  EXPECT_TRUE(device->id.starts_with("dev_"));
  EXPECT_EQ(device->account, ana_.id);
  EXPECT_EQ(device->public_key, keys_.public_text());
  EXPECT_EQ(device->created, kStart);
  auto actor = identity_.sessions().authenticate(session_.tokens.access_token);
  ASSERT_TRUE(actor);
  EXPECT_EQ(actor->device, device->id);

  auto listed = identity_.devices().list(ana_.id);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].name, "Ana's phone");
  auto enrolled = audit_of(AuditType::device_enrolled);
  ASSERT_EQ(enrolled.size(), 1u);
  EXPECT_EQ(enrolled[0].record.actor, "account:" + ana_.id);
  EXPECT_EQ(enrolled[0].record.subject, "device:" + device->id);
  EXPECT_TRUE(told("A device was added to your Latchkey account"));
}

TEST_F(DevicesTest, WithMfaOnOnlyASessionThatPassedItMayEnroll) {
  auto secret = enable_mfa(session_.actor);
  // A session that did not pass it (as one from before MFA was on, or signed in elsewhere).
  SignedIn older = session_;
  older.actor.mfa_enabled = true;
  older.actor.mfa_satisfied = false;
  auto refused = enroll(older.actor);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::forbidden);

  SignIn request = sign_in_request();
  request.code = current_code(secret);
  auto in = sign_in(request);
  ASSERT_TRUE(in);
  EXPECT_TRUE(enroll(in->actor));
}

TEST_F(DevicesTest, BadNamesAndKeysAreRefusedNamingTheField) {
  EXPECT_EQ(identity_.devices().enroll(session_.actor, "", keys_.public_text()).error().code,
            Errc::missing_field);
  EXPECT_EQ(identity_.devices()
                .enroll(session_.actor, std::string(65, 'x'), keys_.public_text())
                .error()
                .field,
            "name");
  EXPECT_EQ(
      identity_.devices().enroll(session_.actor, "tab\tname", keys_.public_text()).error().field,
      "name");
  std::array<std::uint8_t, 32> small_order{};
  small_order[0] = 1;
  for (const std::string& key : {std::string("not a key"), base64url(small_order),
                                 keys_.public_text() + "=", std::string("'); DROP TABLE x;--")}) {
    auto refused = identity_.devices().enroll(session_.actor, "phone", key);
    ASSERT_FALSE(refused) << key;
    EXPECT_EQ(refused.error().field, "public_key") << key;
  }
  EXPECT_EQ(count("SELECT count(*) FROM devices"), 0);
}

TEST_F(DevicesTest, AKeyIsEnrolledOnceAndAnAccountHasAtMostTwentyDevices) {
  ASSERT_TRUE(enroll(session_.actor));
  auto twice = enroll(session_.actor, "again");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, Errc::conflict);
  EXPECT_EQ(twice.error().field, "public_key");
  for (std::size_t i = 1; i < kMaxDevicesPerAccount; ++i) {
    DeviceKeys more;
    ASSERT_TRUE(identity_.devices().enroll(session_.actor, "tablet", more.public_text())) << i;
  }
  DeviceKeys one_too_many;
  auto full = identity_.devices().enroll(session_.actor, "tablet", one_too_many.public_text());
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, Errc::conflict);
}

TEST_F(DevicesTest, RemovingADeviceEndsTheSessionsBoundToItOnly) {
  auto phone = enroll(session_.actor);
  ASSERT_TRUE(phone);
  // The phone signs in again later (a second session bound to it); a laptop has its own.
  clock_.advance_by(milliseconds(1'000));
  SignIn again = sign_in_request();
  again.device = keys_.proof(phone->id, "ana@example.test", clock_.now());
  auto phone_again = sign_in(again);
  ASSERT_TRUE(phone_again);
  ASSERT_EQ(phone_again->actor.device, phone->id);
  SignedIn laptop = signed_in();

  ASSERT_TRUE(identity_.devices().remove(laptop.actor, phone->id));
  EXPECT_FALSE(identity_.sessions().authenticate(session_.tokens.access_token));
  EXPECT_FALSE(identity_.sessions().authenticate(phone_again->tokens.access_token));
  EXPECT_FALSE(identity_.sessions().refresh(phone_again->tokens.refresh_token, "ip:1.2.3.4"));
  EXPECT_TRUE(identity_.sessions().authenticate(laptop.tokens.access_token));
  EXPECT_TRUE(identity_.devices().list(ana_.id)->empty());
  auto removed = audit_of(AuditType::device_removed);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_NE(removed[0].record.detail.find("\"sessions_ended\":2"), std::string::npos);
  EXPECT_TRUE(told("A device was removed from your Latchkey account"));
  // The removed key no longer proves anything.
  clock_.advance_by(milliseconds(1'000));
  SignIn stale = sign_in_request();
  stale.device = keys_.proof(phone->id, "ana@example.test", clock_.now());
  auto in = sign_in(stale);
  ASSERT_TRUE(in);
  EXPECT_FALSE(in->actor.device);
}

TEST_F(DevicesTest, AnotherAccountsDeviceIsNotFoundAndNotTouched) {
  auto phone = enroll(session_.actor);
  ASSERT_TRUE(phone);
  make_account("bo@example.test", "+15555550101");
  SignedIn bo = signed_in("bo@example.test");
  auto theirs = identity_.devices().remove(bo.actor, phone->id);
  ASSERT_FALSE(theirs);
  EXPECT_EQ(theirs.error().code, Errc::not_found);
  EXPECT_EQ(identity_.devices().remove(bo.actor, "' OR 1=1 --").error().code, Errc::not_found);
  EXPECT_EQ(identity_.devices().list(ana_.id)->size(), 1u);
  EXPECT_TRUE(identity_.devices().list(bo.actor.account)->empty());
  EXPECT_TRUE(identity_.sessions().authenticate(session_.tokens.access_token));
}

}  // namespace
}  // namespace server::identity
