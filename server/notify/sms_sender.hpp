#pragma once
// SMS through a Twilio-style provider API: one form POST (application/x-www-form-urlencoded:
// To, From, Body) to <base_url>/2010-04-01/Accounts/<account_sid>/Messages.json with HTTP basic
// auth (account SID : auth token), over http or https, via libcurl, no redirects followed.
//
// Outcomes (by the provider's status):
//   sent             2xx
//   rejected         any other 4xx: the number or the message is refused for good (Twilio's 400
//                    "not a valid phone number", "unsubscribed recipient")
//   invalid_message  the recipient is not an E.164 number (+ and 7 to 15 digits); nothing sent
//   auth_failed      401 or 403: our credentials; retried, so fixing the config lets them go
//   deferred         5xx, 408 or 429
//   protocol_error   a 1xx or 3xx; connection_failed, timed_out, tls_failed, aborted: as
//                    curl_transfer.hpp says
// Blocking: runs on the deliverer's worker threads.

#include <chrono>
#include <optional>
#include <string>

#include "server/notify/sender.hpp"

namespace server::notify {

struct SmsSettings {
  std::string base_url = "https://api.twilio.com";
  std::string account_sid;
  std::string auth_token;
  std::string from_number;  // E.164, or a provider's sender id / messaging service
  std::chrono::milliseconds timeout{30'000};
};

// Why `settings` cannot send (no base URL or not http(s), no SID or one that is not letters and
// digits, no token, no sender), or nullopt when they can.
std::optional<std::string> sms_settings_problem(const SmsSettings& settings);

// The provider's "create message" URL for these settings.
std::string sms_messages_url(const SmsSettings& settings);

// "+" then 7 to 15 digits, the first not 0.
bool e164_number(std::string_view number);

class SmsSender final : public Sender {
 public:
  // Precondition: sms_settings_problem(settings) is nullopt.
  explicit SmsSender(SmsSettings settings) : settings_(std::move(settings)) {}

  SendResult send(const Attempt& attempt) const override;

 private:
  SmsSettings settings_;
};

}  // namespace server::notify
