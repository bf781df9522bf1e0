#include "server/notify/retry_ladder.hpp"

namespace server::notify {

const RetryLadder& RetryLadder::standard() {
  using namespace std::chrono;
  static const RetryLadder kLadder(
      {seconds(0), seconds(5), minutes(5), minutes(30), hours(2), hours(5), hours(10), hours(10)});
  return kLadder;
}

std::optional<lockcore::UnixMs> RetryLadder::next_attempt(std::int64_t failures,
                                                          lockcore::UnixMs now) const {
  const auto step = static_cast<std::size_t>(failures < 1 ? 1 : failures);
  if (step >= steps_.size()) return std::nullopt;
  return now + steps_[step].count();
}

}  // namespace server::notify
