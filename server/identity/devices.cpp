#include "server/identity/devices.hpp"

#include "server/identity/accounts.hpp"
#include "server/identity/contact.hpp"
#include "server/identity/secret.hpp"
#include "server/identity/sessions.hpp"
#include "server/identity/trail.hpp"
#include "server/store/ids.hpp"

namespace server::identity {

using audit::AuditType;

namespace {

Error needs_mfa() {
  return Error::forbidden(
      "this needs a session that passed two-step sign-in; sign in again with your code");
}

Result<Device> read_device(const store::Row& row) {
  auto id = row.text(0);
  auto account = row.text(1);
  auto name = row.text(2);
  auto key = row.blob(3);
  auto created = row.int64(4);
  auto last_seen = row.int64(5);
  if (!id || !account || !name || !key || !created || !last_seen)
    return fail(Error(Errc::internal, "devices: unreadable row"));
  return Device{std::string(*id),   std::string(*account),
                std::string(*name), base64url(*key),
                *created,           *last_seen};
}

}  // namespace

Result<Device> Devices::enroll(const Actor& actor, std::string_view name,
                               std::string_view public_key) {
  if (!actor.fully_authenticated()) return fail(needs_mfa());
  if (name.empty()) return fail(Error::missing_field("name"));
  if (name.size() > kMaxDeviceNameLength || !printable_utf8(name))
    return fail(Error::invalid_field("name", "must be 1 to 64 bytes of printable text"));
  if (public_key.empty()) return fail(Error::missing_field("public_key"));
  auto key = parse_public_key(public_key);
  if (!key) return fail(key.error());
  auto account = accounts_.find(actor.account);
  if (!account) return fail(Error(Errc::unauthenticated, "sign in again"));

  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  auto count = ctx_.db.query("SELECT count(*) FROM devices WHERE account = ?", {actor.account});
  if (!count) return fail(Error::from_store(count.error()));
  auto enrolled = (*count)[0].int64(0);
  if (!enrolled) return fail(Error::from_store(enrolled.error()));
  if (*enrolled >= static_cast<std::int64_t>(kMaxDevicesPerAccount)) {
    return fail(Error::conflict("this account has " + std::to_string(kMaxDevicesPerAccount) +
                                " devices; remove one first"));
  }
  const lockcore::UnixMs now = ctx_.clock.now();
  Device device{store::new_id("dev"), actor.account, std::string(name), base64url(*key), now, now};
  auto inserted = ctx_.db.execute(
      "INSERT INTO devices (id, account, name, public_key, created, last_seen, last_proof) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {device.id, device.account, device.name, to_blob(*key), now, now, now});
  if (!inserted) {
    if (inserted.error().code == store::Errc::unique_violation)
      return fail(Error(Errc::conflict, "this key is enrolled already", "public_key"));
    return fail(Error::from_store(inserted.error()));
  }
  if (auto ok = sessions_.bind_device(actor.session, device.id); !ok) return fail(ok.error());
  if (auto ok = audit_act(ctx_.audit, AuditType::device_enrolled, actor.audit_name(),
                          "device:" + device.id, {{"name", device.name}});
      !ok)
    return fail(ok.error());
  if (auto ok = notify_person(ctx_.outbox, *account, "A device was added to your Latchkey account",
                              "The device \"" + device.name + "\" was added to your account", now);
      !ok)
    return fail(ok.error());
  if (Status ok = commit_and_deliver(ctx_, *tx); !ok) return fail(ok.error());
  return device;
}

Result<std::vector<Device>> Devices::list(std::string_view account) const {
  auto rows = ctx_.db.query(
      "SELECT id, account, name, public_key, created, last_seen FROM devices WHERE account = ? "
      "ORDER BY created, id",
      {std::string(account)});
  if (!rows) return fail(Error::from_store(rows.error()));
  std::vector<Device> out;
  for (const store::Row& row : *rows) {
    auto device = read_device(row);
    if (!device) return fail(device.error());
    out.push_back(std::move(*device));
  }
  return out;
}

Status Devices::remove(const Actor& actor, std::string_view device) {
  if (!actor.fully_authenticated()) return fail(needs_mfa());
  auto account = accounts_.find(actor.account);
  if (!account) return fail(Error(Errc::unauthenticated, "sign in again"));
  const auto changing = ctx_.changes.change();
  auto tx = ctx_.db.begin();
  if (!tx) return fail(Error::from_store(tx.error()));
  auto rows = ctx_.db.query("SELECT name FROM devices WHERE id = ? AND account = ?",
                            {std::string(device), actor.account});
  if (!rows) return fail(Error::from_store(rows.error()));
  if (rows->empty()) return fail(Error::not_found("no such device"));
  auto name = (*rows)[0].text(0);
  if (!name) return fail(Error::from_store(name.error()));
  const std::string device_name(*name);
  auto ended = sessions_.end_for_device(device, "device_removed");
  if (!ended) return fail(ended.error());
  auto deleted = ctx_.db.execute("DELETE FROM devices WHERE id = ?", {std::string(device)});
  if (!deleted) return fail(Error::from_store(deleted.error()));
  if (auto ok = audit_act(ctx_.audit, AuditType::device_removed, actor.audit_name(),
                          "device:" + std::string(device),
                          {{"name", device_name}, {"sessions_ended", *ended}});
      !ok)
    return ok;
  if (auto ok = notify_person(
          ctx_.outbox, *account, "A device was removed from your Latchkey account",
          "The device \"" + device_name + "\" was removed from your account and signed out",
          ctx_.clock.now());
      !ok)
    return ok;
  return commit_and_deliver(ctx_, *tx);
}

Result<std::optional<std::string>> Devices::accept_proof(const DeviceProof& proof,
                                                         std::string_view email) {
  const lockcore::UnixMs now = ctx_.clock.now();
  if (proof.at < now - kProofWindowMs || proof.at > now + kProofWindowMs)
    return std::optional<std::string>();
  auto rows = ctx_.db.query(
      "SELECT d.public_key, d.last_proof FROM devices d JOIN accounts a ON a.id = d.account "
      "WHERE d.id = ? AND a.email_key = ?",
      {proof.device, email_key(email)});
  if (!rows) return fail(Error::from_store(rows.error()));
  if (rows->empty()) return std::optional<std::string>();
  auto key = (*rows)[0].blob(0);
  auto last_proof = (*rows)[0].int64(1);
  if (!key || !last_proof || key->size() != PublicKey().size())
    return fail(Error(Errc::internal, "devices: unreadable row"));
  PublicKey public_key{};
  std::copy(key->begin(), key->end(), public_key.begin());
  if (proof.at <= *last_proof || !verify_proof(proof, email, public_key))
    return std::optional<std::string>();
  // Taken only if no other sign-in took a proof at or after this time meanwhile.
  auto taken = ctx_.db.execute("UPDATE devices SET last_proof = ? WHERE id = ? AND last_proof < ?",
                               {proof.at, proof.device, proof.at});
  if (!taken) return fail(Error::from_store(taken.error()));
  if (*taken != 1) return std::optional<std::string>();
  return std::optional<std::string>(proof.device);
}

Status Devices::touch(std::string_view device) {
  auto touched = ctx_.db.execute("UPDATE devices SET last_seen = ? WHERE id = ?",
                                 {ctx_.clock.now(), std::string(device)});
  if (!touched) return fail(Error::from_store(touched.error()));
  return {};
}

}  // namespace server::identity
