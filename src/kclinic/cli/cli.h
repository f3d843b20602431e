// The kclinic command line: serve, demo, migrate, user, settings, audit verify, --version, and
// the computations score, dose, pk and screen (tools.h).
// Settings come from flags or KCLINIC_* environment variables (flags win).
#pragma once

namespace kclinic::cli {

// Runs the command in argv and returns the process exit code: 0 success, 1 failure, 2 bad usage
// or invalid input (with a message naming the option or field on stderr).
int Main(int argc, char** argv);

}  // namespace kclinic::cli
