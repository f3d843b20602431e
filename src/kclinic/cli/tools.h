// Computation subcommands that need no database: score, dose, pk, screen. Each lives in its own
// file and plugs into Main() through one Add* function, so cli.cc stays a list of commands.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>

#include "kclinic/base/status.h"

namespace kclinic::cli {

// Runs the command if one of the subcommands it added was parsed and returns its exit code;
// returns nullopt otherwise.
using ToolRunner = std::function<std::optional<int>()>;

ToolRunner AddScoreCommand(CLI::App& app);   // cli/score_command.cc
ToolRunner AddDoseCommand(CLI::App& app);    // cli/dose_command.cc
ToolRunner AddPkCommands(CLI::App& app);     // cli/pk_command.cc: pk, pk population
ToolRunner AddScreenCommand(CLI::App& app);  // cli/screen_command.cc
ToolRunner AddPlanCommands(CLI::App& app);   // cli/plan_command.cc: plan induction, plan booster
// Not a pure computation: opens the database named by --db (cli/ledger_command.cc).
ToolRunner AddLedgerCommand(CLI::App& app);
// backup, backup keygen, backup verify and restore (cli/backup_command.cc).
ToolRunner AddBackupCommands(CLI::App& app);

// Reports a failed computation: with `as_json`, {"error": {"code", "message", "field"}} on
// stdout; otherwise "kclinic: FIELD: MESSAGE" on stderr. Returns 2 for invalid input, else 1.
int ToolFail(const Status& status, bool as_json);

}  // namespace kclinic::cli
