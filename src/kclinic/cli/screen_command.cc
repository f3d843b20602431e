// kclinic screen: screens an intake file with the default site settings (no database).
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "kclinic/cli/tools.h"
#include "kclinic/codec/intake_json.h"
#include "kclinic/domain/screening/screening.h"

namespace kclinic::cli {

namespace {

struct ScreenOptions {
  std::string intake;
  bool json = false;
};

Result<domain::screening::ScreeningResult> Run(const ScreenOptions& o) {
  if (o.intake.empty()) return InvalidArgument("intake", "is required: --intake FILE");
  std::ifstream in(o.intake, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) {
    return InvalidArgument("intake", "cannot read the file " + o.intake);
  }
  auto intake = codec::IntakeFromText(text.str());
  if (!intake.ok()) {
    const Status& s = intake.status();
    // The whole file is the "body": name the option instead.
    if (s.field() == "body") return InvalidArgument("intake", s.message());
    return s;
  }
  return domain::screening::Screen(*intake, domain::SiteSettings());
}

void PrintText(const domain::screening::ScreeningResult& r) {
  std::cout << "TRD: " << (r.trd.meets_trd ? "met" : "not met") << " — " << r.trd.explanation
            << "\n";
  for (const auto& t : r.trd.trials) std::cout << "  trial " << t.index << ": " << t.reason << "\n";
  if (r.findings.empty()) std::cout << "No findings.\n";
  for (const auto& f : r.findings) {
    std::cout << SeverityCode(f.severity) << "  " << f.rule_id << ": " << f.message << "\n"
              << "    source: " << f.citation << "\n";
    if (!f.setting_key.empty()) std::cout << "    setting: " << f.setting_key << "\n";
  }
  std::cout << "rules version " << r.rules_version << ", settings version " << r.settings_version
            << "\n";
}

}  // namespace

ToolRunner AddScreenCommand(CLI::App& app) {
  auto o = std::make_shared<ScreenOptions>();
  CLI::App* cmd =
      app.add_subcommand("screen",
                         "screen a candidate's intake (JSON file) for TRD, contraindications, "
                         "interactions and missing evaluation items (default settings)");
  cmd->add_option("--intake", o->intake, "intake JSON file");
  cmd->add_flag("--json", o->json, "print JSON");
  return [cmd, o]() -> std::optional<int> {
    if (!cmd->parsed()) return std::nullopt;
    auto result = Run(*o);
    if (!result.ok()) return ToolFail(result.status(), o->json);
    if (o->json) {
      std::cout << codec::ScreeningResultToJson(*result).dump() << "\n";
    } else {
      PrintText(*result);
    }
    return 0;
  };
}

}  // namespace kclinic::cli
