#pragma once
// The devices domain's working set: every site, hub and lock with its placements, health and
// shadow progress, kept in memory on the io_context thread. The database is the truth: every
// change is written (in a transaction, or through the batch writer for high-rate health data)
// before this model is updated, and start-up rebuilds the model from the tables. Keeping it in
// memory is what makes a 10,000-lock fan-out or 500 unlocks/s cheap: no message re-reads the world.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lockcore/offline_pin.hpp"
#include "lockcore/signing.hpp"
#include "protocol/messages.hpp"
#include "runtime/timer_queue.hpp"
#include "server/devices/event_tracker.hpp"
#include "server/devices/types.hpp"
#include "transport/backoff.hpp"

namespace server::devices {

struct SiteRecord {
  std::string id;
  lockcore::SigningKeyPair keys;
  std::int16_t utc_offset_min = 0;
};

struct PlacementRecord {
  std::string credential;
  std::uint16_t slot = 0;
  bool holds_slot = true;  // false once removed: the slot is free again
  lockcore::CredentialKind kind = lockcore::CredentialKind::pin;
  std::string pin;
  lockcore::WeeklySchedule schedule;
  lockcore::Window window;
  std::uint16_t max_uses = 0;
  std::string holder;
  bool wanted = true;  // false: withdrawn (removing, then removed)
  CredentialStatus status = CredentialStatus::pending;
  std::string error;
  UnixMs issued_at = 0;  // backup codes: when take_backup_code() handed it out
  UnixMs updated = 0;

  lockcore::PinCredential credential_on_lock() const;
};

// What the server knows about a lock's link and state, from its status, state and (for a hub
// lock) its hub's status and links.
struct HealthRecord {
  std::optional<protocol::DeviceStatus> status;  // the lock's status topic
  std::optional<lockcore::StateReport> state;
  UnixMs last_seen = 0;
  Reachability reachability = Reachability::unknown;  // last computed (and persisted)
  // This run has caught the lock up since it was last seen online (resent what it has not
  // confirmed, acknowledged its stored events). A restarted server starts with the persisted
  // reachability but has caught nobody up yet.
  bool caught_up = false;
  std::deque<UnixMs> offline_at;  // offline transitions in the last 24 h
  UnixMs last_battery_sample = 0;
  std::uint8_t last_battery_pct = 255;
  UnixMs persisted_seen = 0;  // last_seen as last written (written at most once a minute)
};

struct ShadowProgress {
  std::uint64_t version = 0;  // the latest desired version (stored)
  // The version at which what the lock should hold last changed: a retry publishes the same
  // content under a new version, so a report for any version from here on settles it.
  std::uint64_t content_version = 0;
  std::uint64_t reported_version = 0;  // the lock's last report
  lockcore::Digest reported_digest{};
  bool in_sync = false;
  runtime::TimerId retry_timer = 0;
  std::unique_ptr<transport::ReconnectBackoff> backoff;
  std::uint64_t payload_version = 0;  // the version `payload` was built for (0: none)
  std::string payload;                // the signed, encoded desired shadow
};

struct RevokedKey {
  lockcore::KeyId id{};
  UnixMs not_after = 0;  // once past, the key no longer opens anything by itself
  UnixMs revoked_at = 0;
};

struct EventProgress {
  bool loaded = false;      // the tracker has been read from the store
  EventTracker tracker;     // what is stored
  std::uint32_t acked = 0;  // the lock confirmed events_ack up to here
  std::optional<lockcore::CommandId> ack_in_flight;
  std::uint32_t ack_in_flight_upto = 0;
};

struct LockRecord {
  LockInfo info;
  std::optional<lockcore::SymmetricKey> pairing_code_key;
  lockcore::OfflineSecret offline_secret{};
  std::uint8_t wrong_code_limit = 5;
  std::uint8_t wrong_code_disable_s = 60;
  std::uint16_t auto_relock_s = 0;
  bool backup_rotate_pending = false;
  std::vector<RevokedKey> revoked_keys;  // on the desired shadow, at most kMaxRevokedKeys
  std::map<std::string, PlacementRecord, std::less<>> placements;  // by credential id
  HealthRecord health;
  ShadowProgress shadow;
  EventProgress events;
  // Refused messages: audited at most once per window, the rest counted.
  UnixMs refusal_audited_at = 0;
  std::uint32_t refusals_suppressed = 0;

  bool hub_linked() const { return info.link != kWifi && info.link != kNoLink; }
};

struct HubRecord {
  HubInfo info;
  std::optional<protocol::DeviceStatus> status;
  std::optional<protocol::HubLinks> links;
  UnixMs last_seen = 0;
  Reachability reachability = Reachability::unknown;
  UnixMs refusal_audited_at = 0;
  std::uint32_t refusals_suppressed = 0;
};

class Model {
 public:
  SiteRecord* site(std::string_view site);
  const SiteRecord* site(std::string_view site) const;
  LockRecord* lock(std::string_view site, std::string_view lock);
  HubRecord* hub(std::string_view site, std::string_view hub);
  const HubRecord* hub(std::string_view site, std::string_view hub) const;

  SiteRecord& add_site(SiteRecord site);
  LockRecord& add_lock(std::unique_ptr<LockRecord> lock);
  HubRecord& add_hub(std::unique_ptr<HubRecord> hub);

  // Every lock linked through `hub`.
  const std::vector<LockRecord*>& locks_behind(std::string_view site, std::string_view hub) const;
  // Every lock of a site (in no particular order), or of every site.
  std::vector<LockRecord*> locks_of(std::string_view site) const;
  std::vector<LockRecord*> all_locks() const;
  std::vector<HubRecord*> hubs_of(std::string_view site) const;

 private:
  static std::string key(std::string_view site, std::string_view id);

  std::unordered_map<std::string, SiteRecord> sites_;
  std::unordered_map<std::string, std::unique_ptr<LockRecord>> locks_;
  std::unordered_map<std::string, std::unique_ptr<HubRecord>> hubs_;
  std::unordered_map<std::string, std::vector<LockRecord*>> behind_hub_;
};

}  // namespace server::devices
