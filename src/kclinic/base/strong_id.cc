#include "kclinic/base/strong_id.h"

namespace kclinic {

bool IsWellFormedId(std::string_view text) {
  if (text.size() != 32) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace kclinic
