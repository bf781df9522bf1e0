#pragma once
// Static files from one directory (the web app's build): GET/HEAD only, a content type by
// extension, and index.html for paths that look like app routes (no extension) so the
// single-page app can handle them (never for paths under /api/, which stay a JSON 404). Never
// serves anything outside the directory: percent-encoded or literal "..", ".", empty segments,
// backslashes, NUL bytes, dot-files and symlinks leading out are all answered 404 not_found, the
// same as a file that does not exist.

#include <filesystem>
#include <optional>
#include <string_view>

#include "server/http/message.hpp"

namespace server::http {

// A router fallback serving `root`. Files over 64 MiB are refused (404) rather than buffered.
Handler static_files(std::filesystem::path root);

// The file under `root` that `request_path` (still percent-encoded, starting with '/') names, or
// nullopt when it is hostile or names nothing. Exposed for tests.
std::optional<std::filesystem::path> resolve_static(const std::filesystem::path& root,
                                                    std::string_view request_path);

// "text/html; charset=utf-8" for ".html" etc.; "application/octet-stream" when unknown.
std::string_view content_type_for(const std::filesystem::path& file);

}  // namespace server::http
