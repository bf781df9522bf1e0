#include "server/access/credential_tasks.hpp"

#include "server/access/records.hpp"
#include "server/store/ids.hpp"
#include "server/store/map_rows.hpp"

namespace server::access {

std::string_view to_string(CredentialTaskKind kind) {
  return kind == CredentialTaskKind::remove_all ? "remove_all" : "revalidate";
}

Status request_credential_task(const Deps& deps, std::string_view site, std::string_view account,
                               CredentialTaskKind kind, std::string_view reason) {
  const std::string id = store::new_id("crt");
  const UnixMs now = deps.clock.now();
  auto inserted = lift(deps.db.execute(
      "INSERT INTO credential_tasks (id, site, account, kind, reason, created, done) "
      "VALUES (?, ?, ?, ?, ?, ?, NULL)",
      {id, std::string(site), std::string(account), std::string(to_string(kind)),
       std::string(reason), now}));
  if (!inserted) return fail(inserted.error());
  if (deps.remover == nullptr) return {};
  Status applied = kind == CredentialTaskKind::remove_all ? deps.remover->remove_all(site, account)
                                                          : deps.remover->revalidate(site, account);
  if (!applied) return applied;
  return mark_credential_task_done(deps.db, id, now);
}

Result<std::vector<CredentialTask>> pending_credential_tasks(store::Database& db) {
  return lift(store::map_rows(
      db.query("SELECT id, site, account, kind, reason, created FROM credential_tasks "
               "WHERE done IS NULL ORDER BY created, id"),
      [](const store::Row& row) -> store::Result<CredentialTask> {
        CredentialTask t;
        std::string* texts[] = {&t.id, &t.site, &t.account, nullptr, &t.reason};
        for (std::size_t i = 0; i < 5; ++i) {
          auto v = row.text(i);
          if (!v) return lockcore::fail(v.error());
          if (texts[i] != nullptr) *texts[i] = std::string(*v);
          if (i == 3)
            t.kind = *v == "remove_all" ? CredentialTaskKind::remove_all
                                        : CredentialTaskKind::revalidate;
        }
        auto created = row.int64(5);
        if (!created) return lockcore::fail(created.error());
        t.created = *created;
        return t;
      }));
}

Status mark_credential_task_done(store::Database& db, std::string_view id, UnixMs now) {
  auto changed =
      lift(db.execute("UPDATE credential_tasks SET done = ? WHERE id = ? AND done IS NULL",
                      {now, std::string(id)}));
  if (!changed) return fail(changed.error());
  if (*changed == 0) return fail(Error::not_found("no such pending credential task"));
  return {};
}

}  // namespace server::access
