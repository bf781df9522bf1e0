// `latchkey demo` as a newcomer runs it: the broker, the server and a simulated site start, the
// demo site is seeded through the public API with a fleet in varied health (a jammed door, a hub
// down with its locks offline, a battery running low), the URL and logins are printed, a second
// demo on the same port is refused, and SIGTERM stops every process it started.

#include <chrono>
#include <cstdio>
#include <signal.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/app/run_binary.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = boost::asio::ip::tcp;

unsigned free_port() {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

bool listening(unsigned port) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect(
      tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)),
      ec);
  return !ec;
}

json::value call(unsigned port, http::verb method, const std::string& target,
                 const std::string& token, const std::string& body = {}) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.connect(
      tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  http::request<http::string_body> request(method, target, 11);
  request.set(http::field::host, "localhost");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  EXPECT_EQ(response.result_int() / 100, 2u) << target << ": " << response.body();
  return json::parse(response.body());
}

int wait_exit(pid_t pid, std::chrono::seconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -2;
}

TEST(DemoTest, StartsASiteInVariedHealthThenStopsEverythingOnSigterm) {
  testsupport::TempDir dir;
  const unsigned port = free_port();
  const std::string demo_dir = dir.file("demo");
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    apptest::exec_binary({"demo", "--dir", demo_dir, "--port", std::to_string(port), "--web", ""},
                         {"LATCHKEY_LOG_ACCESS=false"});
  }
  close(fds[1]);
  FILE* out = fdopen(fds[0], "r");
  std::string printed;
  char line[1024];
  while (printed.find("Ctrl-C stops everything") == std::string::npos &&
         fgets(line, sizeof line, out) != nullptr)
    printed += line;
  ASSERT_NE(printed.find("Latchkey is running: open http://127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << printed;
  EXPECT_NE(printed.find("olive@demo.test    owner"), std::string::npos) << printed;
  EXPECT_NE(printed.find("ana@demo.test      resident of apartment 101"), std::string::npos);

  // The owner sees the fleet the demo promised.
  json::value session = call(port, http::verb::post, "/api/v1/sessions", "",
                             R"({"email":"olive@demo.test","password":"demo passphrase 2026"})");
  const std::string token(session.at("access_token").as_string());
  json::value locks = call(port, http::verb::get, "/api/v1/sites/maple-court/locks", token);
  int jammed = 0, offline = 0, low = 0;
  for (const json::value& lock : locks.at("locks").as_array()) {
    const json::object& health = lock.at("health").as_object();
    jammed += health.at("jammed").as_bool() ? 1 : 0;
    offline += health.at("reachability").as_string() == "offline" ? 1 : 0;
    low += health.at("battery").at("pct").as_int64() < 20 ? 1 : 0;
  }
  EXPECT_EQ(locks.at("locks").as_array().size(), 6u);
  EXPECT_EQ(jammed, 1);
  EXPECT_EQ(offline, 3);  // the three locks behind the hub that is down
  EXPECT_EQ(low, 1);

  // A second demo on the same port is refused, naming the port, and changes nothing.
  apptest::Outcome second = apptest::run(
      {"demo", "--dir", dir.file("second"), "--port", std::to_string(port), "--web", ""}, {});
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_NE(second.output.find("port " + std::to_string(port) + " is taken"), std::string::npos)
      << second.output;
  EXPECT_TRUE(listening(port));

  kill(pid, SIGTERM);
  EXPECT_EQ(wait_exit(pid, std::chrono::seconds(30)), 0);
  fclose(out);
  EXPECT_FALSE(listening(port));  // the server it started is gone with it
}

}  // namespace
