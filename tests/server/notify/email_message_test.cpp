// An email as it goes over the wire: the RFC 5322 headers a mail system expects, a body that
// survives any relay (base64, CRLF), non-ASCII subjects and names as encoded words, and nothing
// that lets a recipient address or subject smuggle in a header.

#include "server/notify/email_message.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

namespace server::notify {
namespace {

constexpr lockcore::UnixMs kNewYear2026 = 1'767'225'600'000;  // Thu, 01 Jan 2026 00:00:00 UTC

EmailContent lee() {
  return {"noreply@latchkey.example",
          "Latchkey",
          "lee@example.com",
          "Your backup code",
          "Open this link within 30 minutes:\nhttps://latchkey.example/b/abc\n",
          "msg_0123abcd",
          kNewYear2026};
}

std::string header(const std::string& text, std::string_view name) {
  const std::string key = "\r\n" + std::string(name) + ": ";
  std::size_t at = ("\r\n" + text).find(key);
  if (at == std::string::npos) return "<absent>";
  std::size_t start = at + key.size() - 2;
  std::string value;
  // Unfold continuation lines.
  for (std::size_t end = text.find("\r\n", start);; end = text.find("\r\n", start)) {
    value += text.substr(start, end - start);
    if (text.compare(end + 2, 1, " ") != 0) break;
    start = end + 2;
  }
  return value;
}

std::string decode_base64(std::string_view text) {
  std::string bin(text.size(), '\0');
  std::size_t length = 0;
  EXPECT_EQ(
      sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), text.data(),
                        text.size(), "\r\n", &length, nullptr, sodium_base64_VARIANT_ORIGINAL),
      0);
  bin.resize(length);
  return bin;
}

std::string body_of(const std::string& text) {
  return text.substr(text.find("\r\n\r\n") + 4);
}

TEST(EmailMessage, CarriesTheHeadersOfRfc5322AndAPlainUtf8Body) {
  auto text = format_email(lee());
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(header(*text, "Date"), "Thu, 01 Jan 2026 00:00:00 +0000");
  EXPECT_EQ(header(*text, "From"), "\"Latchkey\" <noreply@latchkey.example>");
  EXPECT_EQ(header(*text, "To"), "lee@example.com");
  EXPECT_EQ(header(*text, "Subject"), "Your backup code");
  EXPECT_EQ(header(*text, "Message-ID"), "<msg_0123abcd@latchkey.example>");
  EXPECT_EQ(header(*text, "MIME-Version"), "1.0");
  EXPECT_EQ(header(*text, "Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(header(*text, "Content-Transfer-Encoding"), "base64");
  EXPECT_EQ(decode_base64(body_of(*text)),
            "Open this link within 30 minutes:\r\nhttps://latchkey.example/b/abc\r\n");
}

TEST(EmailMessage, EveryLineEndsInCrlfAndNoneIsLongerThan78) {
  EmailContent c = lee();
  c.body = std::string(5000, 'x') + "\n" + std::string(300, 'y');
  c.subject = "Ä" + std::string(200, 's');
  c.from_name = "Hausverwaltung Müller & Söhne, Abteilung Schließanlagen und Zugangskontrolle";
  c.from_address = "schliessanlagen-und-zugangskontrolle@hausverwaltung-mueller.example";
  c.to_address = "a-rather-long-recipient-address-for-a-property-manager@example.com";
  c.message_id = "msg_0123456789abcdef0123456789abcdef";
  auto text = format_email(c);
  ASSERT_TRUE(text);
  std::size_t start = 0;
  while (start < text->size()) {
    std::size_t end = text->find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "a line without CRLF at " << start;
    EXPECT_LE(end - start, 78u) << text->substr(start, 40);
    EXPECT_EQ(text->substr(start, end - start).find('\n'), std::string::npos);
    start = end + 2;
  }
}

TEST(EmailMessage, NonAsciiSubjectsAndNamesGoAsEncodedWordsWithoutSplittingACharacter) {
  EmailContent c = lee();
  c.from_name = "Hausverwaltung Müller";
  c.subject = std::string("Zugangscode für Tür 3 — ") + std::string(40, 'a') + "ü€";
  auto text = format_email(c);
  ASSERT_TRUE(text);
  const std::string subject = header(*text, "Subject");
  ASSERT_TRUE(subject.starts_with("=?UTF-8?B?")) << subject;
  // Decode each encoded word; each must be valid UTF-8 on its own (no character cut in two).
  std::string decoded;
  std::size_t pos = 0;
  while ((pos = subject.find("=?UTF-8?B?", pos)) != std::string::npos) {
    std::size_t end = subject.find("?=", pos + 10);
    std::string word = decode_base64(subject.substr(pos + 10, end - pos - 10));
    EXPECT_FALSE(!word.empty() && (static_cast<unsigned char>(word[0]) & 0xC0) == 0x80) << word;
    decoded += word;
    pos = end + 2;
  }
  EXPECT_EQ(decoded, c.subject);
  EXPECT_TRUE(header(*text, "From").starts_with("=?UTF-8?B?")) << header(*text, "From");
  EXPECT_TRUE(header(*text, "From").ends_with("<noreply@latchkey.example>"));
}

TEST(EmailMessage, ALineBreakInTheSubjectCannotAddAHeader) {
  EmailContent c = lee();
  c.subject = "Hello\r\nBcc: everyone@example.com";
  auto text = format_email(c);
  ASSERT_TRUE(text);
  EXPECT_EQ(header(*text, "Bcc"), "<absent>");
  EXPECT_EQ(header(*text, "Subject"), "Hello  Bcc: everyone@example.com");
}

TEST(EmailMessage, AnAddressThatIsNotPlainIsRefusedBeforeAnythingIsSent) {
  for (const char* bad : {"", "lee", "@example.com", "lee@", "lee@a@b", "lee@example.com\r\nBcc: x",
                          "Lee <lee@example.com>", "lee @example.com", "lee@example.com,x@y.z"}) {
    EmailContent c = lee();
    c.to_address = bad;
    auto text = format_email(c);
    ASSERT_FALSE(text) << bad;
    EXPECT_EQ(text.error().code, SendErrc::invalid_message);
    EXPECT_TRUE(text.error().permanent());
  }
  EmailContent c = lee();
  c.from_address = "noreply";
  EXPECT_FALSE(format_email(c));
  c = lee();
  c.message_id = "msg_1>\r\nX-Evil: 1";
  EXPECT_FALSE(format_email(c));
}

TEST(EmailMessage, DatesAreUtcInRfc5322Form) {
  EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc5322_date(kNewYear2026 + 59 * 86'400'000LL + 13 * 3'600'000LL + 999),
            "Sun, 01 Mar 2026 13:00:00 +0000");
}

}  // namespace
}  // namespace server::notify
