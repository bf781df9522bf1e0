#include "tests/support/capture_server.hpp"

#include <algorithm>
#include <cctype>

#include <gtest/gtest.h>

#include "server/http/json.hpp"

namespace testsupport {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    std::string_view pair = body.substr(0, body.find('&'));
    body.remove_prefix(std::min(pair.size() + 1, body.size()));
    std::size_t eq = pair.find('=');
    auto name = server::http::percent_decode(pair.substr(0, eq), true);
    auto value = server::http::percent_decode(
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (name && value) fields[*name] = *value;
  }
  return fields;
}

}  // namespace

std::string CapturedRequest::header(std::string_view name) const {
  auto found = headers.find(lower(name));
  return found == headers.end() ? std::string() : found->second;
}

CaptureServer::CaptureServer(const std::vector<std::string>& post_patterns) {
  for (const std::string& pattern : post_patterns) {
    router_.post(
        pattern,
        [this](server::http::Request& request) -> boost::asio::awaitable<server::http::Response> {
          CapturedRequest captured;
          captured.method = std::string(request.raw().method_string());
          captured.target = std::string(request.target());
          for (const auto& field : request.raw()) {
            captured.headers[lower(field.name_string())] = std::string(field.value());
          }
          captured.body = request.body();
          if (captured.header("content-type").starts_with("application/x-www-form-urlencoded")) {
            captured.form = parse_form(captured.body);
          }
          unsigned status = 0;
          {
            std::lock_guard lock(mutex_);
            requests_.push_back(std::move(captured));
            status = next_status();
          }
          co_return server::http::json_response(status, {{"status", status}});
        });
  }
  server::http::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  server_ = std::make_unique<server::http::Server>(io_, router_, metrics_, options);
  auto bound = server_->start();
  if (!bound) {
    ADD_FAILURE() << "capture server: " << bound.error();
  } else {
    port_ = bound->port();
  }
  thread_ = std::thread([this] { io_.run(); });
}

CaptureServer::~CaptureServer() {
  boost::asio::post(io_, [this] { server_->stop(); });
  thread_.join();
}

std::string CaptureServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void CaptureServer::answer(std::vector<unsigned> statuses, unsigned otherwise) {
  std::lock_guard lock(mutex_);
  statuses_.assign(statuses.begin(), statuses.end());
  otherwise_ = otherwise;
}

std::vector<CapturedRequest> CaptureServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t CaptureServer::count() const {
  std::lock_guard lock(mutex_);
  return requests_.size();
}

unsigned CaptureServer::next_status() {
  if (statuses_.empty()) return otherwise_;
  unsigned status = statuses_.front();
  statuses_.pop_front();
  return status;
}

}  // namespace testsupport
