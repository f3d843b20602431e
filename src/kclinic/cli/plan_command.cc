// kclinic plan induction | booster: the series and booster planners with default site settings,
// no database (issue 6).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kclinic/cli/tools.h"
#include "kclinic/codec/json_read.h"
#include "kclinic/codec/schedule_json.h"
#include "kclinic/domain/schedule/booster.h"
#include "kclinic/domain/schedule/clinic.h"
#include "kclinic/domain/schedule/planner.h"
#include "kclinic/domain/schedule/protocol.h"

namespace kclinic::cli {

namespace {

namespace sc = domain::schedule;

struct InductionOptions {
  std::string protocol = "iv-standard";
  std::string start;
  std::string tz = "America/New_York";
  std::string preferred_time;
  bool json = false;
};

struct BoosterOptions {
  std::string history;
  bool json = false;
};

// A clinic with no other bookings (issue 6): the default clinic, staffed for the protocol's
// qualification, over enough days for any built-in or site protocol.
Result<sc::SeriesPlan> PlanInduction(const InductionOptions& o) {
  const sc::Protocol* p = sc::FindBuiltinProtocol(o.protocol);
  if (p == nullptr) {
    std::string ids;
    for (const auto& b : sc::BuiltinProtocols()) ids += (ids.empty() ? "" : ", ") + b.id;
    return InvalidArgument("protocol", "unknown protocol; one of " + ids);
  }
  if (o.start.empty()) return InvalidArgument("start", "is required (YYYY-MM-DD)");
  auto start = ParseDate(o.start);
  if (!start) return InvalidArgument("start", "must be a date YYYY-MM-DD");
  if (!sc::IsKnownTimeZone(o.tz)) {
    return InvalidArgument("tz", "is not a known IANA time zone (e.g. America/New_York)");
  }
  sc::PlanOptions options;
  if (!o.preferred_time.empty()) {
    auto t = sc::ParseLocalTime(o.preferred_time);
    if (!t) return InvalidArgument("preferred_time", "must be a local time HH:MM");
    options.preferred_time = *t;
  }
  const sc::Clinic clinic = sc::DefaultClinic(o.tz, *start, 400);
  return sc::PlanSeries(*p, clinic, *start, options);
}

Result<sc::BoosterProposal> PlanBoosterFrom(const BoosterOptions& o) {
  if (o.history.empty()) return InvalidArgument("history", "is required (a JSON file)");
  std::ifstream in(o.history);
  if (!in) return InvalidArgument("history", "cannot be read: " + o.history);
  std::stringstream text;
  text << in.rdbuf();
  auto body = codec::ParseObject(text.str());
  if (!body.ok())
    return InvalidArgument("history", "is not a JSON object: " + body.status().message());
  KC_ASSIGN_OR_RETURN(auto history, codec::BoosterHistoryFromJson(*body));
  return sc::PlanBooster(history, sc::BoosterSettingsFrom(domain::SiteSettings()));
}

void PrintSeries(const sc::SeriesPlan& plan, const std::string& tz) {
  std::printf("%s: %zu sessions (times in %s)\n", plan.protocol_id.c_str(), plan.sessions.size(),
              tz.c_str());
  for (const auto& s : plan.sessions) {
    std::printf("%2d  %s %s  %s  %s  %s\n", s.number, FormatDate(s.date).c_str(),
                sc::FormatLocalTime(s.time).c_str(), FormatTimestamp(s.start).c_str(),
                s.chair_id.c_str(), s.nurse.c_str());
  }
  for (const auto& b : plan.bent) std::printf("bent: %s\n", b.c_str());
}

void PrintBooster(const sc::BoosterProposal& p) {
  std::printf("next booster    %s (%d days after the last infusion)\n",
              FormatDate(p.next_booster_date).c_str(), p.interval_days);
  std::printf("reason          %s\n", p.reason.c_str());
  std::printf("threshold       PHQ-9 >= %d\n", p.threshold);
  for (const auto& d : p.durations) {
    if (d.censored) {
      std::printf("after %s  well for at least %d days (censored)\n",
                  FormatDate(d.infusion_date).c_str(), d.observed_days);
    } else {
      std::printf("after %s  relapse after %d days\n", FormatDate(d.infusion_date).c_str(),
                  d.observed_days);
    }
  }
}

}  // namespace

ToolRunner AddPlanCommands(CLI::App& app) {
  auto io = std::make_shared<InductionOptions>();
  auto bo = std::make_shared<BoosterOptions>();
  CLI::App* plan = app.add_subcommand("plan", "plan an induction series or the next booster");
  plan->require_subcommand(1);
  CLI::App* induction = plan->add_subcommand(
      "induction", "the earliest valid series of a protocol in an empty default clinic");
  induction->add_option("--protocol", io->protocol,
                        "iv-standard (default), iv-twice-weekly, esketamine-induction, ...");
  induction->add_option("--start", io->start, "first possible day, YYYY-MM-DD (clinic time)");
  induction->add_option("--tz", io->tz, "clinic time zone (default America/New_York)");
  induction->add_option("--preferred-time", io->preferred_time, "preferred local start, HH:MM");
  induction->add_flag("--json", io->json, "print JSON");
  CLI::App* booster = plan->add_subcommand(
      "booster", "the next maintenance booster from dated infusions and PHQ-9 totals");
  booster->add_option("--history", bo->history,
                      "JSON file {\"infusions\": [dates], \"phq9\": [{\"date\", \"score\"}]}");
  booster->add_flag("--json", bo->json, "print JSON");
  return [induction, booster, io, bo]() -> std::optional<int> {
    if (induction->parsed()) {
      auto result = PlanInduction(*io);
      if (!result.ok()) return ToolFail(result.status(), io->json);
      if (io->json) {
        std::cout << codec::SeriesPlanToJson(*result).dump() << "\n";
      } else {
        PrintSeries(*result, io->tz);
      }
      return 0;
    }
    if (booster->parsed()) {
      auto result = PlanBoosterFrom(*bo);
      if (!result.ok()) return ToolFail(result.status(), bo->json);
      if (bo->json) {
        std::cout << codec::BoosterProposalToJson(*result).dump() << "\n";
      } else {
        PrintBooster(*result);
      }
      return 0;
    }
    return std::nullopt;
  };
}

}  // namespace kclinic::cli
