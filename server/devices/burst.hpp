#pragma once
// Burst: collects what arrives while the io_context is busy and hands it over in one piece, once,
// as soon as the io_context gets to it. Messages that arrive together (a 10,000-lock fan-out's
// reports, a lock's resent events) are then written in one transaction instead of one each, with
// no timer and no waiting on the clock.

#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace server::devices {

template <class Item>
class Burst {
 public:
  using Flush = std::function<void(std::vector<Item>& items)>;

  Burst(boost::asio::io_context& io, Flush flush) : io_(io), flush_(std::move(flush)) {}
  ~Burst() { *alive_ = false; }
  Burst(const Burst&) = delete;
  Burst& operator=(const Burst&) = delete;

  void add(Item item) {
    items_.push_back(std::move(item));
    if (posted_) return;
    posted_ = true;
    boost::asio::post(io_, [this, alive = alive_] {
      if (*alive) flush();
    });
  }

  // Hands over what is collected now (also what the posted flush does).
  void flush() {
    posted_ = false;
    if (items_.empty()) return;
    std::vector<Item> items = std::move(items_);
    items_.clear();
    flush_(items);
  }

  std::size_t size() const { return items_.size(); }

 private:
  boost::asio::io_context& io_;
  Flush flush_;
  std::vector<Item> items_;
  bool posted_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace server::devices
