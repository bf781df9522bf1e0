#include "server/notify/webhook_sender.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "server/http/rfc3339.hpp"
#include "server/notify/webhook_signature.hpp"

namespace server::notify {

lockcore::Result<std::string, SendError> webhook_body(const Message& message) {
  boost::system::error_code ec;
  boost::json::value data = boost::json::parse(message.notice.body, ec);
  if (ec) {
    return send_error(SendErrc::invalid_message,
                      fmt::format("webhook {}: the body is not JSON", message.id));
  }
  boost::json::object body;
  body["id"] = message.id;
  body["kind"] = to_string(message.notice.kind);
  body["site"] = message.notice.site;
  body["created"] = http::format_rfc3339(message.created);
  body["subject"] = message.notice.subject;
  body["data"] = std::move(data);
  return boost::json::serialize(body);
}

SendResult WebhookSender::send(const Attempt& attempt) const {
  const Message& message = attempt.message;
  const std::string& url = message.notice.address;
  const std::string what = fmt::format("webhook to {}", url);
  if (attempt.secret.empty()) {
    return send_error(SendErrc::invalid_message,
                      fmt::format("{}: no subscription to sign it for (removed?)", what));
  }
  if (!url_is_usable(url, {"http", "https"})) {
    return send_error(SendErrc::invalid_message, fmt::format("{}: not an http(s) URL", what));
  }
  auto body = webhook_body(message);
  if (!body) return lockcore::fail(body.error());
  const std::int64_t seconds = attempt.now >= 0 ? attempt.now / 1000 : (attempt.now - 999) / 1000;

  HttpPost post;
  post.url = url;
  post.headers = {
      "Content-Type: application/json",
      "User-Agent: Latchkey-Webhooks/1",
      fmt::format("Latchkey-Event: {}", to_string(message.notice.kind)),
      fmt::format("Latchkey-Delivery: {}", message.id),
      fmt::format("{}: {}", kSignatureHeader, sign_webhook(attempt.secret, seconds, *body)),
  };
  post.body = std::move(*body);
  auto answer = http_post(post, {settings_.timeout, attempt.abort}, what);
  if (!answer) return lockcore::fail(answer.error());
  const long status = answer->status;
  if (status >= 200 && status < 300) return {};
  SendErrc code = status == 410                   ? SendErrc::rejected
                  : status >= 400 && status < 600 ? SendErrc::deferred
                                                  : SendErrc::protocol_error;
  return send_error(code, fmt::format("{}: the receiver answered {}", what, status));
}

}  // namespace server::notify
