// The demo clinic: staff, a portal account and synthetic patients with realistic courses.
#pragma once

#include <string>
#include <vector>

#include "kclinic/app/env.h"

namespace kclinic::app {

struct DemoLogin {
  std::string username;
  std::string role;
  std::string password;
};

// Seeds a demo clinic (staff, a portal account and `patient_count` synthetic patients) when the
// database has no users. Returns the logins to print, or an empty list when it was not empty.
Result<std::vector<DemoLogin>> SeedDemo(const Env& env, int patient_count = 240);

}  // namespace kclinic::app
