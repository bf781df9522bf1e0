// Static files: the web app's files with the right types, the app's index for its own routes, and
// nothing outside the directory whatever the path says.

#include "server/http/static_files.hpp"

#include <gtest/gtest.h>

#include "tests/server/http/dispatch.hpp"
#include "tests/support/temp_dir.hpp"

namespace server::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() {
    root_ = dir_.path() / "web";
    dir_.write("web/index.html", "<!doctype html><title>Latchkey</title>");
    dir_.write("web/assets/app.3f2a.js", "console.log('hi')");
    dir_.write("web/assets/style.css", "body{}");
    dir_.write("web/docs/index.html", "docs");
    dir_.write("web/.env", "SECRET=1");
    dir_.write("secret.txt", "outside the web root");
    fs::create_symlink(dir_.path() / "secret.txt", root_ / "escape.txt");
    fs::create_directory_symlink(dir_.path(), root_ / "up");
    router_.set_fallback(static_files(root_));
  }
  Response get(std::string path) { return testing::dispatch(router_, Verb::get, path); }

  testsupport::TempDir dir_;
  fs::path root_;
  Router router_;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirContentTypes) {
  Response js = get("/assets/app.3f2a.js");
  EXPECT_EQ(js.message.result_int(), 200);
  EXPECT_EQ(js.message.body(), "console.log('hi')");
  EXPECT_EQ(js.message[boost::beast::http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(js.message["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(get("/assets/style.css").message[boost::beast::http::field::content_type],
            "text/css; charset=utf-8");
  Response index = get("/");
  EXPECT_EQ(index.message.body(), "<!doctype html><title>Latchkey</title>");
  EXPECT_EQ(index.message[boost::beast::http::field::cache_control], "no-cache");
  EXPECT_EQ(get("/docs/").message.body(), "docs");
  EXPECT_EQ(get("/docs").message.body(), "docs");
  EXPECT_EQ(content_type_for("x.unknown"), "application/octet-stream");
  EXPECT_EQ(content_type_for("X.HTML"), "text/html; charset=utf-8");
}

TEST_F(StaticFilesTest, AppRoutesFallBackToIndexButMissingFilesAre404) {
  EXPECT_EQ(get("/locks/front-door/history").message.body(),
            "<!doctype html><title>Latchkey</title>");
  Response api = get("/api/v1/no-such-thing");
  EXPECT_EQ(api.message.result_int(), 404);
  EXPECT_EQ(api.message[boost::beast::http::field::content_type], "application/json");
  Response missing = get("/assets/missing.js");
  EXPECT_EQ(missing.message.result_int(), 404);
  EXPECT_NE(missing.message.body().find("not_found"), std::string::npos);
}

TEST_F(StaticFilesTest, HostilePathsNeverLeaveTheRoot) {
  const char* hostile[] = {
      "/../secret.txt",
      "/assets/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E%2Fsecret.txt",
      "/assets/%2e%2e/%2e%2e/secret.txt",
      "/..%2fsecret.txt",
      "/..\\secret.txt",
      "/%5c..%5csecret.txt",
      "/assets/app.3f2a.js%00.html",
      "/escape.txt",
      "/up/secret.txt",
      "/.env",
      "/assets/./app.3f2a.js",
      "//etc/passwd",
      "/%2fetc%2fpasswd",
      "/C:%5cwindows",
      "/%zz.js",
  };
  for (const char* path : hostile) {
    Response r = get(path);
    // 404 (nothing there), or 400 when the router already refuses the encoding itself.
    EXPECT_TRUE(r.message.result_int() == 404 || r.message.result_int() == 400) << path;
    EXPECT_EQ(r.message.body().find("outside"), std::string::npos) << path;
    EXPECT_EQ(r.message.body().find("SECRET"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, ResolveStaysUnderTheCanonicalRoot) {
  auto file = resolve_static(root_, "/assets/style.css");
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(*file, fs::canonical(root_ / "assets/style.css"));
  EXPECT_FALSE(resolve_static(root_ / "nonexistent", "/index.html").has_value());
  EXPECT_FALSE(resolve_static(root_, "relative").has_value());
}

}  // namespace
}  // namespace server::http
