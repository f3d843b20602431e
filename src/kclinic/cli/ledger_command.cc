// `kclinic ledger report --from YYYY-MM-DD --to YYYY-MM-DD [--json] [--db URL]`: the
// controlled-substance ledger of a date range (CLINICAL.md §7): per lot the opening balance, every
// entry with its running balance, the closing balance, totals, per-session reconciliation and the
// open discrepancies. The JSON is the document GET /api/v1/ledger/report answers.
#include <cstdio>
#include <iostream>

#include "kclinic/app/ledger.h"
#include "kclinic/base/crypto.h"
#include "kclinic/cli/tools.h"
#include "kclinic/http/api_ledger.h"
#include "kclinic/store/soci_store.h"

namespace kclinic::cli {

namespace {

struct LedgerOptions {
  CLI::App* report = nullptr;
  std::string from, to;
  bool json = false;
  std::string db = "sqlite:var/kclinic.db";
};

std::string Mg(double mg) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", mg);
  std::string s(buf);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

void PrintText(const app::LedgerReport& r) {
  std::cout << "Controlled-substance ledger " << FormatDate(r.from) << " to " << FormatDate(r.to)
            << " (entries are never deleted; kept at least " << r.retention_years << " years)\n";
  for (const auto& l : r.lots) {
    const auto& lot = l.lot.lot;
    std::cout << "\nLot " << lot.lot_number << "  " << lot.product << "  "
              << Mg(lot.strength.value()) << " mg/mL x " << Mg(lot.vial_volume.value())
              << " mL  expires " << FormatDate(lot.expiry) << (l.lot.expired ? " (EXPIRED)" : "")
              << "\n  supplier " << lot.supplier.name << ", DEA " << lot.supplier.dea_number
              << "\n  opening balance " << Mg(l.opening.value()) << " mg\n";
    std::cout << "  " << Pad("seq", 5) << Pad("at", 22) << Pad("kind", 14) << Pad("mg", 10)
              << Pad("balance", 10) << Pad("by", 16) << Pad("witness", 16) << "session\n";
    for (const auto& e : l.entries) {
      std::cout << "  " << Pad(std::to_string(e.seq), 5) << Pad(FormatTimestamp(e.at), 22)
                << Pad(std::string(domain::ledger::KindName(e.kind)), 14)
                << Pad(Mg(e.amount_mg.value()), 10) << Pad(Mg(e.balance_after.value()), 10)
                << Pad(e.by, 16) << Pad(e.witness.empty() ? "-" : e.witness, 16)
                << (e.session_id.empty() ? "-" : e.session_id) << "\n";
    }
    std::cout << "  closing balance " << Mg(l.closing.value()) << " mg\n"
              << "  received " << Mg(l.received.value()) << "  drawn " << Mg(l.drawn.value())
              << "  administered " << Mg(l.administered.value()) << "  wasted "
              << Mg(l.wasted.value()) << "  returned " << Mg(l.returned.value())
              << "  transferred out " << Mg(l.transferred.value()) << "  adjusted "
              << Mg(l.adjusted.value()) << " (mg)\n";
    for (const auto& s : l.sessions) {
      std::cout << "  session " << s.session_id << ": drawn " << Mg(s.drawn.value())
                << " = administered " << Mg(s.administered.value()) << " + wasted "
                << Mg(s.wasted.value()) << " + returned " << Mg(s.returned.value()) << "  "
                << (s.reconciles() ? "reconciles" : "DOES NOT RECONCILE") << "\n";
    }
  }
  std::cout << "\nOpen discrepancies: " << r.open_discrepancies.size() << "\n";
  for (const auto& d : r.open_discrepancies) {
    std::cout << "  lot " << d.lot_number << " " << d.discrepancy.kind << " expected "
              << Mg(d.discrepancy.expected.value()) << " counted "
              << Mg(d.discrepancy.counted.value()) << "  report due "
              << FormatTimestamp(d.discrepancy.report_due) << (d.overdue ? "  OVERDUE" : "")
              << "\n";
  }
}

int Run(const LedgerOptions& o) {
  auto from = ParseDate(o.from);
  if (!from) return ToolFail(InvalidArgument("from", "--from must be a date YYYY-MM-DD"), o.json);
  auto to = ParseDate(o.to);
  if (!to) return ToolFail(InvalidArgument("to", "--to must be a date YYYY-MM-DD"), o.json);
  auto store = store::OpenStore({o.db, 2});
  if (!store.ok()) return ToolFail(store.status(), o.json);
  if (auto migrated = (*store)->Migrate(); !migrated.ok()) {
    return ToolFail(migrated.status(), o.json);
  }
  app::AuditWriter audit(**store);
  app::SettingsCache settings(**store, SystemClock::Get());
  app::Env env{**store, audit, SystemClock::Get(), settings};
  app::LedgerService service(env);
  auto report = service.Report(nullptr, *from, *to);
  if (!report.ok()) return ToolFail(report.status(), o.json);
  if (o.json) {
    std::cout << http::LedgerReportJson(*report).dump() << "\n";
  } else {
    PrintText(*report);
  }
  return 0;
}

}  // namespace

ToolRunner AddLedgerCommand(CLI::App& app) {
  auto o = std::make_shared<LedgerOptions>();
  CLI::App* ledger = app.add_subcommand("ledger", "the controlled-substance ledger");
  ledger->require_subcommand(1);
  o->report = ledger->add_subcommand("report", "the ledger of a date range, reconciled");
  o->report->add_option("--from", o->from, "first day, YYYY-MM-DD (UTC)")->required();
  o->report->add_option("--to", o->to, "last day, YYYY-MM-DD (UTC)")->required();
  o->report->add_flag("--json", o->json, "print JSON (the API's report document)");
  o->report->add_option("--db", o->db, "sqlite:PATH or postgresql://USER@HOST:PORT/DB")
      ->envname("KCLINIC_DB")
      ->capture_default_str();
  return [o]() -> std::optional<int> {
    if (!o->report->parsed()) return std::nullopt;
    return Run(*o);
  };
}

}  // namespace kclinic::cli
