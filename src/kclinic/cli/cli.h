// The kclinic command line: serve, demo, migrate, user, settings, audit verify, --version, and
// the computations score, dose, pk and screen (tools.h).
// Settings come from flags or KCLINIC_* environment variables (flags win).
#pragma once

#include <string_view>

namespace kclinic::cli {

// Runs the command in argv and returns the process exit code: 0 success, 1 failure, 2 bad usage
// or invalid input (with a message naming the option or field on stderr). `allocator` names the
// malloc in use, as the program's entry point found it (cmd/kclinic/main.cc); `--version` and the
// server's start-up log say it.
int Main(int argc, char** argv, std::string_view allocator = "glibc");

}  // namespace kclinic::cli
