#pragma once
// live::Bus: in-process publish/subscribe of live updates (a lock's state, a command's progress,
// a code's fan-out progress) for the server-sent event streams. Everything runs on the server's
// one io_context thread; a handler may subscribe, unsubscribe or publish from inside a callback.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace server::live {

struct Update {
  std::string site;   // which site it concerns: streams are filtered by site
  std::string topic;  // what kind of update, e.g. "lock", "command", "fanout"
  std::string json;   // the update itself, a JSON object
};

class Bus {
 public:
  using Handler = std::function<void(const Update&)>;

  // Unsubscribes when destroyed (or reset); safe to outlive the Bus.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(Subscription&&) noexcept = default;
    Subscription& operator=(Subscription&&) noexcept = default;
    ~Subscription() { reset(); }
    void reset();

   private:
    friend class Bus;
    struct Registry;
    Subscription(std::weak_ptr<Registry> registry, std::uint64_t id)
        : registry_(std::move(registry)), id_(id) {}
    std::weak_ptr<Registry> registry_;
    std::uint64_t id_ = 0;
  };

  Bus();

  // `site` empty: every site's updates.
  [[nodiscard]] Subscription subscribe(std::string site, Handler handler);
  // Calls every handler subscribed to this site (or to all) at the time of the call, in the order
  // they subscribed. One that unsubscribes before its turn is skipped.
  void publish(const Update& update);

  std::size_t subscribers() const;

 private:
  std::shared_ptr<Subscription::Registry> registry_;
};

}  // namespace server::live
