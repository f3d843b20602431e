#include <algorithm>
#include <cstdlib>

#include "kclinic/base/embedded.h"
#include "kclinic/store/soci_store.h"

namespace kclinic::store {

std::vector<Migration> MigrationsFor(std::string_view backend) {
  // Files are store/migrations/<backend>/NNNN_name.sql.
  std::string dir =
      "store/migrations/" + std::string(backend == "sqlite" ? "sqlite" : "postgres") + "/";
  std::vector<Migration> out;
  for (const EmbeddedFile& f : EmbeddedFiles()) {
    if (f.path.rfind(dir, 0) != 0) continue;
    std::string file(f.path.substr(dir.size()));
    out.push_back({std::atoi(file.c_str()), file, std::string(f.content)});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.number < b.number; });
  return out;
}

}  // namespace kclinic::store
