#include "kclinic/cli/tools.h"

namespace kclinic::cli {

// Not written yet: adds no subcommand.
ToolRunner AddScoreCommand(CLI::App& app) {
  return [] { return std::optional<int>(); };
}

}  // namespace kclinic::cli
