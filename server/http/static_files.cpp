#include "server/http/static_files.hpp"

#include <fstream>
#include <sstream>

#include "server/http/json.hpp"

namespace server::http {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxFileBytes = 64u << 20;

bool inside(const fs::path& root, const fs::path& file) {
  auto r = root.begin();
  auto f = file.begin();
  for (; r != root.end(); ++r, ++f) {
    if (f == file.end() || *r != *f) return false;
  }
  return true;
}

std::optional<fs::path> existing_file(const fs::path& root, const fs::path& candidate) {
  std::error_code ec;
  fs::path real = fs::canonical(candidate, ec);  // follows symlinks: a link out is caught below
  if (ec || !inside(root, real)) return std::nullopt;
  if (fs::is_directory(real, ec)) return existing_file(root, real / "index.html");
  if (!fs::is_regular_file(real, ec)) return std::nullopt;
  return real;
}

}  // namespace

std::string_view content_type_for(const fs::path& file) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".wasm", "application/wasm"},
  };
  std::string ext = file.extension().string();
  for (char& ch : ext)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

std::optional<fs::path> resolve_static(const fs::path& root, std::string_view request_path) {
  std::error_code ec;
  fs::path real_root = fs::canonical(root, ec);
  if (ec || request_path.empty() || request_path.front() != '/') return std::nullopt;

  fs::path relative;
  std::string_view rest = request_path.substr(1);
  bool looks_like_route = true;  // no extension on the last segment
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view raw = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (raw.empty() && rest.empty()) break;  // a trailing '/': the directory itself
    auto segment = percent_decode(raw);
    if (!segment || segment->empty() || segment->front() == '.' ||
        segment->find_first_of("/\\:") != std::string::npos) {
      return std::nullopt;
    }
    looks_like_route = segment->find('.') == std::string::npos;
    relative /= *segment;
  }
  if (auto file = existing_file(real_root, real_root / relative)) return file;
  // The app's own routes get its index.html; the API's namespace never does, so an unknown API
  // path stays a JSON 404 rather than a page.
  if (looks_like_route && !request_path.starts_with("/api/")) {
    return existing_file(real_root, real_root / "index.html");
  }
  return std::nullopt;
}

Handler static_files(fs::path root) {
  return [root = std::move(root)](Request& request) -> boost::asio::awaitable<Response> {
    auto file = resolve_static(root, request.path());
    std::error_code ec;
    if (!file || fs::file_size(*file, ec) > kMaxFileBytes || ec) {
      co_return error_response(Error::not_found("no file at " + std::string(request.path())));
    }
    std::ifstream in(*file, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    Response r = text_response(200, std::move(body).str(), content_type_for(*file));
    // index.html names the current build's assets: revalidate it; the assets themselves are
    // content-hashed by the web build and may be cached.
    bool index = file->filename() == "index.html";
    r.message.set(boost::beast::http::field::cache_control,
                  index ? "no-cache" : "public, max-age=3600");
    // Browsers must take the type given, never guess a script out of an uploaded-looking file.
    r.message.set("X-Content-Type-Options", "nosniff");
    co_return r;
  };
}

}  // namespace server::http
