#pragma once
// A stand-in for an HTTP service the server calls (an SMS provider, a webhook receiver): a real
// Latchkey HTTP server on a loopback port, on a thread of its own, that records every request it
// is sent (method, target, headers, body, the form fields of a form body) and answers with the
// statuses the test lines up.

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "server/http/metrics.hpp"
#include "server/http/router.hpp"
#include "server/http/server.hpp"

namespace testsupport {

struct CapturedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::map<std::string, std::string> form;  // an x-www-form-urlencoded body, decoded

  // The header's value, or "" when absent. `name` in any case.
  std::string header(std::string_view name) const;
};

class CaptureServer {
 public:
  // Serves POST on each Router pattern (e.g. "/hooks/{name}"). ADD_FAILURE()s when it cannot
  // listen.
  explicit CaptureServer(const std::vector<std::string>& post_patterns);
  ~CaptureServer();
  CaptureServer(const CaptureServer&) = delete;
  CaptureServer& operator=(const CaptureServer&) = delete;

  // "http://127.0.0.1:<port>"
  std::string base_url() const;
  // The next requests get `statuses` in order; after them, every request gets `otherwise`.
  void answer(std::vector<unsigned> statuses, unsigned otherwise = 200);
  std::vector<CapturedRequest> requests() const;
  std::size_t count() const;

 private:
  unsigned next_status();

  mutable std::mutex mutex_;
  std::vector<CapturedRequest> requests_;
  std::deque<unsigned> statuses_;
  unsigned otherwise_ = 200;

  boost::asio::io_context io_;
  server::http::Router router_;
  server::http::Registry metrics_;
  std::unique_ptr<server::http::Server> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace testsupport
