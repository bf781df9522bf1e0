// The standard error and the strict JSON readers: every message names what was wrong.

#include "server/http/json.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "server/http/rfc3339.hpp"

namespace server::http {
namespace {

namespace json = boost::json;

json::object parse(std::string_view text) {
  return json::parse(text).as_object();
}

TEST(ErrorTable, EveryCodeHasItsStatus) {
  const std::pair<Code, unsigned> expected[] = {{Code::malformed_request, 400},
                                                {Code::invalid_json, 400},
                                                {Code::invalid_field, 400},
                                                {Code::missing_field, 400},
                                                {Code::unauthenticated, 401},
                                                {Code::forbidden, 403},
                                                {Code::not_found, 404},
                                                {Code::method_not_allowed, 405},
                                                {Code::conflict, 409},
                                                {Code::payload_too_large, 413},
                                                {Code::unsupported_media_type, 415},
                                                {Code::header_too_large, 431},
                                                {Code::rate_limited, 429},
                                                {Code::internal, 500},
                                                {Code::unavailable, 503}};
  for (auto [code, status] : expected)
    EXPECT_EQ(status_of(code), status) << code_name(code);
  EXPECT_EQ(code_name(Code::invalid_field), "invalid_field");
}

TEST(ErrorResponse, CarriesCodeFieldMessageAndHeaders) {
  Response r = error_response(Error::invalid_field("starts_at", "must be RFC 3339"));
  EXPECT_EQ(r.message.result_int(), 400);
  EXPECT_EQ(
      r.message.body(),
      R"({"error":{"code":"invalid_field","field":"starts_at","message":"\"starts_at\" must be RFC 3339"}})");
  Response limited = error_response(Error::rate_limited(30, "too many backup code requests"));
  EXPECT_EQ(limited.message.result_int(), 429);
  EXPECT_EQ(limited.message[boost::beast::http::field::retry_after], "30");
}

TEST(ParseObject, RefusesWhatIsNotAJsonObject) {
  auto request = [](std::string body, std::string type) {
    RawRequest raw(Verb::post, "/x", 11, std::move(body));
    if (!type.empty()) raw.set(boost::beast::http::field::content_type, type);
    return Request(std::move(raw), {});
  };
  EXPECT_TRUE(parse_object(request(R"({"a":1})", "application/json; charset=utf-8")).ok());
  EXPECT_TRUE(parse_object(request(R"({})", "")).ok());
  auto not_json = parse_object(request("{a:1}", "application/json"));
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.error().code, Code::invalid_json);
  auto array = parse_object(request("[1]", "application/json"));
  ASSERT_FALSE(array.ok());
  EXPECT_EQ(array.error().message, "the body must be a JSON object");
  auto form = parse_object(request("a=1", "application/x-www-form-urlencoded"));
  ASSERT_FALSE(form.ok());
  EXPECT_EQ(form.error().code, Code::unsupported_media_type);
}

TEST(ObjectReader, ReadsTypedFields) {
  json::object body = parse(
      R"({"name":"Front door","slot":3,"enabled":true,"starts_at":"2026-11-21T12:30:00Z","note":null})");
  ObjectReader in(body);
  EXPECT_EQ(in.text("name", 64), "Front door");
  EXPECT_EQ(in.integer("slot", 1, 250), 3);
  EXPECT_TRUE(in.boolean("enabled"));
  EXPECT_EQ(in.time("starts_at"), 1'795'264'200'000);
  EXPECT_EQ(in.optional_text("note"), std::nullopt);  // null is absent
  EXPECT_EQ(in.optional_integer("limit", 1, 10), std::nullopt);
  EXPECT_TRUE(in.finish().ok());
}

struct Case {
  const char* body;
  Code code;
  const char* field;
  const char* message;
};

TEST(ObjectReader, EachMistakeIsNamed) {
  const Case cases[] = {
      {R"({"slot":3})", Code::missing_field, "starts_at", "\"starts_at\" is required"},
      {R"({"starts_at":"tomorrow","slot":3})", Code::invalid_field, "starts_at",
       "\"starts_at\" must be RFC 3339"},
      {R"({"starts_at":1700000000,"slot":3})", Code::invalid_field, "starts_at",
       "\"starts_at\" must be RFC 3339"},
      {R"({"starts_at":"2026-11-21T12:30:00Z","slot":0})", Code::invalid_field, "slot",
       "\"slot\" must be an integer from 1 to 250"},
      {R"({"starts_at":"2026-11-21T12:30:00Z","slot":2.5})", Code::invalid_field, "slot",
       "\"slot\" must be an integer from 1 to 250"},
      {R"({"starts_at":"2026-11-21T12:30:00Z","slot":"3"})", Code::invalid_field, "slot",
       "\"slot\" must be an integer from 1 to 250"},
      {R"({"starts_at":"2026-11-21T12:30:00Z","slot":3,"admin":true})", Code::invalid_field,
       "admin", "\"admin\" is not a known field"},
      {R"({"starts_at":"2026-11-21T12:30:00Z","slot":3,"name":""})", Code::invalid_field, "name",
       "\"name\" must be 1 to 8 characters"},
      {R"({"starts_at":"2026-11-21T12:30:00Z","slot":3,"name":7})", Code::invalid_field, "name",
       "\"name\" must be a string"},
  };
  for (const Case& c : cases) {
    json::object body = parse(c.body);
    ObjectReader in(body);
    in.time("starts_at");
    in.integer("slot", 1, 250);
    in.optional_text("name", 8);
    auto done = in.finish();
    ASSERT_FALSE(done.ok()) << c.body;
    EXPECT_EQ(done.error().code, c.code) << c.body;
    EXPECT_EQ(done.error().field, c.field) << c.body;
    EXPECT_EQ(done.error().message, c.message) << c.body;
  }
}

TEST(Rfc3339, ParsesOffsetsAndFractions) {
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339("2026-11-21T13:30:00.250+01:00"), 1'795'264'200'250);
  EXPECT_EQ(parse_rfc3339("2026-11-21t12:30:00.2509z"), 1'795'264'200'250);
  EXPECT_EQ(parse_rfc3339("1969-12-31T23:59:59.999Z"), -1);
  EXPECT_EQ(parse_rfc3339("2024-02-29T00:00:00-00:30"), 1'709'166'600'000);
}

TEST(Rfc3339, RefusesAnythingElse) {
  for (const char* bad :
       {"", "2026-11-21", "2026-11-21T12:30Z", "2026-11-21 12:30:00Z", "2026-11-21T12:30:00",
        "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-21T24:00:00Z",
        "2026-11-21T12:30:60Z", "2026-11-21T12:30:00.Z", "2026-11-21T12:30:00+0100",
        "2026-11-21T12:30:00Z ", "+2026-11-21T12:30:00Z"}) {
    EXPECT_EQ(parse_rfc3339(bad), std::nullopt) << bad;
  }
}

TEST(Rfc3339, FormatsUtcWithMillisecondsAndRoundTrips) {
  EXPECT_EQ(format_rfc3339(1'795'264'200'250), "2026-11-21T12:30:00.250Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
  for (lockcore::UnixMs t : {0LL, 951'782'400'000LL, 4'102'444'799'999LL}) {
    EXPECT_EQ(parse_rfc3339(format_rfc3339(t)), t);
  }
}

}  // namespace
}  // namespace server::http
