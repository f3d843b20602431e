// Storage port of infusion and esketamine sessions (issue 5).
// Implemented once for SQLite and PostgreSQL in store/infusion_store.cc.
#pragma once

#include <string_view>
#include <vector>

#include "kclinic/domain/ports.h"
#include "kclinic/domain/session/session.h"

namespace kclinic::domain {

// A session as stored: its header and its events in seq order.
struct StoredSession {
  session::SessionRecord record;
  std::vector<session::Event> events;
};

// Sessions are a header row plus append-only events; the header's state and REMS status are kept
// beside it for lists. Errors as in ports.h.
class InfusionRepository {
 public:
  virtual ~InfusionRepository() = default;
  virtual Status Insert(const session::SessionRecord& record) = 0;
  // NotFound when absent.
  virtual Result<StoredSession> Get(std::string_view id) = 0;
  // Appends `events` (their seq must follow the stored ones: Aborted when someone else appended
  // first) and stores the state and REMS status they lead to.
  virtual Status Append(std::string_view id, const std::vector<session::Event>& events,
                        session::State state, bool rems_complete) = 0;
  // Sessions scheduled in [from, to), by time.
  virtual Result<std::vector<StoredSession>> Scheduled(Timestamp from, Timestamp to) = 0;
  // A patient's sessions, by scheduled time.
  virtual Result<std::vector<StoredSession>> ForPatient(const PatientId& patient) = 0;
  // Esketamine sessions past their first device whose REMS form is not complete, by time.
  virtual Result<std::vector<StoredSession>> PendingRems() = 0;
};

}  // namespace kclinic::domain
