#include "kclinic/domain/ports.h"

namespace kclinic::domain {

namespace {
thread_local NonBlockingScope* current_scope = nullptr;
}  // namespace

NonBlockingScope::NonBlockingScope() { current_scope = this; }
NonBlockingScope::~NonBlockingScope() { current_scope = nullptr; }

bool NonBlockingScope::Refuse() {
  if (current_scope == nullptr) return false;
  current_scope->refused_ = true;
  return true;
}

}  // namespace kclinic::domain
