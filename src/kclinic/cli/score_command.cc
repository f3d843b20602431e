// `kclinic score INSTRUMENT --items 1,0,2,... [--json] [--prorate]` and `kclinic score --list`:
// scores one rating scale with the site's default settings, no database.
#include <charconv>
#include <iostream>
#include <memory>
#include <sstream>

#include "kclinic/cli/tools.h"
#include "kclinic/codec/scale_json.h"
#include "kclinic/domain/scales/scoring.h"
#include "kclinic/domain/settings.h"

namespace kclinic::cli {

namespace {

namespace scales = domain::scales;

struct ScoreOptions {
  CLI::App* command = nullptr;
  std::string instrument;
  std::optional<std::string> items;
  bool json = false;
  bool prorate = false;
  bool list = false;
};

// "1,0,,2,-" -> {1, 0, nullopt, 2, nullopt}: empty, "-" or "null" mark an unanswered item.
Result<std::vector<std::optional<int>>> ParseItems(const std::string& text) {
  std::vector<std::optional<int>> items;
  if (text.empty()) return items;
  std::stringstream in(text);
  std::string part;
  int number = 0;
  auto parse_one = [&](std::string word) -> Status {
    ++number;
    const auto first = word.find_first_not_of(" \t");
    const auto last = word.find_last_not_of(" \t");
    word = first == std::string::npos ? "" : word.substr(first, last - first + 1);
    if (word.empty() || word == "-" || word == "null") {
      items.emplace_back();
      return Status::Ok();
    }
    int value = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (ec != std::errc() || end != word.data() + word.size()) {
      return InvalidArgument("item_" + std::to_string(number),
                             "must be an integer, or empty or - when unanswered");
    }
    items.emplace_back(value);
    return Status::Ok();
  };
  while (std::getline(in, part, ',')) KC_RETURN_IF_ERROR(parse_one(part));
  if (text.back() == ',') KC_RETURN_IF_ERROR(parse_one(""));  // getline drops a trailing field
  return items;
}

int List(bool json) {
  if (json) {
    std::cout << codec::InstrumentListToJson().dump() << "\n";
    return 0;
  }
  for (const auto& in : scales::Instruments()) {
    std::cout << in.id << "\t" << in.title << "\t" << scales::RaterName(in.rater) << "\t"
              << scales::LicenceName(in.licence) << "\t" << in.items.size() << " items\t" << in.name
              << "\n";
  }
  return 0;
}

// One readable line: "PHQ-9 total 10/27: moderate; flags: suicidal_ideation".
std::string Describe(const scales::ScoreResult& r) {
  std::string line(r.instrument->title);
  if (r.risk) {
    line += " risk: " + std::string(scales::CssrsRiskName(*r.risk));
  } else if (r.total) {
    line += " total " + std::to_string(*r.total) + "/" + std::to_string(r.instrument->max_total);
    if (r.prorated) line += " (prorated, " + std::to_string(r.missing_items) + " missing)";
    if (r.severity) line += ": " + std::string(r.severity_label);
  }
  if (r.remission) line += "; remission";
  if (r.positive_subscale) line += "; positive subscale " + std::to_string(*r.positive_subscale);
  if (!r.flags.empty()) {
    line += "; flags:";
    for (auto f : r.flags) line += " " + std::string(scales::FlagName(f));
  }
  return line;
}

int Run(const ScoreOptions& o) {
  if (o.list) return List(o.json);
  if (o.instrument.empty()) {
    return ToolFail(InvalidArgument("instrument", "is required (see kclinic score --list)"),
                    o.json);
  }
  const scales::Instrument* instrument = scales::FindInstrument(o.instrument);
  if (!instrument) {
    return ToolFail(InvalidArgument("instrument",
                                    "is not a known instrument (phq9, gad7, madrs, "
                                    "qids-sr16, hamd17, cssrs-screener, cadss, "
                                    "bprs)"),
                    o.json);
  }
  if (!o.items) return ToolFail(InvalidArgument("items", "is required"), o.json);
  auto items = ParseItems(*o.items);
  if (!items.ok()) return ToolFail(items.status(), o.json);
  // The site defaults (no database here); --prorate turns prorating on.
  scales::ScoringOptions options = scales::ScoringOptionsFrom(domain::SiteSettings());
  if (o.prorate) options.prorate = true;
  auto result = scales::Score(*instrument, *items, options);
  if (!result.ok()) return ToolFail(result.status(), o.json);
  if (o.json) {
    std::cout << codec::ScoreResultToJson(*result).dump() << "\n";
  } else {
    std::cout << Describe(*result) << "\n";
  }
  return 0;
}

}  // namespace

ToolRunner AddScoreCommand(CLI::App& app) {
  auto o = std::make_shared<ScoreOptions>();
  o->command = app.add_subcommand("score", "score a rating scale (PHQ-9, GAD-7, MADRS, ...)");
  o->command->add_option("instrument", o->instrument,
                         "phq9, gad7, madrs, qids-sr16, hamd17, cssrs-screener, cadss or bprs");
  o->command->add_option("--items", o->items,
                         "item scores in item order, comma-separated; empty or - = unanswered");
  o->command->add_flag("--json", o->json, "print the result (or error) as JSON");
  o->command->add_flag("--prorate", o->prorate,
                       "prorate over a few unanswered items (labelled prorated)");
  o->command->add_flag("--list", o->list, "list the instruments");
  return [o]() -> std::optional<int> {
    if (!o->command->parsed()) return std::nullopt;
    return Run(*o);
  };
}

}  // namespace kclinic::cli
