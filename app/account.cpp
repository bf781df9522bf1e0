#include "app/account.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <termios.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include "runtime/real_scheduler.hpp"
#include "server/config/config.hpp"
#include "server/node/node.hpp"

namespace app {

namespace {

// Drops one trailing "\n" or "\r\n": the line ending is not part of the password.
std::string without_line_end(std::string line) {
  if (!line.empty() && line.back() == '\n') line.pop_back();
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::optional<std::string> read_file_line(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string line;
  std::getline(in, line);
  return without_line_end(line);
}

// One line from the terminal with echo off.
std::optional<std::string> ask(const char* prompt) {
  std::fprintf(stderr, "%s", prompt);
  termios saved{};
  if (tcgetattr(STDIN_FILENO, &saved) != 0) return std::nullopt;
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  std::fprintf(stderr, "\n");
  if (!got) return std::nullopt;
  return without_line_end(line);
}

std::optional<std::string> read_password(const AccountCreate& request) {
  if (request.password_file) {
    auto line = read_file_line(*request.password_file);
    if (!line)
      std::fprintf(stderr, "latchkey account create: cannot read %s\n",
                   request.password_file->c_str());
    return line;
  }
  if (isatty(STDIN_FILENO) == 0) {
    std::string line;
    if (!std::getline(std::cin, line)) {
      std::fprintf(stderr, "latchkey account create: no password on standard input\n");
      return std::nullopt;
    }
    return without_line_end(line);
  }
  auto first = ask("Password for the new account: ");
  auto again = ask("The same password again: ");
  if (!first || !again) return std::nullopt;
  if (*first != *again) {
    std::fprintf(stderr, "latchkey account create: the two passwords differ\n");
    sodium_memzero(first->data(), first->size());
    sodium_memzero(again->data(), again->size());
    return std::nullopt;
  }
  sodium_memzero(again->data(), again->size());
  return first;
}

}  // namespace

int account_create(const std::optional<std::string>& config_file, const AccountCreate& request) {
  auto loaded = server::config::load(config_file, server::config::process_environment());
  if (!loaded) {
    std::fprintf(stderr, "latchkey account create: %s\n", loaded.error().c_str());
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);
  auto password = read_password(request);
  if (!password) return 2;

  // The command works on the store alone. It never joins the broker: with the server's login it
  // would take over the running server's session.
  loaded->broker.credentials_file.clear();
  boost::asio::io_context io;
  runtime::RealScheduler scheduler(io);
  auto node = server::Node::open(io, scheduler, *loaded);
  if (!node) {
    std::fprintf(stderr, "latchkey account create: %s\n", node.error().c_str());
    return 2;
  }
  server::identity::NewAccount account{request.email, request.phone, request.display_name,
                                       std::move(*password)};
  std::optional<server::Result<server::identity::Account>> made;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        made.emplace(
            co_await (*node)->identity().accounts().create(std::move(account), "system:cli"));
        io.stop();  // the node's own timers (delivery, reconciling) are the running server's job
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.run();
  if (!made || !*made) {
    const server::Error& error = made ? made->error() : server::Error();
    std::fprintf(stderr, "latchkey account create: %s\n", error.message.c_str());
    return 1;
  }
  std::printf("%s\n", (*made)->id.c_str());
  return 0;
}

}  // namespace app
