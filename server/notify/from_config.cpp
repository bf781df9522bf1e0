#include "server/notify/from_config.hpp"

#include <fmt/format.h>

#include "server/notify/email_sender.hpp"
#include "server/notify/sms_sender.hpp"
#include "server/notify/webhook_sender.hpp"

namespace server::notify {

namespace {

std::string disabled(std::string_view channel) {
  return fmt::format("disabled ([notify] {}_enabled = false)", channel);
}

StartTls starttls_from(const std::string& name) {
  if (name == "off") return StartTls::off;
  if (name == "opportunistic") return StartTls::opportunistic;
  return StartTls::required;
}

}  // namespace

Senders senders_from(const config::Config::Notify& c) {
  Senders out;
  const std::chrono::milliseconds timeout(c.send_timeout_ms);

  EmailSettings email{c.smtp_url,      c.email_from,    c.email_from_name,
                      c.smtp_username, c.smtp_password, starttls_from(c.smtp_starttls),
                      timeout};
  if (!c.email_enabled) {
    out.email_problem = disabled("email");
  } else if (auto problem = email_settings_problem(email)) {
    out.email_problem = "[notify] " + *problem;
  } else {
    out.email = std::make_unique<EmailSender>(std::move(email));
  }

  SmsSettings sms{c.sms_base_url, c.sms_account_sid, c.sms_auth_token, c.sms_from, timeout};
  if (!c.sms_enabled) {
    out.sms_problem = disabled("sms");
  } else if (auto problem = sms_settings_problem(sms)) {
    out.sms_problem = "[notify] " + *problem;
  } else {
    out.sms = std::make_unique<SmsSender>(std::move(sms));
  }

  if (!c.webhook_enabled) {
    out.webhook_problem = disabled("webhook");
  } else {
    out.webhook = std::make_unique<WebhookSender>(
        WebhookSettings{std::chrono::milliseconds(c.webhook_timeout_ms)});
  }
  return out;
}

DelivererOptions deliverer_options_from(const config::Config::Notify& c) {
  DelivererOptions options;
  options.workers = static_cast<std::size_t>(c.workers);
  return options;
}

}  // namespace server::notify
