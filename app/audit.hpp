#pragma once
// `latchkey audit verify`: walks the audit log's hash chain from its first entry (the store named
// by the configuration) and reports the first entry that no longer fits (edited, removed or
// reordered) or that every entry does.

#include <optional>
#include <string>

namespace app {

// Prints "audit: N entries, chain intact" (exit 0) or "audit: chain broken at entry S (N entries
// checked)" (exit 1); 2 when the configuration or the store cannot be opened.
int audit_verify(const std::optional<std::string>& config_file);

}  // namespace app
