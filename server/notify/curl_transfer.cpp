#include "server/notify/curl_transfer.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>

#include <curl/curl.h>
#include <fmt/format.h>

namespace server::notify {

namespace {

constexpr std::size_t kAnswerKeep = 4096;

void global_init() {
  // curl_global_init is thread-safe in this libcurl (feature "threadsafe"); once is enough.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

int on_progress(void* abort, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* flag = static_cast<const std::atomic<bool>*>(abort);
  return flag != nullptr && flag->load() ? 1 : 0;
}

SendErrc classify(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return SendErrc::connection_failed;
    case CURLE_OPERATION_TIMEDOUT:
      return SendErrc::timed_out;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return SendErrc::tls_failed;
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
      return SendErrc::auth_failed;
    case CURLE_ABORTED_BY_CALLBACK:
      return SendErrc::aborted;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return SendErrc::invalid_message;
    default:
      return SendErrc::protocol_error;
  }
}

std::size_t keep_answer(char* data, std::size_t size, std::size_t count, void* out) {
  auto* body = static_cast<std::string*>(out);
  std::size_t n = size * count;
  body->append(data, std::min(n, kAnswerKeep - std::min(kAnswerKeep, body->size())));
  return n;
}

bool unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

void percent_encode(std::string& out, std::string_view text) {
  for (unsigned char c : text) {
    if (unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
}

}  // namespace

CurlTransfer::CurlTransfer(std::string_view protocols, const TransferLimits& limits)
    : abort_(limits.abort) {
  global_init();
  handle_ = curl_easy_init();
  if (handle_ == nullptr) return;
  const long total = static_cast<long>(limits.timeout.count());
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we are threaded
  curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, std::string(protocols).c_str());
  curl_easy_setopt(handle_, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, total);
  curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS, std::min(total, 10'000L));
  curl_easy_setopt(handle_, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle_, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(handle_, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(abort_));
}

CurlTransfer::~CurlTransfer() {
  if (handle_ != nullptr) curl_easy_cleanup(handle_);
}

SendResult CurlTransfer::perform(std::string_view what) {
  if (handle_ == nullptr) {
    return send_error(SendErrc::protocol_error, fmt::format("{}: libcurl made no handle", what));
  }
  if (abort_ != nullptr && abort_->load()) {
    return send_error(SendErrc::aborted, fmt::format("{}: stopping", what));
  }
  error_[0] = '\0';
  CURLcode code = curl_easy_perform(handle_);
  if (code == CURLE_OK) return {};
  std::string detail = error_[0] != '\0' ? std::string(error_) : curl_easy_strerror(code);
  return send_error(classify(code), fmt::format("{}: {}", what, detail));
}

long CurlTransfer::response_code() const {
  long code = 0;
  if (handle_ != nullptr) curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

bool url_is_usable(std::string_view url, const std::vector<std::string_view>& schemes) {
  global_init();
  CURLU* parsed = curl_url();
  if (parsed == nullptr) return false;
  bool usable = false;
  if (curl_url_set(parsed, CURLUPART_URL, std::string(url).c_str(), 0) == CURLUE_OK) {
    char* scheme = nullptr;
    char* host = nullptr;
    if (curl_url_get(parsed, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(parsed, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
      usable =
          std::find(schemes.begin(), schemes.end(), std::string_view(scheme)) != schemes.end() &&
          host[0] != '\0';
    }
    curl_free(scheme);
    curl_free(host);
  }
  curl_url_cleanup(parsed);
  return usable;
}

lockcore::Result<HttpAnswer, SendError> http_post(const HttpPost& post,
                                                  const TransferLimits& limits,
                                                  std::string_view what) {
  CurlTransfer transfer("http,https", limits);
  CURL* h = transfer.handle();
  HttpAnswer answer;
  curl_slist* headers = nullptr;
  for (const std::string& header : post.headers)
    headers = curl_slist_append(headers, header.c_str());
  // No "Expect: 100-continue": small bodies go at once.
  headers = curl_slist_append(headers, "Expect:");
  if (h != nullptr) {
    curl_easy_setopt(h, CURLOPT_URL, post.url.c_str());
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, post.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post.body.size()));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_answer);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer.body);
    if (!post.username.empty()) {
      curl_easy_setopt(h, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
      curl_easy_setopt(h, CURLOPT_USERNAME, post.username.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, post.password.c_str());
    }
  }
  auto done = transfer.perform(what);
  curl_slist_free_all(headers);
  if (!done) return lockcore::fail(done.error());
  answer.status = transfer.response_code();
  return answer;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    percent_encode(out, name);
    out += '=';
    percent_encode(out, value);
  }
  return out;
}

}  // namespace server::notify
