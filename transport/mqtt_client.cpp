#include "transport/mqtt_client.hpp"

#include <algorithm>
#include <cerrno>
#include <mqtt_protocol.h>
#include <sys/socket.h>
#include <utility>
#include <vector>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <mosquitto.h>

#include "transport/backoff.hpp"
#include "transport/mosquitto_runtime.hpp"

namespace transport {

namespace asio = boost::asio;
using lockcore::fail;

std::string_view to_string(ConnectOutcome outcome) {
  switch (outcome) {
    case ConnectOutcome::accepted:
      return "accepted";
    case ConnectOutcome::bad_credentials:
      return "bad_credentials";
    case ConnectOutcome::not_authorized:
      return "not_authorized";
    case ConnectOutcome::refused:
      return "refused";
    case ConnectOutcome::network_error:
      return "network_error";
  }
  return "unknown";
}

namespace {

struct Classified {
  ConnectOutcome outcome;
  bool transient;  // worth retrying: the broker may accept later
};

Classified classify_connack(MqttVersion version, int code) {
  if (code == 0) return {ConnectOutcome::accepted, false};
  if (version == MqttVersion::v311) {
    switch (code) {
      case CONNACK_REFUSED_BAD_USERNAME_PASSWORD:
        return {ConnectOutcome::bad_credentials, false};
      case CONNACK_REFUSED_NOT_AUTHORIZED:
        return {ConnectOutcome::not_authorized, false};
      case CONNACK_REFUSED_SERVER_UNAVAILABLE:
        return {ConnectOutcome::refused, true};
      default:
        return {ConnectOutcome::refused, false};
    }
  }
  switch (code) {
    case MQTT_RC_BAD_USERNAME_OR_PASSWORD:
      return {ConnectOutcome::bad_credentials, false};
    case MQTT_RC_NOT_AUTHORIZED:
      return {ConnectOutcome::not_authorized, false};
    case MQTT_RC_SERVER_UNAVAILABLE:
    case MQTT_RC_SERVER_BUSY:
    case MQTT_RC_CONNECTION_RATE_EXCEEDED:
    case MQTT_RC_QUOTA_EXCEEDED:
      return {ConnectOutcome::refused, true};
    default:
      return {ConnectOutcome::refused, false};
  }
}

TransportError map_mosq_error(int rc) {
  switch (rc) {
    case MOSQ_ERR_NO_CONN:
      return TransportError::not_connected;
    case MOSQ_ERR_PAYLOAD_SIZE:
    case MOSQ_ERR_OVERSIZE_PACKET:
      return TransportError::payload_too_large;
    case MOSQ_ERR_MALFORMED_UTF8:
      return TransportError::invalid_topic;
    case MOSQ_ERR_INVAL:
      return TransportError::invalid_argument;
    case MOSQ_ERR_QOS_NOT_SUPPORTED:
    case MOSQ_ERR_RETAIN_NOT_SUPPORTED:
      return TransportError::refused;
    case MOSQ_ERR_NOMEM:
      return TransportError::no_memory;
    case MOSQ_ERR_CONN_LOST:
    case MOSQ_ERR_ERRNO:
    case MOSQ_ERR_PROTOCOL:
      return TransportError::connection_lost;
    default:
      return TransportError::internal;
  }
}

// libmosquitto wants NUL-terminated topics; a topic is short, so copy it on the stack.
class CString {
 public:
  explicit CString(std::string_view text) {
    if (text.size() < sizeof(small_)) {
      std::copy(text.begin(), text.end(), small_);
      small_[text.size()] = '\0';
      data_ = small_;
    } else {
      large_.assign(text);
      data_ = large_.c_str();
    }
  }
  const char* c_str() const { return data_; }

 private:
  char small_[256];
  std::string large_;
  const char* data_;
};

bool has_nul(std::string_view text) {
  return text.find('\0') != std::string_view::npos;
}

}  // namespace

class MqttClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, ClientOptions&& options)
      : io_(io),
        descriptor_(io),
        timer_(io),
        host_(std::move(options.host)),
        port_(options.port),
        keepalive_s_(
            static_cast<int>(std::clamp<std::int64_t>(options.keepalive.count(), 5, 65535))),
        max_payload_(options.max_payload_bytes),
        gate_(std::move(options.connect_gate)),
        version_(options.version),
        backoff_(
            options.reconnect_initial, options.reconnect_max,
            options.jitter_seed != 0
                ? options.jitter_seed
                : seed_from(options.client_id.empty() ? options.username : options.client_id)) {}

  ~Impl() { destroy_handle(); }

  lockcore::Result<void, TransportError> init(const ClientOptions& options) {
    const std::string& id = options.client_id.empty() ? options.username : options.client_id;
    mosq_ = new_mosquitto_handle(id.empty() ? nullptr : id.c_str(), options.clean_session, this);
    if (mosq_ == nullptr) return fail(TransportError::no_memory);
    int rc =
        mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION,
                             version_ == MqttVersion::v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
    // Commands and acks are tiny and latency matters more than packet count.
    if (rc == MOSQ_ERR_SUCCESS) rc = mosquitto_int_option(mosq_, MOSQ_OPT_TCP_NODELAY, 1);
    if (rc == MOSQ_ERR_SUCCESS && !options.username.empty()) {
      rc = mosquitto_username_pw_set(mosq_, options.username.c_str(),
                                     options.password.empty() ? nullptr : options.password.c_str());
    }
    if (rc == MOSQ_ERR_SUCCESS && options.will) {
      const Will& will = *options.will;
      if (has_nul(will.topic)) return fail(TransportError::invalid_topic);
      rc = mosquitto_will_set(mosq_, will.topic.c_str(), static_cast<int>(will.payload.size()),
                              will.payload.data(), will.qos, will.retain);
    }
    if (rc == MOSQ_ERR_SUCCESS && version_ == MqttVersion::v5 && !options.clean_session) {
      rc = store_session_expiry(options.session_expiry_s);
    }
    if (rc != MOSQ_ERR_SUCCESS) {
      return fail(rc == MOSQ_ERR_NOMEM ? TransportError::no_memory
                                       : TransportError::invalid_argument);
    }
    mosquitto_connect_v5_callback_set(mosq_, &Impl::on_connack_cb);
    mosquitto_disconnect_v5_callback_set(mosq_, &Impl::on_disconnect_cb);
    mosquitto_message_v5_callback_set(mosq_, &Impl::on_message_cb);
    mosquitto_publish_v5_callback_set(mosq_, &Impl::on_publish_cb);
    mosquitto_subscribe_v5_callback_set(mosq_, &Impl::on_subscribe_cb);
    return {};
  }

  // ---- public operations ------------------------------------------------------------------

  void connect() {
    if (closed_ || state_ != ClientState::idle) return;
    backoff_.reset();
    begin_attempt();
  }

  void disconnect() {
    switch (state_) {
      case ClientState::idle:
      case ClientState::disconnecting:
        return;
      case ClientState::backing_off:
        cancel_timer();
        ++gate_ticket_;  // a queued ConnectGate turn is no longer wanted
        state_ = ClientState::idle;
        return;
      case ClientState::connecting:
      case ClientState::connected:
        break;
    }
    state_ = ClientState::disconnecting;
    const int rc = version_ == MqttVersion::v5
                       ? mosquitto_disconnect_v5(mosq_, MQTT_RC_NORMAL_DISCONNECTION, nullptr)
                       : mosquitto_disconnect(mosq_);
    if (rc != MOSQ_ERR_SUCCESS) {
      // No socket to say goodbye on; libmosquitto will not call back.
      release_slot();
      detach();
      cancel_timer();
      state_ = ClientState::idle;
      return;
    }
    after_mosquitto_call();
  }

  void drop_connection() {
    if (state_ != ClientState::connected || !descriptor_.is_open()) return;
    // Both directions: the broker sees the connection end without DISCONNECT, and our next read
    // sees end-of-file, which takes the ordinary connection-lost path.
    ::shutdown(descriptor_.native_handle(), SHUT_RDWR);
  }

  lockcore::Result<int, TransportError> publish(std::string_view topic, std::string_view payload,
                                                int qos, bool retain) {
    if (qos < 0 || qos > 2) return fail(TransportError::invalid_argument);
    if (payload.size() > max_payload_) return fail(TransportError::payload_too_large);
    if (topic.empty() || has_nul(topic)) return fail(TransportError::invalid_topic);
    const CString c_topic(topic);
    if (mosquitto_pub_topic_check(c_topic.c_str()) != MOSQ_ERR_SUCCESS) {
      return fail(TransportError::invalid_topic);
    }
    if (state_ != ClientState::connected) return fail(TransportError::not_connected);
    int mid = 0;
    const int rc =
        mosquitto_publish_v5(mosq_, &mid, c_topic.c_str(), static_cast<int>(payload.size()),
                             payload.data(), qos, retain, nullptr);
    after_mosquitto_call();
    if (rc != MOSQ_ERR_SUCCESS) return fail(map_mosq_error(rc));
    return mid;
  }

  lockcore::Result<int, TransportError> subscribe(std::string_view filter, int qos) {
    if (qos < 0 || qos > 2) return fail(TransportError::invalid_argument);
    if (filter.empty() || has_nul(filter)) return fail(TransportError::invalid_topic);
    std::string owned(filter);
    if (mosquitto_sub_topic_check(owned.c_str()) != MOSQ_ERR_SUCCESS) {
      return fail(TransportError::invalid_topic);
    }
    auto found = std::find_if(subscriptions_.begin(), subscriptions_.end(),
                              [&](const Subscription& s) { return s.filter == owned; });
    if (found != subscriptions_.end()) {
      found->qos = static_cast<std::uint8_t>(qos);
    } else {
      subscriptions_.push_back({std::move(owned), static_cast<std::uint8_t>(qos)});
      found = subscriptions_.end() - 1;
    }
    if (state_ != ClientState::connected) return 0;
    int mid = 0;
    const int rc = mosquitto_subscribe_v5(mosq_, &mid, found->filter.c_str(), qos, 0, nullptr);
    after_mosquitto_call();
    if (rc != MOSQ_ERR_SUCCESS) return fail(map_mosq_error(rc));
    return mid;
  }

  ClientState state() const { return state_; }

  // Called by ~MqttClient. Inside one of our callbacks libmosquitto is still on the stack, so the
  // handle is destroyed only once the callback has returned.
  void close() {
    closed_ = true;
    handlers_ = Handlers{};
    if (callback_depth_ > 0) {
      asio::post(io_, [self = shared_from_this()] { self->destroy_handle(); });
      return;
    }
    destroy_handle();
  }

  struct Handlers {
    ConnectHandler connect;
    DisconnectHandler disconnect;
    MessageHandler message;
    PublishedHandler published;
    SubscribedHandler subscribed;
  } handlers_;

 private:
  struct Subscription {
    std::string filter;
    std::uint8_t qos;
  };

  // A v5 session outlives its connection only with a Session Expiry Interval in CONNECT, and
  // libmosquitto takes CONNECT properties only through the blocking mosquitto_connect_bind_v5().
  // That function stores the properties before it validates its other arguments, where an invalid
  // port stops it before any connection; connect_bind_async and reconnect_async then send the
  // stored properties. tests/integration pins the effect (a v5 persistent session survives).
  int store_session_expiry(std::uint32_t seconds) {
    mosquitto_property* properties = nullptr;
    int rc = mosquitto_property_add_int32(&properties, MQTT_PROP_SESSION_EXPIRY_INTERVAL, seconds);
    if (rc == MOSQ_ERR_SUCCESS) {
      rc = mosquitto_connect_bind_v5(mosq_, host_.c_str(), -1, keepalive_s_, nullptr, properties);
      rc = rc == MOSQ_ERR_INVAL ? MOSQ_ERR_SUCCESS : MOSQ_ERR_UNKNOWN;
    }
    mosquitto_property_free_all(&properties);
    return rc;
  }

  // ---- connection attempts ------------------------------------------------------------------

  void attempt() {
    refusal_ = std::nullopt;
    errno = 0;
    // The first attempt gives libmosquitto the address; it keeps it for reconnect_async.
    const int rc = first_attempt_done_ ? mosquitto_reconnect_async(mosq_)
                                       : mosquitto_connect_bind_async(mosq_, host_.c_str(), port_,
                                                                      keepalive_s_, nullptr);
    first_attempt_done_ = true;
    if (rc != MOSQ_ERR_SUCCESS) {
      const int sys_errno = rc == MOSQ_ERR_ERRNO ? errno : 0;
      release_slot();
      retry_later();
      report_connect({ConnectOutcome::network_error, -1, sys_errno, false, true});
      return;
    }
    state_ = ClientState::connecting;
    attach();
    start_misc_timer();
    arm_write();
  }

  void retry_later() {
    state_ = ClientState::backing_off;
    const auto delay = backoff_.next();
    const std::uint32_t generation = ++timer_generation_;
    timer_.expires_after(delay);
    timer_.async_wait([self = shared_from_this(), generation](boost::system::error_code ec) {
      if (ec || generation != self->timer_generation_ || self->closed_) return;
      if (self->state_ == ClientState::backing_off) self->begin_attempt();
    });
  }

  // Attempts now, or once the fleet's ConnectGate has a slot. Waiting for it counts as backing off.
  void begin_attempt() {
    if (!gate_) {
      attempt();
      return;
    }
    state_ = ClientState::backing_off;
    const std::uint32_t ticket = ++gate_ticket_;
    gate_->acquire([weak = weak_from_this(), ticket] {
      auto self = weak.lock();
      if (!self || !self->wants_slot(ticket)) return false;
      ++self->slots_held_;
      // Not from inside whichever client released the slot: our own handler, our own stack.
      asio::post(self->io_, [self, ticket] {
        if (self->wants_slot(ticket))
          self->attempt();
        else
          self->release_slot();
      });
      return true;
    });
  }

  bool wants_slot(std::uint32_t ticket) const {
    return !closed_ && ticket == gate_ticket_ && state_ == ClientState::backing_off;
  }

  // Normally at most one slot is held; two only briefly, when a turn granted to a cancelled
  // attempt is still on its way back while a new attempt got its own.
  void release_slot() {
    if (slots_held_ == 0) return;
    --slots_held_;
    gate_->release();
  }

  // ---- socket plumbing ----------------------------------------------------------------------

  void attach() {
    const int fd = mosquitto_socket(mosq_);
    if (fd < 0) return;
    boost::system::error_code ec;
    descriptor_.assign(fd, ec);
    if (ec) return;
    ++io_generation_;
    arm_read();
  }

  // Never closes: the descriptor is libmosquitto's. release() also cancels our pending waits.
  // Where we close the socket ourselves (reconnect_async, destroy) we detach first. Where
  // libmosquitto closes it (connection lost, DISCONNECT written, keepalive expired) it calls
  // on_disconnect from the same stack right after close(), and we detach there: nothing on this
  // thread can have reused the number in between, and the kernel has already dropped a closed
  // descriptor from epoll, so release()'s EPOLL_CTL_DEL harmlessly fails.
  void detach() {
    if (!descriptor_.is_open()) return;
    ++io_generation_;
    read_armed_ = false;
    write_armed_ = false;
    (void)descriptor_.release();
  }

  void arm_read() {
    if (read_armed_ || !descriptor_.is_open()) return;
    read_armed_ = true;
    descriptor_.async_wait(asio::posix::stream_descriptor::wait_read,
                           [self = shared_from_this(), g = io_generation_](
                               boost::system::error_code ec) { self->on_ready(g, ec, false); });
  }

  void arm_write() {
    if (write_armed_ || !descriptor_.is_open() || !mosquitto_want_write(mosq_)) return;
    write_armed_ = true;
    descriptor_.async_wait(asio::posix::stream_descriptor::wait_write,
                           [self = shared_from_this(), g = io_generation_](
                               boost::system::error_code ec) { self->on_ready(g, ec, true); });
  }

  void on_ready(std::uint32_t generation, boost::system::error_code ec, bool writable) {
    if (generation != io_generation_ || closed_) return;  // released since: not ours any more
    (writable ? write_armed_ : read_armed_) = false;
    if (ec) {
      connection_broken(MOSQ_ERR_ERRNO);
      return;
    }
    if (writable)
      mosquitto_loop_write(mosq_, 1);
    else
      mosquitto_loop_read(mosq_, 1);
    after_mosquitto_call();
  }

  // After anything that may have queued packets or closed the socket behind our back.
  void after_mosquitto_call() {
    if (closed_) return;
    if (descriptor_.is_open() && mosquitto_socket(mosq_) != descriptor_.native_handle()) {
      // libmosquitto closed the socket without telling us (it always calls on_disconnect
      // today); treat it as lost rather than wait on a descriptor that is gone.
      connection_broken(MOSQ_ERR_CONN_LOST);
      return;
    }
    arm_read();
    arm_write();
  }

  // Our wait failed, or the socket vanished: libmosquitto still holds whatever socket it has and
  // closes it in the next reconnect_async.
  void connection_broken(int reason) {
    detach();
    handle_closed(reason);
  }

  void start_misc_timer() {
    const std::uint32_t generation = ++timer_generation_;
    // Keepalive pings and the CONNACK deadline are checked by loop_misc; a quarter of the
    // keepalive keeps a PINGREQ well inside the broker's 1.5 x keepalive allowance.
    timer_.expires_after(std::chrono::milliseconds(keepalive_s_ * 250));
    timer_.async_wait([self = shared_from_this(), generation](boost::system::error_code ec) {
      if (ec || generation != self->timer_generation_ || self->closed_) return;
      if (self->state_ != ClientState::connecting && self->state_ != ClientState::connected &&
          self->state_ != ClientState::disconnecting) {
        return;
      }
      mosquitto_loop_misc(self->mosq_);
      self->after_mosquitto_call();
      if (self->descriptor_.is_open()) self->start_misc_timer();
    });
  }

  void cancel_timer() {
    ++timer_generation_;
    timer_.cancel();
  }

  // ---- state changes driven by libmosquitto -------------------------------------------------

  void handle_connack(int code, int flags) {
    release_slot();
    // disconnect() came first and its DISCONNECT is still on its way: stay on that path.
    if (state_ == ClientState::disconnecting) return;
    const Classified c = classify_connack(version_, code);
    if (c.outcome != ConnectOutcome::accepted) {
      // libmosquitto closes the socket next (on_disconnect); decide then whether to retry.
      refusal_ = c.transient;
      report_connect({c.outcome, code, 0, false, c.transient});
      return;
    }
    state_ = ClientState::connected;
    backoff_.reset();
    const bool session_present = (flags & 1) != 0;
    for (const Subscription& s : subscriptions_) {
      mosquitto_subscribe_v5(mosq_, nullptr, s.filter.c_str(), s.qos, 0, nullptr);
    }
    report_connect({ConnectOutcome::accepted, code, 0, session_present, false});
  }

  // libmosquitto has closed its socket (or we gave up on it).
  void handle_closed(int reason) {
    detach();
    release_slot();
    const ClientState was = state_;
    if (was == ClientState::idle || was == ClientState::backing_off) return;
    if (was == ClientState::disconnecting) {
      cancel_timer();
      state_ = ClientState::idle;
      report_disconnect({true, reason});
      return;
    }
    if (was == ClientState::connecting) {
      if (refusal_.has_value() && !*refusal_) {
        cancel_timer();
        state_ = ClientState::idle;  // refused for good: reported in handle_connack
        return;
      }
      const bool reported = refusal_.has_value();
      retry_later();
      if (!reported) report_connect({ConnectOutcome::network_error, -1, 0, false, true});
      return;
    }
    retry_later();  // was connected
    report_disconnect({false, reason});
  }

  void report_connect(const ConnectResult& result) {
    if (handlers_.connect) invoke(handlers_.connect, result);
  }
  void report_disconnect(const DisconnectInfo& info) {
    if (handlers_.disconnect) invoke(handlers_.disconnect, info);
  }

  template <class Handler, class Arg>
  void invoke(Handler& handler, const Arg& arg) {
    ++callback_depth_;
    // A copy: the handler may replace itself, or destroy the client, while it runs.
    Handler keep = handler;
    keep(arg);
    --callback_depth_;
  }

  void destroy_handle() {
    detach();
    cancel_timer();
    ++gate_ticket_;
    while (slots_held_ > 0)
      release_slot();
    if (mosq_ != nullptr) {
      mosquitto_destroy(mosq_);  // closes the socket without DISCONNECT: the will goes out
      mosq_ = nullptr;
    }
    state_ = ClientState::idle;
  }

  // ---- libmosquitto callbacks (run inside loop_read/loop_write/loop_misc/disconnect) --------

  static Impl* self_of(void* user_data) {
    auto* self = static_cast<Impl*>(user_data);
    return self->closed_ ? nullptr : self;
  }

  static void on_connack_cb(mosquitto*, void* user_data, int code, int flags,
                            const mosquitto_property*) {
    if (Impl* self = self_of(user_data)) self->handle_connack(code, flags);
  }

  static void on_disconnect_cb(mosquitto*, void* user_data, int reason, const mosquitto_property*) {
    // The socket is already closed: release it before anything can reuse its number.
    if (Impl* self = self_of(user_data)) self->handle_closed(reason);
  }

  static void on_message_cb(mosquitto*, void* user_data, const mosquitto_message* message,
                            const mosquitto_property*) {
    Impl* self = self_of(user_data);
    if (self == nullptr || !self->handlers_.message) return;
    const InboundMessage inbound{message->topic,
                                 std::string_view(static_cast<const char*>(message->payload),
                                                  static_cast<std::size_t>(message->payloadlen)),
                                 message->qos, message->retain};
    self->invoke(self->handlers_.message, inbound);
  }

  static void on_publish_cb(mosquitto*, void* user_data, int mid, int reason,
                            const mosquitto_property*) {
    Impl* self = self_of(user_data);
    if (self == nullptr || !self->handlers_.published) return;
    self->invoke(self->handlers_.published, PublishAck{mid, reason});
  }

  static void on_subscribe_cb(mosquitto*, void* user_data, int mid, int count, const int* granted,
                              const mosquitto_property*) {
    Impl* self = self_of(user_data);
    if (self == nullptr || !self->handlers_.subscribed) return;
    self->invoke(self->handlers_.subscribed,
                 SubscribeAck{mid, std::span<const int>(granted, static_cast<std::size_t>(count))});
  }

  asio::io_context& io_;
  asio::posix::stream_descriptor descriptor_;  // non-owning view of libmosquitto's socket
  asio::steady_timer timer_;                   // keepalive ticks when connected, backoff when not
  mosquitto* mosq_ = nullptr;
  std::string host_;
  std::uint16_t port_;
  int keepalive_s_;
  std::size_t max_payload_;
  std::shared_ptr<ConnectGate> gate_;
  MqttVersion version_;
  ClientState state_ = ClientState::idle;
  bool first_attempt_done_ = false;
  bool read_armed_ = false;
  bool write_armed_ = false;
  bool closed_ = false;
  std::uint32_t slots_held_ = 0;  // gate_'s connecting slots that are ours
  std::uint32_t gate_ticket_ = 0;
  std::optional<bool> refusal_;  // set by a refusing CONNACK: is it worth retrying?
  std::uint32_t io_generation_ = 0;
  std::uint32_t timer_generation_ = 0;
  std::uint32_t callback_depth_ = 0;
  ReconnectBackoff backoff_;
  std::vector<Subscription> subscriptions_;
};

// ---- MqttClient: a thin handle --------------------------------------------------------------

lockcore::Result<MqttClient, TransportError> MqttClient::create(asio::io_context& io,
                                                                ClientOptions options) {
  ClientOptions copy_for_init = options;  // init needs the strings; Impl keeps only a few
  auto impl = std::make_shared<Impl>(io, std::move(options));
  auto ok = impl->init(copy_for_init);
  if (!ok) {
    impl->close();
    return fail(ok.error());
  }
  return MqttClient(std::move(impl));
}

MqttClient::MqttClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
MqttClient::MqttClient(MqttClient&&) noexcept = default;
MqttClient& MqttClient::operator=(MqttClient&& other) noexcept {
  if (this != &other) {
    if (impl_) impl_->close();
    impl_ = std::move(other.impl_);
  }
  return *this;
}
MqttClient::~MqttClient() {
  if (impl_) impl_->close();
}

void MqttClient::on_connect(ConnectHandler handler) {
  impl_->handlers_.connect = std::move(handler);
}
void MqttClient::on_disconnect(DisconnectHandler handler) {
  impl_->handlers_.disconnect = std::move(handler);
}
void MqttClient::on_message(MessageHandler handler) {
  impl_->handlers_.message = std::move(handler);
}
void MqttClient::on_published(PublishedHandler handler) {
  impl_->handlers_.published = std::move(handler);
}
void MqttClient::on_subscribed(SubscribedHandler handler) {
  impl_->handlers_.subscribed = std::move(handler);
}

void MqttClient::connect() {
  impl_->connect();
}
void MqttClient::disconnect() {
  impl_->disconnect();
}
void MqttClient::drop_connection() {
  impl_->drop_connection();
}

lockcore::Result<int, TransportError> MqttClient::publish(std::string_view topic,
                                                          std::string_view payload, int qos,
                                                          bool retain) {
  return impl_->publish(topic, payload, qos, retain);
}

lockcore::Result<int, TransportError> MqttClient::subscribe(std::string_view filter, int qos) {
  return impl_->subscribe(filter, qos);
}

ClientState MqttClient::state() const {
  return impl_->state();
}

}  // namespace transport
