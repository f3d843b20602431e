#include "kclinic/base/non_blocking.h"

namespace kclinic {

namespace {
thread_local bool* refused_flag = nullptr;
}  // namespace

NonBlockingThreadMark::NonBlockingThreadMark(bool* refused) { refused_flag = refused; }
NonBlockingThreadMark::~NonBlockingThreadMark() { refused_flag = nullptr; }

bool RefuseBlocking() {
  if (refused_flag == nullptr) return false;
  *refused_flag = true;
  return true;
}

}  // namespace kclinic
