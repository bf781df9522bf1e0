#include "server/notify/sms_sender.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace server::notify {

namespace {

bool alphanumeric(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  });
}

SendErrc classify_status(long status) {
  if (status == 401 || status == 403) return SendErrc::auth_failed;
  if (status == 408 || status == 429 || (status >= 500 && status < 600)) return SendErrc::deferred;
  if (status >= 400 && status < 500) return SendErrc::rejected;
  return SendErrc::protocol_error;
}

}  // namespace

bool e164_number(std::string_view number) {
  if (number.size() < 8 || number.size() > 16 || number[0] != '+' || number[1] == '0') {
    return false;
  }
  return std::all_of(number.begin() + 1, number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> sms_settings_problem(const SmsSettings& s) {
  if (!url_is_usable(s.base_url, {"http", "https"})) {
    return fmt::format("the provider URL \"{}\" is not an http(s) URL with a host", s.base_url);
  }
  if (!alphanumeric(s.account_sid)) return "the account SID is empty or not letters and digits";
  if (s.auth_token.empty()) return "no auth token is set";
  if (s.from_number.empty()) return "no sender number is set";
  return std::nullopt;
}

std::string sms_messages_url(const SmsSettings& s) {
  std::string_view base = s.base_url;
  while (base.ends_with('/'))
    base.remove_suffix(1);
  return fmt::format("{}/2010-04-01/Accounts/{}/Messages.json", base, s.account_sid);
}

SendResult SmsSender::send(const Attempt& attempt) const {
  const Notice& notice = attempt.message.notice;
  if (!e164_number(notice.address)) {
    return send_error(SendErrc::invalid_message,
                      fmt::format("SMS: \"{}\" is not an E.164 number", notice.address));
  }
  const std::string what = fmt::format("SMS to {}", notice.address);
  HttpPost post;
  post.url = sms_messages_url(settings_);
  post.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
  post.body =
      form_encode({{"To", notice.address}, {"From", settings_.from_number}, {"Body", notice.body}});
  post.username = settings_.account_sid;
  post.password = settings_.auth_token;
  auto answer = http_post(post, {settings_.timeout, attempt.abort}, what);
  if (!answer) return lockcore::fail(answer.error());
  if (answer->status >= 200 && answer->status < 300) return {};
  return send_error(classify_status(answer->status),
                    fmt::format("{}: the provider answered {}: {}", what, answer->status,
                                answer->body.substr(0, 300)));
}

}  // namespace server::notify
