// diagnose() promises no heap: evidence lines are inline and every container has a fixed
// capacity. Counted here by replacing the global allocation functions (in this binary only).

#include <cstdlib>
#include <new>

#include <gtest/gtest.h>

#include "tests/server/lockout/story.hpp"

namespace {
int allocations = 0;
bool counting = false;
}  // namespace

void* operator new(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// GCC cannot see that these pair with the operator new above.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop

namespace lockout_test {
namespace {

TEST(NoHeap, TheCountSeesAnAllocation) {
  allocations = 0;
  counting = true;
  int* volatile p = new int(7);  // volatile: the pair may not be elided
  counting = false;
  delete p;
  EXPECT_EQ(allocations, 1);
}

TEST(NoHeap, ADiagnosisWithManyCausesAllocatesNothing) {
  allocations = 0;
  Snapshot s = resident_at_door();
  s.lock.hub_online = false;
  s.lock.online = false;
  s.lock.battery_pct = 6;
  s.lock.jams_last_7d = 4;
  s.codes[0].status = CodeStatus::failed;
  s.report.phone.bluetooth_allowed = false;
  s.person.failed_sign_ins = 4;
  for (std::size_t i = 0; i < kSymptomCount; ++i)
    s.report.symptoms.add(static_cast<Symptom>(i));

  counting = true;
  const Diagnosis d = diagnose(s);
  counting = false;
  EXPECT_EQ(allocations, 0);
  EXPECT_GE(d.causes.size(), 6U) << describe(d);
  EXPECT_FALSE(d.plan.empty());
}

}  // namespace
}  // namespace lockout_test
