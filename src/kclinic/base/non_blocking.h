// Whether the current thread may wait. An HTTP event loop that tries a request without blocking
// marks its thread for the attempt (app::NonBlockingScope does, for the patient read); whatever
// would wait for a database connection, a lock or the disk on that thread (the store beginning a
// transaction) asks RefuseBlocking() first and, when it returns true, fails at once (Unavailable)
// instead. Knows nothing of what the attempt is; no allocation, no lock.
#pragma once

namespace kclinic {

// While alive, marks the current thread as one that must not wait; `*refused` is set to true
// the first time anything on the thread is refused. Marks do not nest.
class NonBlockingThreadMark {
 public:
  explicit NonBlockingThreadMark(bool* refused);
  ~NonBlockingThreadMark();
  NonBlockingThreadMark(const NonBlockingThreadMark&) = delete;
  NonBlockingThreadMark& operator=(const NonBlockingThreadMark&) = delete;
};

// For code that would wait: true (and the mark's flag set) when the current thread is marked.
bool RefuseBlocking();

}  // namespace kclinic
