// The OpenAPI document and the router agree: every route the server answers is documented with
// the same method and path, and every documented operation is a route. A new route without its
// documentation (or a stale entry) fails here. The router is the one a real Node composes, so
// every domain's routes are checked without this file naming them.

#include <algorithm>
#include <set>

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "runtime/virtual_scheduler.hpp"
#include "server/api/routes.hpp"
#include "server/http/error.hpp"
#include "server/node/node.hpp"
#include "tests/server/http/dispatch.hpp"
#include "tests/support/temp_dir.hpp"

namespace server::api {
namespace {

namespace json = boost::json;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

class OpenApiTest : public ::testing::Test {
 protected:
  OpenApiTest() {
    config::Config config;
    config.store.path = dir_.file("latchkey.db");
    auto node = Node::open(io_, scheduler_, config);
    EXPECT_TRUE(node.ok()) << (node.ok() ? "" : node.error());
    if (node.ok()) node_ = std::move(*node);
    document_ = json::parse(openapi_document()).as_object();
  }
  const http::Router& router() const { return node_->router(); }

  testsupport::TempDir dir_;
  boost::asio::io_context io_;
  runtime::VirtualScheduler scheduler_;
  std::unique_ptr<Node> node_;
  json::object document_;
};

TEST_F(OpenApiTest, IsOpenApi31) {
  EXPECT_EQ(document_.at("openapi").as_string(), "3.1.0");
  EXPECT_TRUE(document_.at("info").as_object().contains("title"));
}

TEST_F(OpenApiTest, EveryRouteIsDocumentedAndEveryDocumentedOperationIsARoute) {
  static const std::set<std::string> kMethods = {"get",   "put",  "post",    "delete",
                                                 "patch", "head", "options", "trace"};
  std::set<std::pair<std::string, std::string>> routed;
  for (const http::RouteInfo& r : router().routes()) {
    auto name = boost::beast::http::to_string(r.method);
    routed.emplace(lower({name.data(), name.size()}), r.pattern);
  }
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : document_.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (!kMethods.contains(std::string(method))) continue;  // "parameters", "summary", …
      documented.emplace(std::string(method), std::string(path));
      EXPECT_TRUE(operation.as_object().contains("operationId")) << method << " " << path;
      EXPECT_FALSE(operation.at("responses").as_object().empty()) << method << " " << path;
    }
  }
  for (const auto& [method, path] : routed) {
    EXPECT_TRUE(documented.contains({method, path}))
        << method << " " << path << " is routed but not in server/api/openapi/*.json";
  }
  for (const auto& [method, path] : documented) {
    EXPECT_TRUE(routed.contains({method, path}))
        << method << " " << path << " is in server/api/openapi/*.json but not routed";
  }
  EXPECT_GE(routed.size(), 3u);
}

TEST_F(OpenApiTest, TheErrorSchemaListsExactlyTheErrorCodes) {
  const json::array& codes = document_.at("components")
                                 .at("schemas")
                                 .at("Error")
                                 .at("properties")
                                 .at("error")
                                 .at("properties")
                                 .at("code")
                                 .at("enum")
                                 .as_array();
  std::vector<std::string_view> documented;
  for (const json::value& c : codes)
    documented.push_back(c.as_string());
  EXPECT_EQ(documented, http::all_code_names());
}

TEST_F(OpenApiTest, IsServedAtApiV1) {
  http::Response r = http::testing::dispatch(router(), http::Verb::get, "/api/v1/openapi.json");
  EXPECT_EQ(r.message.result_int(), 200);
  EXPECT_EQ(r.message.body(), openapi_document());
  EXPECT_EQ(r.message[boost::beast::http::field::content_type], "application/json");
}

}  // namespace
}  // namespace server::api
