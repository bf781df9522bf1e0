#pragma once
// One libcurl transfer, the way every sender makes it: an easy handle with the limits every
// channel shares (only the protocols the channel speaks, no redirects, no signals, a connect and a
// total timeout, an abort flag polled while it runs), and a CURLcode turned into a SendError.
// Blocking: run it on a worker thread, never on the io thread.

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "server/notify/send_error.hpp"

typedef void CURL;

namespace server::notify {

struct TransferLimits {
  std::chrono::milliseconds timeout{30'000};  // the whole transfer, connecting included
  const std::atomic<bool>* abort = nullptr;   // set: the transfer ends soon with `aborted`
};

class CurlTransfer {
 public:
  // `protocols`: what the URL may use, as libcurl spells it ("smtp,smtps", "http,https").
  CurlTransfer(std::string_view protocols, const TransferLimits& limits);
  ~CurlTransfer();
  CurlTransfer(const CurlTransfer&) = delete;
  CurlTransfer& operator=(const CurlTransfer&) = delete;

  // For the channel's own options. Null when libcurl could not make a handle (perform() says so).
  CURL* handle() { return handle_; }

  // Runs the transfer. Errors, from the CURLcode: connection_failed, timed_out, tls_failed,
  // auth_failed, aborted, protocol_error (a strange reply, or anything unexpected),
  // invalid_message (a URL libcurl cannot use). `what` starts the message ("SMTP to x: …").
  SendResult perform(std::string_view what);
  // The last response code: HTTP status, or the SMTP reply code (0 when none arrived).
  long response_code() const;

 private:
  CURL* handle_ = nullptr;
  const std::atomic<bool>* abort_ = nullptr;
  char error_[256] = {};  // CURL_ERROR_SIZE
};

// True when libcurl can parse `url` and its scheme is one of `schemes` (lowercase, e.g.
// {"http", "https"}) and it names a host.
bool url_is_usable(std::string_view url, const std::vector<std::string_view>& schemes);

struct HttpPost {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::string username;  // non-empty: HTTP basic auth with `password`
  std::string password;
};

struct HttpAnswer {
  long status = 0;
  std::string body;  // the first 4 KiB, for the log
};

// POSTs `post` over http or https without following redirects. Any status is an answer; errors
// are only those of CurlTransfer::perform().
lockcore::Result<HttpAnswer, SendError> http_post(const HttpPost& post,
                                                  const TransferLimits& limits,
                                                  std::string_view what);

// application/x-www-form-urlencoded: name=value pairs, each percent-encoded, joined by '&'.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace server::notify
