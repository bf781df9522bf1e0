#include "tests/server/identity/fixture.hpp"

#include "server/http/rfc3339.hpp"

namespace server::identity::testing {

DeviceProof DeviceKeys::proof(const std::string& device, const std::string& email,
                              lockcore::UnixMs at) const {
  DeviceProof p;
  p.device = device;
  p.signed_at = http::format_rfc3339(at);
  p.at = at;
  const std::string message = proof_message(p, email);
  crypto_sign_detached(p.signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_key.data());
  return p;
}

Account IdentityTest::make_account(const std::string& email, const std::string& phone,
                                   const std::string& password) {
  auto made = run(identity_.accounts().create({email, phone, "Ana", password}, "system:test"));
  EXPECT_TRUE(made) << (made ? "" : made.error().message);
  return made ? *made : Account{};
}

SignedIn IdentityTest::signed_in(const std::string& email) {
  auto in = sign_in(sign_in_request(email));
  EXPECT_TRUE(in) << (in ? "" : in.error().message);
  return in ? *in : SignedIn{};
}

std::vector<std::uint8_t> IdentityTest::enable_mfa(const Actor& actor,
                                                   std::vector<std::string>* codes) {
  auto begun = run(identity_.mfa().begin(actor, kPassword, "ip:198.51.100.7"));
  EXPECT_TRUE(begun) << (begun ? "" : begun.error().message);
  if (!begun) return {};
  auto secret = totp::from_base32(begun->secret);
  EXPECT_TRUE(secret);
  auto confirmed = identity_.mfa().confirm(actor, current_code(*secret));
  EXPECT_TRUE(confirmed) << (confirmed ? "" : confirmed.error().message);
  if (confirmed && codes != nullptr) *codes = *confirmed;
  // The next code must come from a later step: the confirming one is used up.
  clock_.advance_by(std::chrono::milliseconds(totp::kStepMs));
  return *secret;
}

std::vector<audit::Entry> IdentityTest::audit_of(audit::AuditType type) const {
  audit::Filter filter;
  filter.type = type;
  auto entries = audit_.list(filter);
  EXPECT_TRUE(entries);
  return entries ? *entries : std::vector<audit::Entry>{};
}

std::vector<notify::Message> IdentityTest::notices_to(const std::string& account) const {
  return messages_to(account, notify::Kind::security_notice);
}

std::vector<notify::Message> IdentityTest::messages_to(const std::string& account,
                                                       notify::Kind kind) const {
  notify::MessageFilter filter;
  filter.account = account;
  filter.kind = kind;
  auto messages = outbox_.list(filter);
  EXPECT_TRUE(messages);
  return messages ? *messages : std::vector<notify::Message>{};
}

bool IdentityTest::told(const std::string& account, const std::string& subject) const {
  for (const notify::Message& m : notices_to(account)) {
    if (m.notice.subject == subject) return true;
  }
  return false;
}

std::int64_t IdentityTest::count(const std::string& sql) {
  auto rows = store_.db().query(sql);
  EXPECT_TRUE(rows);
  if (!rows || rows->empty()) return -1;
  auto n = (*rows)[0].int64(0);
  return n ? *n : -1;
}

}  // namespace server::identity::testing
