#include "tests/support/smtp_sink.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "transport/broker_process.hpp"

extern char** environ;

namespace testsupport {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kHandler = R"py(
from aiosmtpd.handlers import Mailbox


class Sink(Mailbox):
    """aiosmtpd's Mailbox, refusing some recipients so tests can reach the failure paths."""

    deferred = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local.startswith("reject"):
            return "550 5.1.1 No such mailbox here"
        if local.startswith("later") and address not in self.deferred:
            self.deferred.add(address)
            return "451 4.2.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"
)py";

bool accepts(std::uint16_t port) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::address_v4::loopback(), port}, ec);
  return !ec;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

ReceivedMail parse_mail(const std::string& raw) {
  ReceivedMail mail;
  std::size_t pos = 0;
  std::string name;
  while (pos < raw.size()) {
    std::size_t end = raw.find('\n', pos);
    if (end == std::string::npos) end = raw.size();
    std::string line = raw.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    if ((line[0] == ' ' || line[0] == '\t') && !name.empty()) {
      mail.headers[name] += line;  // folded: the line break goes, the white space stays
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    name = lower(line.substr(0, colon));
    std::string value = line.substr(colon + 1);
    value.erase(0, std::min(value.find_first_not_of(' '), value.size()));
    if (!mail.headers.contains(name)) mail.headers[name] = value;
  }
  mail.body = pos < raw.size() ? raw.substr(pos) : std::string();
  return mail;
}

// fork + exec with PR_SET_PDEATHSIG; everything the child needs is prepared before fork().
pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env,
            const std::filesystem::path& output) {
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& e : env)
    envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (out < 0 || null_in < 0) return -1;
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
    ::dup2(null_in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::execve(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  ::close(out);
  ::close(null_in);
  return pid;
}

}  // namespace

std::string ReceivedMail::header(std::string_view name) const {
  auto found = headers.find(lower(name));
  return found == headers.end() ? std::string() : found->second;
}

std::uint16_t closed_port() {
  auto port = transport::pick_free_port();
  if (!port) ADD_FAILURE() << "no free port: " << std::strerror(port.error());
  return port ? *port : 0;
}

std::unique_ptr<SmtpSink> SmtpSink::start(std::chrono::milliseconds ready_timeout) {
  std::unique_ptr<SmtpSink> sink(new SmtpSink());
  const std::filesystem::path dir = sink->dir_.path();
  sink->dir_.write("latchkey_smtp_sink.py", kHandler);
  const std::filesystem::path out = dir / "aiosmtpd.out";
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (!std::string_view(*e).starts_with("PYTHONPATH=")) env.emplace_back(*e);
  }
  env.push_back("PYTHONPATH=" + dir.string());
  env.push_back("PYTHONDONTWRITEBYTECODE=1");

  // The port was free a moment ago; if aiosmtpd loses a race for it, try another.
  for (int attempt = 0; attempt < 3; ++attempt) {
    sink->port_ = closed_port();
    sink->pid_ = spawn({"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
                        "127.0.0.1:" + std::to_string(sink->port_), "-c", "latchkey_smtp_sink.Sink",
                        (dir / "maildir").string()},
                       env, out);
    if (sink->pid_ < 0) {
      ADD_FAILURE() << "smtp sink: cannot start /usr/bin/python3: " << std::strerror(errno);
      return nullptr;
    }
    const auto deadline = Clock::now() + ready_timeout;
    bool exited = false;
    while (Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(sink->pid_, &status, WNOHANG) == sink->pid_) {
        sink->pid_ = -1;
        exited = true;
        break;
      }
      if (accepts(sink->port_)) return sink;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!exited) {
      ADD_FAILURE() << "smtp sink: aiosmtpd did not accept connections on port " << sink->port_
                    << " within " << ready_timeout.count() << " ms:\n"
                    << read_all(out);
      return nullptr;  // the destructor kills it
    }
  }
  ADD_FAILURE() << "smtp sink: aiosmtpd exited during start-up:\n" << read_all(out);
  return nullptr;
}

SmtpSink::~SmtpSink() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string SmtpSink::url() const {
  return "smtp://127.0.0.1:" + std::to_string(port_);
}

std::vector<ReceivedMail> SmtpSink::messages() const {
  std::vector<std::filesystem::path> files;
  for (const char* sub : {"new", "cur"}) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "maildir" / sub, ec))
      if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    std::error_code ec;
    auto ta = std::filesystem::last_write_time(a, ec);
    auto tb = std::filesystem::last_write_time(b, ec);
    return ta != tb ? ta < tb : a.filename() < b.filename();
  });
  std::vector<ReceivedMail> out;
  for (const auto& f : files)
    out.push_back(parse_mail(read_all(f)));
  return out;
}

}  // namespace testsupport
