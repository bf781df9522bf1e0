#include "server/notify/email_sender.hpp"

#include <algorithm>
#include <cstring>

#include <curl/curl.h>
#include <fmt/format.h>

#include "server/notify/email_message.hpp"

namespace server::notify {

namespace {

// The message body as libcurl reads it during DATA (libcurl escapes leading dots itself).
struct Upload {
  std::string_view text;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  std::size_t n = std::min(size * count, upload->text.size());
  std::memcpy(buffer, upload->text.data(), n);
  upload->text.remove_prefix(n);
  return n;
}

// The SMTP dialogue as libcurl reports it: which command drew the last refusal, so a 5xx to
// RCPT TO (this recipient, for good) is told apart from a 5xx to MAIL FROM (us, fixable). The last
// one, because libcurl recovers from some (a 5xx to EHLO makes it try HELO).
struct Dialogue {
  std::string command;  // the verb of the last command sent: "EHLO", "MAIL", "RCPT", "DATA", …
  std::string refused_command;
  int refused_code = 0;
  std::string refused_text;
};

int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  auto* d = static_cast<Dialogue*>(user);
  std::string_view line(data, size);
  if (type == CURLINFO_HEADER_OUT) {
    d->command = std::string(line.substr(0, std::min(line.find_first_of(" \r\n"), line.size())));
  } else if (type == CURLINFO_HEADER_IN && line.size() >= 4 && (line[0] == '4' || line[0] == '5') &&
             line[3] == ' ') {
    d->refused_code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    d->refused_command = d->command;
    d->refused_text = std::string(line.substr(0, line.find_first_of("\r\n")));
  }
  return 0;
}

SendErrc refusal(const Dialogue& d) {
  if (d.refused_code < 500) return SendErrc::deferred;
  if (d.refused_command == "RCPT" || d.refused_command == "DATA") return SendErrc::rejected;
  if (d.refused_command == "AUTH") return SendErrc::auth_failed;
  return SendErrc::refused;
}

}  // namespace

std::optional<std::string> email_settings_problem(const EmailSettings& s) {
  if (s.url.empty()) return "no SMTP URL is set";
  if (!url_is_usable(s.url, {"smtp", "smtps"})) {
    return fmt::format("\"{}\" is not an smtp:// or smtps:// URL with a host", s.url);
  }
  if (!plain_address(s.from_address)) {
    return fmt::format("the sender \"{}\" is not a plain address", s.from_address);
  }
  return std::nullopt;
}

SendResult EmailSender::send(const Attempt& attempt) const {
  const Notice& notice = attempt.message.notice;
  auto text = format_email({settings_.from_address, settings_.from_name, notice.address,
                            notice.subject, notice.body, attempt.message.id, attempt.now});
  if (!text) return lockcore::fail(text.error());
  const std::string what = fmt::format("SMTP to {}", notice.address);

  CurlTransfer transfer("smtp,smtps", {settings_.timeout, attempt.abort});
  CURL* h = transfer.handle();
  Upload upload{*text};
  Dialogue dialogue;
  const std::string mail_from = "<" + settings_.from_address + ">";
  curl_slist* recipients = curl_slist_append(nullptr, ("<" + notice.address + ">").c_str());
  if (h != nullptr) {
    curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    const long use_ssl = settings_.starttls == StartTls::required        ? CURLUSESSL_ALL
                         : settings_.starttls == StartTls::opportunistic ? CURLUSESSL_TRY
                                                                         : CURLUSESSL_NONE;
    curl_easy_setopt(h, CURLOPT_USE_SSL, use_ssl);
    if (!settings_.username.empty()) {
      curl_easy_setopt(h, CURLOPT_USERNAME, settings_.username.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    // The debug callback is how the dialogue is followed; with it set, nothing goes to stderr.
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &dialogue);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
  }
  auto done = transfer.perform(what);
  curl_slist_free_all(recipients);
  if (done) return {};
  if (dialogue.refused_code != 0 && done.error().code != SendErrc::aborted &&
      done.error().code != SendErrc::timed_out) {
    return send_error(refusal(dialogue),
                      fmt::format("{}: {} answered \"{}\"", what, dialogue.refused_command,
                                  dialogue.refused_text));
  }
  return done;
}

}  // namespace server::notify
