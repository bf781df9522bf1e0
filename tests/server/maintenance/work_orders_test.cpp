// The on-site team's side: who hears of a new order, who may list, take and close it, and what
// each step leaves in the audit log. Hostile cases: roles that may not, other sites' ids, steps
// out of order, notes that are not text.

#include "server/maintenance/work_orders.hpp"

#include <gtest/gtest.h>

#include "tests/server/maintenance/world.hpp"

namespace server::maintenance {
namespace {

using testing::code;
using testing::World;

class WorkOrdersTest : public ::testing::Test {
 protected:
  // A motor fault on `lock`: the quickest way to an open order.
  WorkOrder open(const std::string& lock = "u204", const std::string& site = "s1") {
    auto opened = w_.signals().on_hardware_fault(site, lock, Fault::motor, w_.now());
    EXPECT_TRUE(opened.ok() && *opened);
    return opened.ok() && *opened ? **opened : WorkOrder{};
  }

  World w_;
};

TEST_F(WorkOrdersTest, OpeningTellsTheMaintenanceTeamAndManagersAndIsAudited) {
  std::vector<std::string> topics;
  auto sub = w_.live().subscribe("s1", [&](const live::Update& u) { topics.push_back(u.topic); });
  const WorkOrder order = open();
  EXPECT_EQ(w_.work_order_recipients(), (std::vector<std::string>{"acc_maint", "acc_manager"}));
  notify::MessageFilter filter;
  filter.account = "acc_maint";
  auto sent = w_.outbox().list(filter);
  ASSERT_TRUE(sent.ok());
  ASSERT_EQ(sent->size(), 1u);
  EXPECT_EQ((*sent)[0].notice.kind, notify::Kind::work_order);
  EXPECT_EQ((*sent)[0].notice.site, "s1");
  EXPECT_EQ((*sent)[0].notice.address, "acc_maint@example.test");
  EXPECT_NE((*sent)[0].notice.body.find(order.id), std::string::npos);
  auto entries = w_.audit().list({});
  ASSERT_TRUE(entries.ok());
  ASSERT_FALSE(entries->empty());
  EXPECT_EQ((*entries)[0].record.type, audit::AuditType::work_order_opened);
  EXPECT_EQ((*entries)[0].record.actor, "system");
  EXPECT_EQ((*entries)[0].record.subject, "lock:u204");
  EXPECT_EQ(topics, std::vector<std::string>{"work_order"});
  EXPECT_EQ(w_.pokes(), 1);
}

TEST_F(WorkOrdersTest, ASiteWithoutATeamTellsItsOwner) {
  open("front", "s2");
  EXPECT_EQ(w_.work_order_recipients(), std::vector<std::string>{"acc_other"});
}

TEST_F(WorkOrdersTest, ASuspendedMaintenanceMemberIsNotTold) {
  ASSERT_TRUE(w_.access().memberships().suspend("acc_owner", "s1", "acc_maint").ok());
  open();
  EXPECT_EQ(w_.work_order_recipients(), std::vector<std::string>{"acc_manager"});
}

TEST_F(WorkOrdersTest, MaintenanceTakesAndClosesAnOrder) {
  const WorkOrder order = open();
  w_.advance_to(w_.now() + testing::kHour);
  auto taken = w_.orders().take("acc_maint", "s1", order.id);
  ASSERT_TRUE(taken.ok()) << taken.error().message;
  EXPECT_EQ(taken->status, OrderStatus::taken);
  EXPECT_EQ(taken->taken_by, "acc_maint");
  EXPECT_EQ(taken->taken_at, w_.now());
  auto closed = w_.orders().close("acc_maint", "s1", order.id, "Replaced the motor.\nTested 5x.");
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  EXPECT_EQ(closed->status, OrderStatus::closed);
  EXPECT_EQ(closed->closed_note, "Replaced the motor.\nTested 5x.");
  auto stored = w_.orders_at();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].status, OrderStatus::closed);
  EXPECT_EQ(stored[0].taken_by, "acc_maint");
  EXPECT_EQ(stored[0].closed_by, "acc_maint");
  EXPECT_EQ(w_.count("work_order_taken"), 1u);
  EXPECT_EQ(w_.count("work_order_closed"), 1u);
}

TEST_F(WorkOrdersTest, OwnerManagerAndMaintenanceMayListTheOthersMayNot) {
  open();
  for (const char* who : {"acc_owner", "acc_manager", "acc_maint"}) {
    auto list = w_.orders().list(who, "s1", {});
    ASSERT_TRUE(list.ok()) << who;
    EXPECT_EQ(list->size(), 1u) << who;
  }
  for (const char* who : {"acc_resident", "acc_guest", "acc_support"})
    EXPECT_EQ(code(w_.orders().list(who, "s1", {})), Errc::forbidden) << who;
  EXPECT_EQ(code(w_.orders().list("acc_other", "s1", {})), Errc::not_found);
  EXPECT_EQ(code(w_.orders().list("acc_nobody", "s1", {})), Errc::not_found);
}

TEST_F(WorkOrdersTest, AResidentCannotTakeOrClose) {
  const WorkOrder order = open();
  EXPECT_EQ(code(w_.orders().take("acc_resident", "s1", order.id)), Errc::forbidden);
  EXPECT_EQ(code(w_.orders().close("acc_resident", "s1", order.id, "done")), Errc::forbidden);
  EXPECT_EQ(code(w_.orders().take("acc_guest", "s1", order.id)), Errc::forbidden);
  EXPECT_EQ(w_.orders_at()[0].status, OrderStatus::open);
  EXPECT_EQ(w_.count("work_order_taken"), 0u);
}

TEST_F(WorkOrdersTest, AnotherSitesOrderIsNotFoundLikeOneThatDoesNotExist) {
  const WorkOrder theirs = open("front", "s2");
  // Through my site's path, their id is no order of mine.
  auto through_mine = w_.orders().take("acc_maint", "s1", theirs.id);
  auto nowhere = w_.orders().take("acc_maint", "s1", "wo_00000000000000000000000000000000");
  EXPECT_EQ(code(through_mine), Errc::not_found);
  EXPECT_EQ(code(nowhere), Errc::not_found);
  EXPECT_EQ(through_mine.error().message, nowhere.error().message);
  // Through their site's path, I am nobody there.
  EXPECT_EQ(code(w_.orders().close("acc_maint", "s2", theirs.id, "x")), Errc::not_found);
  EXPECT_EQ(code(w_.orders().take("acc_maint", "s1", "wo_x' OR '1'='1")), Errc::not_found);
  EXPECT_EQ(w_.orders_at("s2")[0].status, OrderStatus::open);
}

TEST_F(WorkOrdersTest, StepsOutOfOrderAreConflicts) {
  const WorkOrder order = open();
  ASSERT_TRUE(w_.orders().take("acc_maint", "s1", order.id).ok());
  EXPECT_EQ(code(w_.orders().take("acc_manager", "s1", order.id)), Errc::conflict);
  ASSERT_TRUE(w_.orders().close("acc_manager", "s1", order.id, "done").ok());
  EXPECT_EQ(code(w_.orders().close("acc_maint", "s1", order.id, "again")), Errc::conflict);
  EXPECT_EQ(code(w_.orders().take("acc_maint", "s1", order.id)), Errc::conflict);
  EXPECT_EQ(w_.count("work_order_closed"), 1u);
}

TEST_F(WorkOrdersTest, AnOpenOrderMayBeClosedWithoutBeingTaken) {
  const WorkOrder order = open();
  auto closed = w_.orders().close("acc_owner", "s1", order.id, "duplicate of a call");
  ASSERT_TRUE(closed.ok());
  EXPECT_FALSE(closed->taken_by);
}

TEST_F(WorkOrdersTest, ANoteMustBeText) {
  const WorkOrder order = open();
  for (const std::string& note :
       {std::string(), std::string(kMaxNote + 1, 'a'), std::string("bell\a"),
        std::string("nul\0byte", 8), std::string("\xC3\x28"), std::string("\xE2\x82")}) {
    auto r = w_.orders().close("acc_maint", "s1", order.id, note);
    EXPECT_EQ(code(r), Errc::invalid_field) << note.size();
    if (!r.ok()) {
      EXPECT_EQ(r.error().field, "note");
    }
  }
  EXPECT_TRUE(w_.orders().close("acc_maint", "s1", order.id, std::string(kMaxNote, 'a')).ok());
}

TEST_F(WorkOrdersTest, ListsFilterByStatusAndKind) {
  const WorkOrder motor = open("u204");
  ASSERT_TRUE(w_.signals().on_battery_sample("s1", "u205", 10, {}, w_.now()).ok());
  ASSERT_TRUE(w_.orders().take("acc_maint", "s1", motor.id).ok());
  ListFilter taken;
  taken.status = OrderStatus::taken;
  auto t = w_.orders().list("acc_maint", "s1", taken);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 1u);
  EXPECT_EQ((*t)[0].id, motor.id);
  ListFilter battery;
  battery.kind = Kind::battery;
  auto b = w_.orders().list("acc_maint", "s1", battery);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*b)[0].target, "u205");
  EXPECT_EQ(w_.orders().list("acc_maint", "s1", {})->size(), 2u);
}

TEST_F(WorkOrdersTest, TheStoreRefusesASecondOpenOrderEvenIfTheCheckWereSkipped) {
  const WorkOrder order = open();
  auto duplicate = w_.db().execute(
      "INSERT INTO work_orders (id, site, target, kind, status, opened_at, reason) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {std::string("wo_dup"), std::string("s1"), std::string("u204"), std::string("lock_hardware"),
       std::string("taken"), w_.now(), std::string("x")});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, store::Errc::unique_violation);
  ASSERT_TRUE(w_.orders().close("acc_maint", "s1", order.id, "done").ok());
  auto after_close = w_.signals().on_hardware_fault("s1", "u204", Fault::keypad, w_.now());
  ASSERT_TRUE(after_close.ok());
  EXPECT_TRUE(*after_close);
}

}  // namespace
}  // namespace server::maintenance
