#include "sim/manifest.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "sim/derive.hpp"

namespace sim {

std::string manifest_json(const FleetConfig& config) {
  namespace json = boost::json;
  json::array locks;
  for (const LockSpec& lock : config.locks) {
    locks.push_back(json::object{{"id", lock.id},
                                 {"link", lock.link},
                                 {"pairing_code", pairing_code(config.seed, lock.id)},
                                 {"keypad", lock.keypad},
                                 {"bluetooth", lock.bluetooth},
                                 {"physical_key", lock.physical_key},
                                 {"slots", lock.slots},
                                 {"backup_pool", lock.backup_pool},
                                 {"firmware", lock.firmware}});
  }
  json::array hubs;
  for (const HubSpec& hub : config.hubs) {
    json::array behind;
    for (const LockSpec& lock : config.locks) {
      if (lock.link == hub.id) behind.push_back(json::string(lock.id));
    }
    hubs.push_back(json::object{{"id", hub.id}, {"locks", std::move(behind)}});
  }
  return json::serialize(json::object{{"v", 1},
                                      {"site", config.site},
                                      {"seed", config.seed},
                                      {"locks", std::move(locks)},
                                      {"hubs", std::move(hubs)}});
}

SimResult<void> write_manifest(const std::filesystem::path& path, const FleetConfig& config) {
  std::string text = manifest_json(config);
  text.push_back('\n');
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  auto failed = [&](std::string_view step) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return sim_fail(SimErrorCode::io_error,
                    fmt::format("cannot {} {}: {}", step, path.string(), std::strerror(error)));
  };
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return failed("create");
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return failed("write");
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  if (::close(fd) != 0 || !synced) return failed("write");
  if (::rename(temporary.c_str(), path.c_str()) != 0) return failed("replace");
  return {};
}

}  // namespace sim
