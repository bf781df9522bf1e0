// `latchkey serve` as an operator runs it: configuration from a file and the environment, the
// store created and migrated, /healthz answering, a clean exit on SIGTERM, and a refusal naming
// the mistake when the configuration is wrong.

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
#include <gtest/gtest.h>

#include "tests/app/run_binary.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_broker.hpp"

namespace {

namespace http = boost::beast::http;

struct Child {
  pid_t pid = -1;
  FILE* out = nullptr;  // the child's stdout and stderr
};

// Starts `latchkey serve` with `env` added to this process's environment.
Child start(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    apptest::exec_binary(args, env);
  }
  close(fds[1]);
  return Child{pid, fdopen(fds[0], "r")};
}

std::string read_line(FILE* in) {
  char line[1024];
  return fgets(line, sizeof line, in) != nullptr ? std::string(line) : std::string();
}

int wait_exit(pid_t pid) {
  for (int i = 0; i < 1000; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -2;  // did not stop within 10 s
}

// Serves /healthz with `extra` appended to the configuration, then stops on SIGTERM with a
// connection still open; exit status 0 and the store kept.
void serve_health_then_sigterm(const std::string& extra) {
  testsupport::TempDir dir;
  std::string config =
      dir.write("latchkey.toml", "[http]\nport = 0\n\n[store]\npath = \"" + dir.file("l.db") +
                                     "\"\n\n[log]\nlevel = \"info\"\n" + extra);
  Child child = start({"serve", "--config", config}, {"LATCHKEY_LOG_ACCESS=false"});
  ASSERT_GT(child.pid, 0);
  std::string line;
  unsigned port = 0;
  for (int i = 0; i < 20 && port == 0; ++i) {
    line = read_line(child.out);
    auto at = line.find("serving http://127.0.0.1:");
    if (at != std::string::npos) port = std::stoul(line.substr(at + 25));
  }
  ASSERT_NE(port, 0u) << line;

  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  http::request<http::empty_body> request(http::verb::get, "/healthz", 11);
  request.set(http::field::host, "localhost");
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), R"({"status":"ok","checks":{"store":"ok"}})");

  kill(child.pid, SIGTERM);  // with the connection still open: it is idle, so it is closed
  EXPECT_EQ(wait_exit(child.pid), 0);
  fclose(child.out);
  EXPECT_TRUE(std::filesystem::exists(dir.file("l.db")));
}

TEST(Serve, ServesHealthAndStopsCleanlyOnSigterm) {
  serve_health_then_sigterm("");
}

// Connected to a broker, the domains keep timers of their own (health, retries, credential
// tasks): once the server has stopped they must not keep the process alive.
TEST(Serve, StopsCleanlyOnSigtermWhileConnectedToTheBroker) {
  auto broker = testsupport::TestBroker::start({transport::server_login()});
  ASSERT_TRUE(broker);
  serve_health_then_sigterm("\n[broker]\nport = " + std::to_string(broker->port()) +
                            "\ncredentials_file = \"" + (broker->dir() / "credentials").string() +
                            "\"\n");
}

TEST(Serve, RefusesAWrongConfigurationNamingIt) {
  testsupport::TempDir dir;
  std::string config = dir.write("bad.toml", "[http]\nport = 8080\nbody_limt = 5\n");
  Child child = start({"serve", "--config", config}, {});
  std::string line = read_line(child.out);
  EXPECT_EQ(wait_exit(child.pid), 2);
  fclose(child.out);
  EXPECT_EQ(line, "latchkey serve: " + config + ":3: unknown key \"http.body_limt\"\n");
}

TEST(Serve, HelpListsEveryOption) {
  Child child = start({"serve", "--help"}, {});
  std::string all;
  for (std::string line = read_line(child.out); !line.empty(); line = read_line(child.out))
    all += line;
  EXPECT_EQ(wait_exit(child.pid), 0);
  fclose(child.out);
  for (const char* expected : {"LATCHKEY_HTTP_PORT", "LATCHKEY_HTTP_BODY_LIMIT",
                               "LATCHKEY_STORE_PATH", "LATCHKEY_BROKER_CREDENTIALS_FILE",
                               "LATCHKEY_LOG_LEVEL", "LATCHKEY_WEB_STATIC_DIR", "--config"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected;
  }
}

}  // namespace
