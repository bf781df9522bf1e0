#include "server/lockout/cases.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "server/lockout/row_values.hpp"
#include "server/store/map_rows.hpp"

namespace server::lockout {

namespace {

namespace json = boost::json;

constexpr std::string_view kColumns =
    "id, site, lock, account, symptoms, context, verification, diagnosis, opened_at, opened_by, "
    "status, resolved_by, resolved_at, duration_ms";

std::string symptoms_text(const std::vector<std::string>& symptoms) {
  json::array out;
  for (const std::string& s : symptoms)
    out.emplace_back(s);
  return json::serialize(out);
}

std::vector<std::string> symptoms_from(std::string_view text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (!ec && v.is_array())
    for (const json::value& s : v.as_array())
      if (s.is_string()) out.emplace_back(s.as_string());
  return out;
}

store::Result<CaseRecord> read_case(const store::Row& row) {
  CaseRecord c;
  auto text = [&](std::size_t i) -> std::string {
    auto t = row.text(i);
    return t ? std::string(*t) : std::string();
  };
  auto integer = [&](std::size_t i) -> std::optional<UnixMs> {
    if (row.is_null(i)) return std::nullopt;
    auto v = row.int64(i);
    return v ? std::optional<UnixMs>(*v) : std::nullopt;
  };
  c.id = text(0);
  c.site = text(1);
  c.lock = text(2);
  if (!row.is_null(3)) c.account = text(3);
  c.symptoms = symptoms_from(text(4));
  c.context = text(5);
  c.verification = from_string<Verification>(text(6)).value_or(Verification::none);
  c.diagnosis = text(7);
  c.opened_at = integer(8).value_or(0);
  c.opened_by = text(9);
  const std::string status = text(10);
  c.status = status == "resolved"    ? CaseStatus::resolved
             : status == "escalated" ? CaseStatus::escalated
                                     : CaseStatus::open;
  if (!row.is_null(11)) c.resolved_by = from_string<ActionId>(text(11));
  c.resolved_at = integer(12);
  c.duration_ms = integer(13);
  return c;
}

}  // namespace

std::string_view to_string(CaseStatus status) {
  switch (status) {
    case CaseStatus::open:
      return "open";
    case CaseStatus::resolved:
      return "resolved";
    case CaseStatus::escalated:
      break;
  }
  return "escalated";
}

Status Cases::insert(const CaseRecord& c) {
  auto done = db_.execute(
      "INSERT INTO lockout_cases (id, site, lock, account, symptoms, context, verification, "
      "diagnosis, opened_at, opened_by, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
      {c.id, c.site, c.lock, c.account ? store::Value(*c.account) : store::Value(store::null),
       symptoms_text(c.symptoms), c.context, std::string(to_string(c.verification)), c.diagnosis,
       c.opened_at, c.opened_by});
  if (!done) return fail(Error::from_store(done.error()));
  return {};
}

Result<std::vector<CaseRecord>> Cases::select(std::string_view where, const store::Params& params,
                                              std::size_t limit) {
  std::string sql = "SELECT " + std::string(kColumns) + " FROM lockout_cases WHERE " +
                    std::string(where) + " ORDER BY opened_at DESC, id LIMIT " +
                    std::to_string(limit);
  return lift(store::map_rows(db_.query(sql, params), read_case));
}

Result<std::optional<CaseRecord>> Cases::find(std::string_view id) {
  auto found = select("id = ?", {std::string(id)}, 1);
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<CaseRecord>();
  CaseRecord c = std::move(found->front());
  auto rows = lift(db_.query(
      "SELECT seq, action, taken_by, at, outcome, detail FROM lockout_case_actions WHERE case_id = "
      "? ORDER BY seq",
      {std::string(id)}));
  if (!rows) return fail(rows.error());
  for (const store::Row& row : *rows) {
    CaseAction a;
    a.seq = static_cast<int>(int_or(row, 0, 0));
    a.action = from_string<ActionId>(text_or(row, 1, "")).value_or(ActionId::wait_keypad_cooldown);
    a.by = (text_or(row, 2, ""));
    a.at = int_or(row, 3, 0);
    a.outcome = (text_or(row, 4, ""));
    a.detail = (text_or(row, 5, "{}"));
    c.actions.push_back(std::move(a));
  }
  return std::optional<CaseRecord>(std::move(c));
}

Result<std::vector<CaseRecord>> Cases::at_site(std::string_view site, std::size_t limit) {
  return select("site = ?", {std::string(site)}, limit);
}

Result<std::optional<std::string>> Cases::open_case_of(std::string_view account,
                                                       std::string_view site,
                                                       std::string_view lock) {
  auto found = select("account = ? AND site = ? AND lock = ? AND status <> 'resolved'",
                      {std::string(account), std::string(site), std::string(lock)}, 1);
  if (!found) return fail(found.error());
  if (found->empty()) return std::optional<std::string>();
  return std::optional<std::string>(found->front().id);
}

Result<int> Cases::add_action(std::string_view case_id, const CaseAction& a) {
  auto last = lift(
      db_.query("SELECT seq FROM lockout_case_actions WHERE case_id = ? ORDER BY seq DESC LIMIT 1",
                {std::string(case_id)}));
  if (!last) return fail(last.error());
  const int seq = last->empty() ? 1 : static_cast<int>(int_or((*last)[0], 0, 0)) + 1;
  auto done = db_.execute(
      "INSERT INTO lockout_case_actions (case_id, seq, action, taken_by, at, outcome, detail) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {std::string(case_id), std::int64_t{seq}, std::string(to_string(a.action)), a.by, a.at,
       a.outcome, a.detail});
  if (!done) return fail(Error::from_store(done.error()));
  return seq;
}

Status Cases::set_verification(std::string_view case_id, Verification verification) {
  auto done = db_.execute("UPDATE lockout_cases SET verification = ? WHERE id = ?",
                          {std::string(to_string(verification)), std::string(case_id)});
  if (!done) return fail(Error::from_store(done.error()));
  return {};
}

Status Cases::set_account(std::string_view case_id, std::string_view account) {
  auto done = db_.execute("UPDATE lockout_cases SET account = ? WHERE id = ? AND account IS NULL",
                          {std::string(account), std::string(case_id)});
  if (!done) return fail(Error::from_store(done.error()));
  return {};
}

Status Cases::resolve(std::string_view case_id, std::optional<ActionId> by, UnixMs at,
                      UnixMs duration_ms) {
  auto done = db_.execute(
      "UPDATE lockout_cases SET status = 'resolved', resolved_by = ?, resolved_at = ?, "
      "duration_ms = ? WHERE id = ? AND status <> 'resolved'",
      {by ? store::Value(std::string(to_string(*by))) : store::Value(store::null), at, duration_ms,
       std::string(case_id)});
  if (!done) return fail(Error::from_store(done.error()));
  return {};
}

Status Cases::set_outcome(std::string_view case_id, int seq, const std::string& outcome) {
  auto done =
      db_.execute("UPDATE lockout_case_actions SET outcome = ? WHERE case_id = ? AND seq = ?",
                  {outcome, std::string(case_id), std::int64_t{seq}});
  if (!done) return fail(Error::from_store(done.error()));
  return {};
}

Status Cases::escalate(std::string_view case_id, UnixMs at) {
  auto done = db_.execute(
      "UPDATE lockout_cases SET status = 'escalated', escalated_at = ? WHERE id = ? AND status = "
      "'open'",
      {at, std::string(case_id)});
  if (!done) return fail(Error::from_store(done.error()));
  return {};
}

}  // namespace server::lockout
