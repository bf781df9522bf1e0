#include "lockcore/signing.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "lock_harness.hpp"
#include "lockcore/credential_table.hpp"

namespace lockcore {
namespace {

using testing::code;

class Signing : public ::testing::Test {
 protected:
  Command sample_command() {
    Command cmd;
    cmd.site = DeviceId::from("maple-court");
    cmd.lock = DeviceId::from("u204");
    cmd.id = testing::command_id(9);
    cmd.op = CommandOp::unlock;
    cmd.issued = testing::kStart;
    cmd.expires = testing::kStart + 60'000;
    return cmd;
  }

  SeededRandom random{11};
  SigningKeyPair site = make_signing_keypair(random);
  SigningKeyPair other = make_signing_keypair(random);
};

TEST_F(Signing, ACommandVerifiesWithTheSiteKeyOnly) {
  Command cmd = sample_command();
  cmd.sig = sign_command(cmd, site.secret_key);
  EXPECT_TRUE(verify_command(cmd, site.public_key));
  EXPECT_FALSE(verify_command(cmd, other.public_key));
  cmd.sig = sign_command(cmd, other.secret_key);
  EXPECT_FALSE(verify_command(cmd, site.public_key));
}

TEST_F(Signing, EveryCommandFieldIsCovered) {
  Command base = sample_command();
  base.sig = sign_command(base, site.secret_key);
  std::vector<void (*)(Command&)> edits = {
      [](Command& c) { c.site = DeviceId::from("maple-courT"); },
      [](Command& c) { c.lock = DeviceId::from("u205"); },
      [](Command& c) { c.id[3] ^= 1; },
      [](Command& c) { c.op = CommandOp::lock; },
      [](Command& c) { c.upto = 1; },
      [](Command& c) { c.pair.site_key[0] ^= 1; },
      [](Command& c) { c.pair.server_kx[31] ^= 1; },
      [](Command& c) { c.pair.epoch = 1; },
      [](Command& c) { c.issued += 1; },
      [](Command& c) { c.expires += 1; },
      [](Command& c) { c.sig[10] ^= 1; },
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    Command cmd = base;
    edits[i](cmd);
    EXPECT_FALSE(verify_command(cmd, site.public_key)) << "edit " << i;
  }
}

TEST_F(Signing, LengthPrefixesKeepFieldBoundariesApart) {
  // "ab" + "c" and "a" + "bc" must not encode alike.
  Command a = sample_command(), b = sample_command();
  a.site = DeviceId::from("ab");
  a.lock = DeviceId::from("c");
  b.site = DeviceId::from("a");
  b.lock = DeviceId::from("bc");
  a.sig = sign_command(a, site.secret_key);
  b.sig = a.sig;
  EXPECT_FALSE(verify_command(b, site.public_key));
}

TEST_F(Signing, DomainsSeparateCommandsFromPairing) {
  Command cmd = sample_command();
  cmd.op = CommandOp::pair;
  const SymmetricKey key = pairing_code_key("K7QD-2M9F-XW4P-HT6A-J3RB-N8ZC");
  cmd.sig = sign_pair_command(cmd, key);
  EXPECT_TRUE(verify_pair_command(cmd, key));
  EXPECT_FALSE(verify_pair_command(cmd, pairing_code_key("K7QD-2M9F-XW4P-HT6A-J3RB-N8ZD")));
  EXPECT_FALSE(verify_command(cmd, site.public_key));
  // The tail of a pair signature must be zero.
  Command tail = cmd;
  tail.sig[40] = 1;
  EXPECT_FALSE(verify_pair_command(tail, key));
}

TEST_F(Signing, ShadowSignatureCoversCredentialsSettingsAndRevocations) {
  DesiredShadow d;
  d.site = DeviceId::from("maple-court");
  d.lock = DeviceId::from("u204");
  d.version = 3;
  d.epoch = 77;
  ASSERT_TRUE(d.credentials.push_back(code(1, "4831")));
  d.sig = sign_shadow(d, site.secret_key);
  EXPECT_TRUE(verify_shadow(d, site.public_key));

  DesiredShadow changed = d;
  changed.credentials[0].pin.digits[3] = '2';
  EXPECT_FALSE(verify_shadow(changed, site.public_key));
  changed = d;
  changed.settings.auto_relock_s = 30;
  EXPECT_FALSE(verify_shadow(changed, site.public_key));
  changed = d;
  ASSERT_TRUE(changed.revoked_keys.push_back(KeyId{1}));
  EXPECT_FALSE(verify_shadow(changed, site.public_key));
  changed = d;
  changed.epoch = 78;
  EXPECT_FALSE(verify_shadow(changed, site.public_key));
}

TEST_F(Signing, GrantAndBluetoothResponse) {
  SigningKeyPair phone = make_signing_keypair(random);
  DigitalKeyGrant grant;
  grant.id = KeyId{1, 2, 3};
  grant.site = DeviceId::from("maple-court");
  grant.lock = DeviceId::from("u204");
  grant.holder = phone.public_key;
  grant.epoch = 5;
  grant.sig = sign_grant(grant, site.secret_key);
  EXPECT_TRUE(verify_grant(grant, site.public_key));
  DigitalKeyGrant longer = grant;
  longer.window.not_after = 1;
  EXPECT_FALSE(verify_grant(longer, site.public_key));

  BluetoothChallenge challenge{grant.site, grant.lock, 5, grant.id, Nonce{9}};
  const Signature response = sign_bluetooth_response(challenge, phone.secret_key);
  EXPECT_TRUE(verify_bluetooth_response(challenge, response, phone.public_key));
  BluetoothChallenge fresh = challenge;
  fresh.nonce[0] = 10;
  EXPECT_FALSE(verify_bluetooth_response(fresh, response, phone.public_key));
  EXPECT_FALSE(verify_bluetooth_response(challenge, response, site.public_key));
}

TEST_F(Signing, CredentialDigestIgnoresOrderButNotContent) {
  std::vector<PinCredential> a = {code(1, "1111"), code(7, "7777"), code(3, "3333")};
  std::vector<PinCredential> b = {code(3, "3333"), code(1, "1111"), code(7, "7777")};
  EXPECT_EQ(credential_digest(a), credential_digest(b));
  b[0].max_uses = 1;
  EXPECT_NE(credential_digest(a), credential_digest(b));
  EXPECT_NE(credential_digest(a), credential_digest({}));
}

TEST_F(Signing, TheServersDigestOfItsListEqualsTheLocksDigestOfWhatItHolds) {
  std::vector<PinCredential> desired = {code(2, "24680"), code(1, "13579", CredentialKind::backup)};
  desired[0].window = {testing::kStart + 1500, testing::kStart + 86'400'999};  // sub-second bounds
  desired[0].schedule = {0x1F, 8 * 60, 17 * 60};
  CredentialTable table(250);
  FixedVector<SlotReport, kMaxPinSlots> report;
  table.apply(desired, report);
  EXPECT_EQ(table.digest(), credential_digest(desired));
}

TEST_F(Signing, PairingCodeKeyIsDeterministicAndCodeSpecific) {
  EXPECT_EQ(pairing_code_key("abc"), pairing_code_key("abc"));
  EXPECT_NE(pairing_code_key("abc"), pairing_code_key("abd"));
}

}  // namespace
}  // namespace lockcore
