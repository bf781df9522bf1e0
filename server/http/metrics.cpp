#include "server/http/metrics.hpp"

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

namespace server::http {

namespace {

bool valid_name(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string escape(std::string_view text, bool quote) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out.push_back(c);
  }
  return out;
}

std::string label_text(const Labels& labels, const std::string& extra = {}) {
  std::string out;
  for (const auto& [k, v] : labels)
    out += fmt::format("{}{}=\"{}\"", out.empty() ? "" : ",", k, escape(v, true));
  if (!extra.empty()) out += (out.empty() ? "" : ",") + extra;
  return out.empty() ? "" : "{" + out + "}";
}

std::string number(double v) {
  if (v == static_cast<double>(static_cast<std::int64_t>(v)) && v < 1e15 && v > -1e15) {
    return std::to_string(static_cast<std::int64_t>(v));
  }
  return fmt::format("{}", v);
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double v) {
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i])
    ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative() const {
  std::vector<std::uint64_t> out;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
    out.push_back(total);
  }
  return out;
}

Registry::Family& Registry::family(const std::string& name, const std::string& help, Kind kind,
                                   const Labels& labels) {
  bool ok = valid_name(name);
  for (const auto& label : labels)
    ok = ok && valid_name(label.first) && label.first != "le";
  auto [it, added] = families_.try_emplace(name, Family{kind, help, {}, {}, {}});
  if (!ok || it->second.kind != kind) {
    std::fprintf(stderr, "metrics: \"%s\" is malformed or registered with another type\n",
                 name.c_str());
    std::abort();
  }
  return it->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Kind::counter, labels).counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Kind::gauge, labels).gauges[labels];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const Labels& labels, std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Kind::histogram, labels).histograms[labels];
  if (!slot) {
    if (bounds.empty())
      bounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    slot = std::make_unique<Histogram>(std::move(bounds));
  }
  return *slot;
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    static constexpr const char* kTypes[] = {"counter", "gauge", "histogram"};
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape(f.help, false), name,
                       kTypes[static_cast<int>(f.kind)]);
    for (const auto& [labels, c] : f.counters) {
      out += fmt::format("{}{} {}\n", name, label_text(labels), c->value());
    }
    for (const auto& [labels, g] : f.gauges) {
      out += fmt::format("{}{} {}\n", name, label_text(labels), number(g->value()));
    }
    for (const auto& [labels, h] : f.histograms) {
      std::vector<std::uint64_t> counts = h->cumulative();
      for (std::size_t i = 0; i < h->bounds().size(); ++i) {
        out += fmt::format("{}_bucket{} {}\n", name,
                           label_text(labels, "le=\"" + number(h->bounds()[i]) + "\""), counts[i]);
      }
      out +=
          fmt::format("{}_bucket{} {}\n", name, label_text(labels, "le=\"+Inf\""), counts.back());
      out += fmt::format("{}_sum{} {}\n", name, label_text(labels), number(h->sum()));
      out += fmt::format("{}_count{} {}\n", name, label_text(labels), counts.back());
    }
  }
  return out;
}

}  // namespace server::http
