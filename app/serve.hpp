#pragma once
// `latchkey serve`: load the configuration, open the store and migrate it, and answer HTTP until
// SIGINT/SIGTERM (then stop gracefully). The domains join here as they land.

#include <optional>
#include <string>

namespace app {

// Returns the process exit code; prints why on failure.
int serve(const std::optional<std::string>& config_file);

}  // namespace app
