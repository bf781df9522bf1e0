// The router: patterns, parameters, 404/405, HEAD, fallback.

#include "server/http/router.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "server/http/json.hpp"
#include "tests/server/http/dispatch.hpp"

namespace server::http {
namespace {

using testing::dispatch;
namespace json = boost::json;

Handler reply(std::string name) {
  return [name](Request& r) -> boost::asio::awaitable<Response> {
    json::object params;
    for (const char* p : {"site", "lock", "id"}) {
      if (!r.param(p).empty()) params[p] = r.param(p);
    }
    co_return json_response(
        200, json::object{{"handler", name}, {"route", r.route()}, {"params", params}});
  };
}

json::value body(const Response& r) {
  return json::parse(r.message.body());
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.get("/api/v1/sites/{site}/locks/{lock}", reply("get-lock"))
        .put("/api/v1/sites/{site}/locks/{lock}", reply("put-lock"))
        .get("/api/v1/locks/{id}", reply("by-id"))
        .get("/api/v1/locks/new", reply("literal"))
        .post("/api/v1/locks", reply("create"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesParametersAndDecodesThem) {
  Response r = dispatch(router_, Verb::get, "/api/v1/sites/elm%20st/locks/front%2Fdoor?x=1");
  ASSERT_EQ(r.message.result_int(), 200);
  json::value b = body(r);
  EXPECT_EQ(b.at("handler").as_string(), "get-lock");
  EXPECT_EQ(b.at("params").at("site").as_string(), "elm st");
  EXPECT_EQ(b.at("params").at("lock").as_string(), "front/door");  // %2F never splits a segment
  EXPECT_EQ(b.at("route").as_string(), "/api/v1/sites/{site}/locks/{lock}");
  EXPECT_EQ(body(dispatch(router_, Verb::put, "/api/v1/sites/a/locks/b")).at("handler"),
            "put-lock");
}

TEST_F(RouterTest, LiteralSegmentsWinOverParameters) {
  EXPECT_EQ(body(dispatch(router_, Verb::get, "/api/v1/locks/new")).at("handler"), "literal");
  EXPECT_EQ(body(dispatch(router_, Verb::get, "/api/v1/locks/l-1")).at("handler"), "by-id");
}

TEST_F(RouterTest, UnknownPathsAre404WithTheStandardError) {
  for (std::string path :
       {"/", "/api/v1/lock", "/api/v1/locks/a/b", "/api/v1/locks/", "/api/v1/sites//locks/x"}) {
    Response r = dispatch(router_, Verb::get, path);
    EXPECT_EQ(r.message.result_int(), 404) << path;
    EXPECT_EQ(body(r).at("error").at("code").as_string(), "not_found") << path;
  }
}

TEST_F(RouterTest, AKnownPathWithTheWrongMethodIs405WithAllow) {
  Response r = dispatch(router_, Verb::delete_, "/api/v1/sites/a/locks/b");
  EXPECT_EQ(r.message.result_int(), 405);
  EXPECT_EQ(r.message[boost::beast::http::field::allow], "GET, HEAD, PUT");
  EXPECT_EQ(body(r).at("error").at("code").as_string(), "method_not_allowed");
  EXPECT_EQ(body(r).at("error").at("message").as_string(),
            "DELETE is not allowed on /api/v1/sites/a/locks/b");
}

TEST_F(RouterTest, HeadRunsTheGetHandler) {
  EXPECT_EQ(body(dispatch(router_, Verb::head, "/api/v1/locks/x")).at("handler"), "by-id");
}

TEST_F(RouterTest, MalformedPercentEncodingIs400) {
  Response r = dispatch(router_, Verb::get, "/api/v1/locks/%zz");
  EXPECT_EQ(r.message.result_int(), 400);
  EXPECT_EQ(body(r).at("error").at("code").as_string(), "malformed_request");
  EXPECT_EQ(dispatch(router_, Verb::get, "/api/v1/locks/a%00b").message.result_int(), 400);
}

TEST_F(RouterTest, TheFallbackServesOnlyGetsThatNoRouteMatches) {
  router_.set_fallback(reply("static"));
  EXPECT_EQ(body(dispatch(router_, Verb::get, "/app/settings")).at("handler"), "static");
  EXPECT_EQ(dispatch(router_, Verb::post, "/app/settings").message.result_int(), 404);
  EXPECT_EQ(body(dispatch(router_, Verb::get, "/api/v1/locks/x")).at("handler"), "by-id");
}

TEST_F(RouterTest, ListsEveryRouteInOrder) {
  auto routes = router_.routes();
  ASSERT_EQ(routes.size(), 5u);
  EXPECT_EQ(routes[0].method, Verb::get);
  EXPECT_EQ(routes[4].pattern, "/api/v1/locks");
}

TEST(RouterDeathTest, MalformedOrDuplicateRoutesStopStartUp) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(Router().get("no-slash", reply("x")), "must start with '/'");
  EXPECT_DEATH(Router().get("/a/{}", reply("x")), "empty");
  EXPECT_DEATH(Router().get("/a/{b", reply("x")), "malformed");
  EXPECT_DEATH(Router().get("/a", reply("x")).get("/a", reply("y")), "added twice");
}

}  // namespace
}  // namespace server::http
