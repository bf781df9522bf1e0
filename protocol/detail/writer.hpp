#pragma once
// The encoding side of a message description (see schema.hpp): compact JSON, keys in the order
// the description names them, so equal messages always encode to the same bytes.

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>

namespace protocol::detail {

class Writer {
 public:
  // ---- the description interface, shared with Reader ----
  template <class T, class Kind>
  void field(std::string_view key, const T& value, const Kind& kind) {
    name(key);
    kind.write(*this, value);
  }
  // Written only when the value differs from `absent`; returns whether it was written.
  template <class T, class Kind>
  bool optional(std::string_view key, const T& value, const Kind& kind, const T& absent) {
    if (value == absent) return false;
    field(key, value, kind);
    return true;
  }
  template <class Fn>
  void object(std::string_view key, Fn&& fn) {
    name(key);
    begin_object();
    fn(*this);
    end_object();
  }
  template <class Fn>
  void optional_object(std::string_view key, bool present, Fn&& fn) {
    if (present) object(key, fn);
  }
  template <class Items, class Fn>
  void objects(std::string_view key, const Items& items, Fn&& fn) {
    name(key);
    begin_array();
    for (const auto& item : items) {
      begin_object();
      fn(*this, item);
      end_object();
    }
    end_array();
  }
  template <class Items, class Kind>
  void values(std::string_view key, const Items& items, const Kind& kind) {
    name(key);
    begin_array();
    for (const auto& item : items)
      kind.write(*this, item);
    end_array();
  }
  // Cross-field checks concern decoding only.
  template <class Check>
  void validate(Check&&) {}

  // ---- what field kinds write ----
  template <std::integral T>
  void integer(T value) {
    char buffer[24];
    auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    scalar(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
  }
  void boolean(bool value) { scalar(value ? "true" : "false"); }
  void string(std::string_view text);  // escaped as JSON requires
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  void begin_object() { open('{'); }
  void end_object() { close('}'); }

  std::string take() { return std::move(out_); }

 private:
  void separate() {
    if (comma_) out_ += ',';
  }
  void name(std::string_view key) {
    separate();
    out_ += '"';
    out_.append(key);
    out_ += "\":";
    comma_ = false;
  }
  void scalar(std::string_view text) {
    separate();
    out_.append(text);
    comma_ = true;
  }
  void open(char c) {
    separate();
    out_ += c;
    comma_ = false;
  }
  void close(char c) {
    out_ += c;
    comma_ = true;
  }

  std::string out_;
  bool comma_ = false;  // the next key or array item needs a comma before it
};

}  // namespace protocol::detail
