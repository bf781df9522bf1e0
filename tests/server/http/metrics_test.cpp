// The metrics registry and its Prometheus text rendering.

#include "server/http/metrics.hpp"

#include <gtest/gtest.h>

namespace server::http {
namespace {

TEST(Metrics, RendersCountersGaugesAndHistogramsInPrometheusText) {
  Registry registry;
  registry.counter("lk_requests_total", "Requests", {{"route", "/a"}}).inc(2);
  registry.counter("lk_requests_total", "Requests", {{"route", "/b\"x"}}).inc();
  registry.gauge("lk_open", "Open things").set(1.5);
  Histogram& h = registry.histogram("lk_latency_seconds", "Latency", {}, {0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(7);
  EXPECT_EQ(registry.render(),
            "# HELP lk_latency_seconds Latency\n"
            "# TYPE lk_latency_seconds histogram\n"
            "lk_latency_seconds_bucket{le=\"0.1\"} 1\n"
            "lk_latency_seconds_bucket{le=\"1\"} 2\n"
            "lk_latency_seconds_bucket{le=\"+Inf\"} 3\n"
            "lk_latency_seconds_sum 7.55\n"
            "lk_latency_seconds_count 3\n"
            "# HELP lk_open Open things\n"
            "# TYPE lk_open gauge\n"
            "lk_open 1.5\n"
            "# HELP lk_requests_total Requests\n"
            "# TYPE lk_requests_total counter\n"
            "lk_requests_total{route=\"/a\"} 2\n"
            "lk_requests_total{route=\"/b\\\"x\"} 1\n");
}

TEST(Metrics, TheSameNameAndLabelsIsTheSameMetric) {
  Registry registry;
  Counter& a = registry.counter("lk_x_total", "X", {{"k", "v"}});
  Counter& b = registry.counter("lk_x_total", "X", {{"k", "v"}});
  EXPECT_EQ(&a, &b);
}

TEST(MetricsDeathTest, ANameUsedWithTwoTypesOrMalformedStopsStartUp) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        Registry r;
        r.counter("lk_x", "X");
        r.gauge("lk_x", "X");
      },
      "another type");
  EXPECT_DEATH(Registry().counter("1bad", "X"), "malformed");
  EXPECT_DEATH(Registry().counter("lk_y", "Y", {{"le", "1"}}), "malformed");
}

}  // namespace
}  // namespace server::http
