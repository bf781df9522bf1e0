#pragma once
// An MqttClient that records everything it is told, for tests to wait on and assert against.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "transport/mqtt_client.hpp"

namespace testsupport {

struct ReceivedMessage {
  std::string topic;
  std::string payload;
  int qos = 0;
  bool retained = false;
};

struct ReceivedSubAck {
  int message_id = 0;
  std::vector<int> granted;
};

class RecordingClient {
 public:
  // ADD_FAILURE()s when the client cannot be created (then every call is a no-op that fails).
  RecordingClient(boost::asio::io_context& io, transport::ClientOptions options);
  RecordingClient(const RecordingClient&) = delete;
  RecordingClient& operator=(const RecordingClient&) = delete;

  transport::MqttClient& client() { return *client_; }
  bool valid() const { return client_ != nullptr; }

  bool connected() const;
  int accepted_connects() const;
  // Messages received on exactly this topic.
  std::vector<const ReceivedMessage*> on_topic(std::string_view topic) const;
  bool acked(int message_id) const;
  int ack_reason(int message_id) const;  // -1 when not acked
  const ReceivedSubAck* suback(int message_id) const;

  std::vector<transport::ConnectResult> connects;
  std::vector<transport::DisconnectInfo> disconnects;
  std::vector<ReceivedMessage> messages;
  std::vector<transport::PublishAck> acks;
  std::vector<ReceivedSubAck> subacks;

 private:
  std::unique_ptr<transport::MqttClient> client_;
};

}  // namespace testsupport
