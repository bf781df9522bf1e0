// The small pieces identity is built from, each against its standard: base64url tokens and
// BLAKE2b digests, email/phone/name shapes, the password rules, RFC 6238's TOTP vectors and
// RFC 4648's base32 vectors, recovery codes, Ed25519 keys and device proofs.

#include <set>

#include <gtest/gtest.h>
#include <sodium.h>

#include "server/identity/contact.hpp"
#include "server/identity/device_key.hpp"
#include "server/identity/password_policy.hpp"
#include "server/identity/recovery_codes.hpp"
#include "server/identity/secret.hpp"
#include "server/identity/sign_in_throttle.hpp"
#include "server/identity/totp.hpp"

namespace server::identity {
namespace {

std::vector<std::uint8_t> bytes(std::string_view text) {
  return {text.begin(), text.end()};
}

// --- tokens and digests

TEST(Secret, TokensAre32RandomBytesIn43Base64urlCharactersAndNeverRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string token = new_token();
    EXPECT_EQ(token.size(), 43u);
    EXPECT_EQ(
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    EXPECT_TRUE(is_token_shaped(token));
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(Secret, OnlyTheCanonicalUnpaddedEncodingOf32BytesIsTokenShaped) {
  std::string token = new_token();
  EXPECT_FALSE(is_token_shaped(token + "="));
  EXPECT_FALSE(is_token_shaped(token.substr(1)));
  EXPECT_FALSE(is_token_shaped(token + "A"));
  EXPECT_FALSE(is_token_shaped(""));
  std::string standard = token;
  standard[5] = '+';  // the other base64 alphabet
  EXPECT_FALSE(is_token_shaped(standard));
  std::string spaced = token;
  spaced[10] = ' ';
  EXPECT_FALSE(is_token_shaped(spaced));
  // 32 bytes leave 4 unused low bits in the last character: only zeros there are canonical.
  std::string zero(42, 'A');
  EXPECT_TRUE(is_token_shaped(zero + "A"));
  EXPECT_FALSE(is_token_shaped(zero + "B"));
  EXPECT_FALSE(is_token_shaped("' OR '1'='1"));
}

TEST(Secret, Base64urlRoundTripsAndDigestIsBlake2b256) {
  const std::vector<std::uint8_t> data = {0xfb, 0xff, 0x00, 0x10};
  EXPECT_EQ(base64url(data), "-_8AEA");
  EXPECT_EQ(from_base64url("-_8AEA", 4), data);
  EXPECT_FALSE(from_base64url("-_8AEA", 3));
  // BLAKE2b-256("abc"), from the BLAKE2 reference test vectors.
  const Digest d = digest("abc");
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, d.data(), d.size());
  EXPECT_STREQ(hex, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

// --- contact details

TEST(Contact, EmailAddressesPeopleUseAreAcceptedAndComparedInLowercase) {
  for (const char* ok : {"ana@example.test", "Ana.Lopez+home@Example.TEST", "o'brien@example.test",
                         "x@xn--bcher-kva.example", "a_b-c@sub.example.co.uk"}) {
    EXPECT_TRUE(check_email(ok)) << ok;
  }
  EXPECT_EQ(email_key("Ana.Lopez+home@Example.TEST"), "ana.lopez+home@example.test");
}

TEST(Contact, MalformedEmailAddressesAreRefusedNamingTheField) {
  for (const char* bad :
       {"ana", "@example.test", "ana@", "ana@example", "ana@@example.test", "ana.@example.test",
        ".ana@example.test", "a..b@example.test", "ana@-example.test", "ana@example..test",
        " ana@example.test", "ana@example.test ", "ana@exa mple.test", "ana\"@example.test",
        "' OR '1'='1", "ana@example.test'; DROP TABLE accounts;--", "ana(x)@example.test",
        "ana@ex_ample.test", "anä@example.test"}) {
    auto checked = check_email(bad);
    ASSERT_FALSE(checked) << bad;
    EXPECT_EQ(checked.error().code, Errc::invalid_field) << bad;
    EXPECT_EQ(checked.error().field, "email");
  }
  EXPECT_EQ(check_email("").error().code, Errc::missing_field);
  EXPECT_FALSE(check_email(std::string(65, 'a') + "@example.test"));  // local part over 64
  EXPECT_FALSE(check_email("a@" + std::string(250, 'b') + ".test"));  // over 254 in all
  EXPECT_FALSE(check_email("a@" + std::string(64, 'b') + ".test"));   // a label over 63
}

TEST(Contact, PhoneNumbersMustBeE164) {
  EXPECT_TRUE(check_phone("+15555550100"));
  EXPECT_TRUE(check_phone("+4930123456"));
  EXPECT_TRUE(check_phone("+123456789012345"));  // 15 digits
  for (const char* bad : {"15555550100", "+1 555 555 0100", "+1-555-555-0100", "+0555555010",
                          "+1234567890123456", "+123456", "+", "++15555550100", "+1555555010a"}) {
    EXPECT_FALSE(check_phone(bad)) << bad;
  }
}

TEST(Contact, PrintableUtf8CountsCodePointsAndRefusesControlsAndBrokenSequences) {
  std::size_t n = 0;
  EXPECT_TRUE(printable_utf8("Zoë 🙂 ok", &n));
  EXPECT_EQ(n, 8u);
  EXPECT_FALSE(printable_utf8("tab\there"));
  EXPECT_FALSE(printable_utf8(std::string("nul\0x", 5)));
  EXPECT_FALSE(printable_utf8("\x7f"));
  EXPECT_FALSE(printable_utf8("\xc2\x85"));      // NEL, a C1 control
  EXPECT_FALSE(printable_utf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(printable_utf8("\xed\xa0\x80"));  // a surrogate
  EXPECT_FALSE(printable_utf8("\xe2\x82"));      // cut short
  EXPECT_FALSE(printable_utf8("\xff"));
  EXPECT_TRUE(check_display_name(""));
  EXPECT_FALSE(check_display_name(std::string(101, 'a')));
}

// --- password rules

TEST(PasswordPolicy, LengthIsCountedInCharactersFrom8To128) {
  EXPECT_FALSE(check_new_password("7 chars", "ana@example.test"));
  EXPECT_TRUE(check_new_password("8 chars!", "ana@example.test"));
  EXPECT_TRUE(check_new_password("manager pass 1", "mo@example.test"));
  // Eight characters of two bytes each, and 128 four-byte characters (512 bytes).
  EXPECT_TRUE(check_new_password("ééééééé1", "ana@example.test"));
  std::string emoji;
  for (int i = 0; i < 128; ++i)
    emoji += "🔑";
  EXPECT_TRUE(check_new_password(emoji, "ana@example.test"));
  EXPECT_FALSE(check_new_password(emoji + "x", "ana@example.test"));
  auto too_short = check_new_password("short", "ana@example.test", "new_password");
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error().code, Errc::invalid_field);
  EXPECT_EQ(too_short.error().field, "new_password");
}

TEST(PasswordPolicy, AnyPrintableTextAndSpacesWithoutCompositionRules) {
  for (const char* ok : {"all lowercase words", "        spaces around  ", "ПарольДлинный",
                         "密码很长很长很长", "lee's long passphrase", "' OR 1=1 --"}) {
    EXPECT_TRUE(check_new_password(ok, "ana@example.test")) << ok;
  }
  EXPECT_FALSE(check_new_password("line\nbreak here", "ana@example.test"));
  EXPECT_FALSE(check_new_password("\xff\xfe broken utf8", "ana@example.test"));
}

TEST(PasswordPolicy, CommonPasswordsTheEmailAndRepeatsAreRefused) {
  for (const char* common :
       {"password", "PASSWORD1", "12345678", "qwertyuiop", "iloveyou", "Latchkey123", "p@ssw0rd"}) {
    auto checked = check_new_password(common, "ana@example.test");
    ASSERT_FALSE(checked) << common;
    EXPECT_NE(checked.error().message.find("common"), std::string::npos);
  }
  EXPECT_FALSE(check_new_password("Ana.Lopez@Example.test", "ana.lopez@example.test"));
  EXPECT_FALSE(check_new_password("ana.lopez", "ana.lopez@example.test"));
  EXPECT_FALSE(check_new_password("zzzzzzzzzz", "ana@example.test"));
  EXPECT_TRUE(check_new_password("ana.lopez 1985 door", "ana.lopez@example.test"));
}

// --- TOTP

TEST(Totp, MatchesTheRfc6238AppendixBVectorsForSha1) {
  const auto secret = bytes("12345678901234567890");
  const std::pair<lockcore::UnixMs, const char*> vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& [seconds, expected] : vectors) {
    EXPECT_EQ(totp::code(secret, totp::step_at(seconds * 1000), 8), expected) << seconds;
    // The six-digit code apps show is the same value modulo 10^6.
    EXPECT_EQ(totp::code(secret, totp::step_at(seconds * 1000)), std::string(expected).substr(2));
  }
}

TEST(Totp, AcceptsTheStepBeforeAndAfterButNotFurtherAndNothingButSixDigits) {
  const auto secret = bytes("12345678901234567890");
  const lockcore::UnixMs now = 1'111'111'111'000;
  const std::int64_t step = totp::step_at(now);
  EXPECT_EQ(totp::match(secret, totp::code(secret, step), now, 0), step);
  EXPECT_EQ(totp::match(secret, totp::code(secret, step - 1), now, 0), step - 1);
  EXPECT_EQ(totp::match(secret, totp::code(secret, step + 1), now, 0), step + 1);
  EXPECT_FALSE(totp::match(secret, totp::code(secret, step - 2), now, 0));
  EXPECT_FALSE(totp::match(secret, totp::code(secret, step + 2), now, 0));
  EXPECT_FALSE(totp::match(secret, "12345", now, 0));
  EXPECT_FALSE(totp::match(secret, "1234567", now, 0));
  EXPECT_FALSE(totp::match(secret, " " + totp::code(secret, step).substr(1), now, 0));
}

TEST(Totp, ACodeOfAStepAlreadyUsedOrEarlierIsNotAcceptedAgain) {
  const auto secret = bytes("12345678901234567890");
  const lockcore::UnixMs now = 1'111'111'111'000;
  const std::int64_t step = totp::step_at(now);
  EXPECT_FALSE(totp::match(secret, totp::code(secret, step), now, step));
  EXPECT_FALSE(totp::match(secret, totp::code(secret, step - 1), now, step));
  EXPECT_EQ(totp::match(secret, totp::code(secret, step + 1), now, step), step + 1);
}

TEST(Totp, Base32FollowsRfc4648AndTheUriIsWhatAppsScan) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "MY"},
                                                         {"fo", "MZXQ"},
                                                         {"foo", "MZXW6"},
                                                         {"foob", "MZXW6YQ"},
                                                         {"fooba", "MZXW6YTB"},
                                                         {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(totp::base32(bytes(plain)), encoded);
    EXPECT_EQ(totp::from_base32(encoded), bytes(plain));
  }
  EXPECT_FALSE(totp::from_base32("MZXW6YTBO1"));  // '1' is not base32
  EXPECT_FALSE(totp::from_base32("MZ"));          // leftover bits that are not zero
  EXPECT_EQ(totp::otpauth_uri("Latchkey", "o'brien@example.test", bytes("foobar")),
            "otpauth://totp/Latchkey:o%27brien%40example.test?secret=MZXW6YTBOI&issuer=Latchkey"
            "&algorithm=SHA1&digits=6&period=30");
}

// --- recovery codes

TEST(RecoveryCodes, TenCodesOf24CrockfordCharactersInGroupsOfFour) {
  auto codes = recovery::generate();
  ASSERT_EQ(codes.size(), 10u);
  std::set<std::string> distinct(codes.begin(), codes.end());
  EXPECT_EQ(distinct.size(), 10u);
  for (const std::string& code : codes) {
    ASSERT_EQ(code.size(), 29u) << code;
    for (std::size_t i = 4; i < code.size(); i += 5)
      EXPECT_EQ(code[i], '-') << code;
    auto normal = recovery::normalise(code);
    ASSERT_TRUE(normal);
    EXPECT_EQ(normal->size(), 24u);
  }
}

TEST(RecoveryCodes, TypingIsForgivingButTheCodeMustBeWhole) {
  EXPECT_EQ(recovery::normalise("abcd-efgh-jkmn-pqrs-tvwx-yz01"), "ABCDEFGHJKMNPQRSTVWXYZ01");
  EXPECT_EQ(recovery::normalise("ABCD EFGH JKMN PQRS TVWX YZOI"), "ABCDEFGHJKMNPQRSTVWXYZ01");
  EXPECT_EQ(recovery::normalise("ABCDEFGHJKMNPQRSTVWXYZ0L"), "ABCDEFGHJKMNPQRSTVWXYZ01");
  EXPECT_FALSE(recovery::normalise("ABCD-EFGH-JKMN-PQRS-TVWX-YZ0"));    // 23
  EXPECT_FALSE(recovery::normalise("ABCD-EFGH-JKMN-PQRS-TVWX-YZ012"));  // 25
  EXPECT_FALSE(recovery::normalise("ABCD-EFGH-JKMN-PQRS-TVWX-YZ0U"));   // U is not Crockford
  EXPECT_FALSE(recovery::normalise("ABCD-EFGH-JKMN-PQRS-TVWX-YZ0'"));
  EXPECT_FALSE(recovery::normalise("123456"));
}

// --- device keys

TEST(DeviceKey, ARealPublicKeyIsAcceptedAndWeakOrMalformedOnesAreNot) {
  std::array<std::uint8_t, 32> pk{};
  std::array<std::uint8_t, 64> sk{};
  crypto_sign_keypair(pk.data(), sk.data());
  auto parsed = parse_public_key(base64url(pk));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, pk);

  std::array<std::uint8_t, 32> identity{};  // the neutral element: small order
  identity[0] = 1;
  EXPECT_FALSE(parse_public_key(base64url(identity)));
  std::array<std::uint8_t, 32> zero{};
  EXPECT_FALSE(parse_public_key(base64url(zero)));
  std::array<std::uint8_t, 32> not_canonical{};
  not_canonical.fill(0xff);
  EXPECT_FALSE(parse_public_key(base64url(not_canonical)));
  auto wrong_length = parse_public_key(base64url(pk).substr(1));
  ASSERT_FALSE(wrong_length);
  EXPECT_EQ(wrong_length.error().field, "public_key");
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, pk.data(), pk.size());
  EXPECT_FALSE(parse_public_key(hex));  // hex is not the API's encoding
}

TEST(DeviceKey, AProofVerifiesOnlyForItsDeviceEmailTimeAndKey) {
  std::array<std::uint8_t, 32> pk{};
  std::array<std::uint8_t, 64> sk{};
  crypto_sign_keypair(pk.data(), sk.data());
  DeviceProof proof{"dev_1", "2026-01-01T00:00:00.000Z", 1'767'225'600'000, {}};
  const std::string message = proof_message(proof, "Ana@Example.test");
  EXPECT_EQ(message, "latchkey-sign-in-v1\ndev_1\nana@example.test\n2026-01-01T00:00:00.000Z");
  crypto_sign_detached(proof.signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       sk.data());
  EXPECT_TRUE(verify_proof(proof, "ana@example.test", pk));
  EXPECT_FALSE(verify_proof(proof, "bo@example.test", pk));
  DeviceProof other_device = proof;
  other_device.device = "dev_2";
  EXPECT_FALSE(verify_proof(other_device, "ana@example.test", pk));
  DeviceProof other_time = proof;
  other_time.signed_at = "2026-01-01T00:00:01.000Z";
  EXPECT_FALSE(verify_proof(other_time, "ana@example.test", pk));
  std::array<std::uint8_t, 32> other_pk{};
  crypto_sign_keypair(other_pk.data(), sk.data());
  EXPECT_FALSE(verify_proof(proof, "ana@example.test", other_pk));
}

// --- sources

TEST(Sources, AddressesAreKeptWholeForIpv4AndByTheir64ForIpv6) {
  namespace ip = boost::asio::ip;
  EXPECT_EQ(source_of(ip::make_address("203.0.113.9")), "ip:203.0.113.9");
  EXPECT_EQ(source_of(ip::make_address("::ffff:203.0.113.9")), "ip:203.0.113.9");
  EXPECT_EQ(source_of(ip::make_address("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            "ip:2001:db8:1:2::/64");
  EXPECT_EQ(source_of(ip::make_address("2001:db8:1:2::1")),
            source_of(ip::make_address("2001:db8:1:2:ffff::9")));
  EXPECT_NE(source_of(ip::make_address("2001:db8:1:2::1")),
            source_of(ip::make_address("2001:db8:1:3::1")));
  EXPECT_EQ(login_key("Ana@Example.TEST"), login_key("ana@example.test"));
  EXPECT_EQ(login_key("ana@example.test").size(), 64u);
}

}  // namespace
}  // namespace server::identity
