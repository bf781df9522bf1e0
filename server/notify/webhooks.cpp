#include "server/notify/webhooks.hpp"

#include <algorithm>
#include <array>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <sodium.h>

#include "server/notify/curl_transfer.hpp"
#include "server/store/ids.hpp"
#include "server/store/map_rows.hpp"

namespace server::notify {

namespace {

constexpr std::size_t kMaxUrl = 2048;

constexpr std::string_view kColumns = "id, created, site, url, secret, kinds";

std::string new_secret() {
  if (sodium_init() < 0) std::abort();
  std::array<unsigned char, 32> key{};
  randombytes_buf(key.data(), key.size());
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), key.data(), key.size());
  sodium_memzero(key.data(), key.size());
  return "whsec_" + std::string(hex.data());
}

std::string join(const std::vector<Kind>& kinds) {
  std::string out;
  for (Kind k : kinds)
    out += (out.empty() ? "" : ",") + std::string(to_string(k));
  return out;
}

store::Result<Webhook> webhook_from(const store::Row& row) {
  std::array<std::string_view, 5> text;
  const std::array<std::size_t, 5> cols = {0, 2, 3, 4, 5};
  for (std::size_t i = 0; i < cols.size(); ++i) {
    auto value = row.text(cols[i]);
    if (!value) return lockcore::fail(value.error());
    text[i] = *value;
  }
  auto created = row.int64(1);
  if (!created) return lockcore::fail(created.error());
  Webhook w{std::string(text[0]), *created, std::string(text[1]), std::string(text[2]),
            std::string(text[3]), {}};
  std::string_view kinds = text[4];
  while (!kinds.empty()) {
    std::size_t comma = std::min(kinds.find(','), kinds.size());
    auto kind = kind_from(kinds.substr(0, comma));
    if (!kind) {
      return store::error(store::Errc::internal,
                          fmt::format("webhooks: {} has an unknown kind", w.id));
    }
    w.kinds.push_back(*kind);
    kinds.remove_prefix(std::min(comma + 1, kinds.size()));
  }
  return w;
}

}  // namespace

Result<Webhook> Webhooks::add(const std::string& site, const std::string& url,
                              std::vector<Kind> kinds) {
  if (url.size() > kMaxUrl || !url_is_usable(url, {"http", "https"})) {
    return fail(Error::invalid_field("url", "must be an http:// or https:// URL with a host"));
  }
  if (kinds.empty()) return fail(Error::invalid_field("kinds", "must name at least one kind"));
  std::sort(kinds.begin(), kinds.end());
  kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
  Webhook w{store::new_id("whk"), clock_.now(), site, url, new_secret(), std::move(kinds)};
  auto inserted =
      db_.execute("INSERT INTO webhooks (" + std::string(kColumns) + ") VALUES (?, ?, ?, ?, ?, ?)",
                  {w.id, w.created, w.site, w.url, w.secret, join(w.kinds)});
  if (!inserted) {
    if (inserted.error().code == store::Errc::unique_violation) {
      return fail(Error::conflict("this site already has a webhook to this URL"));
    }
    return fail(Error::from_store(inserted.error()));
  }
  return w;
}

Result<std::vector<Webhook>> Webhooks::list(const std::optional<std::string>& site) const {
  std::string sql = "SELECT " + std::string(kColumns) + " FROM webhooks";
  store::Params params;
  if (site) {
    sql += " WHERE site = ? OR site = ''";
    params.emplace_back(*site);
  }
  auto listed = store::map_rows(db_.query(sql + " ORDER BY created, id", params), webhook_from);
  if (!listed) return fail(Error::from_store(listed.error()));
  return std::move(*listed);
}

Status Webhooks::remove(const std::string& id) {
  auto removed = db_.execute("DELETE FROM webhooks WHERE id = ?", {id});
  if (!removed) return fail(Error::from_store(removed.error()));
  if (*removed == 0) return fail(Error::not_found("no webhook " + id));
  return {};
}

Result<std::size_t> Webhooks::publish(Outbox& outbox, const std::string& site, Kind kind,
                                      const std::string& subject, const boost::json::value& data) {
  auto subscriptions = list(site);
  if (!subscriptions) return fail(subscriptions.error());
  // Site subscriptions first, so that a global one to a URL already served is skipped.
  std::stable_partition(subscriptions->begin(), subscriptions->end(),
                        [](const Webhook& w) { return !w.site.empty(); });
  std::vector<std::string> urls;
  const std::string body = boost::json::serialize(data);
  for (const Webhook& w : *subscriptions) {
    if (std::find(w.kinds.begin(), w.kinds.end(), kind) == w.kinds.end()) continue;
    if (std::find(urls.begin(), urls.end(), w.url) != urls.end()) continue;
    urls.push_back(w.url);
    auto queued = outbox.enqueue({"", Channel::webhook, w.url, kind, site, subject, body});
    if (!queued) return fail(Error::from_store(queued.error()));
  }
  return urls.size();
}

Result<std::optional<std::string>> Webhooks::secret_for(const std::string& site,
                                                        const std::string& url) const {
  auto rows = db_.query(
      "SELECT secret, site FROM webhooks WHERE url = ? AND (site = ? OR site = '') "
      "ORDER BY site DESC LIMIT 1",
      {url, site});
  if (!rows) return fail(Error::from_store(rows.error()));
  if (rows->empty()) return std::optional<std::string>();
  auto secret = (*rows)[0].text(0);
  if (!secret) return fail(Error::from_store(secret.error()));
  return std::optional<std::string>(std::string(*secret));
}

}  // namespace server::notify
