// Routes of the controlled-substance ledger (CLINICAL.md §7): lots and their entries, receipts,
// counts, adjustments, transfers, discrepancies, the reconciliation report and the inventory.
#include "kclinic/http/api_ledger.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "kclinic/codec/ledger_request.h"
#include "kclinic/http/api.h"
#include "kclinic/http/api_util.h"

namespace kclinic::http {

using domain::Permission;
using nlohmann::json;
namespace ledger = domain::ledger;

namespace {

double Round3(double v) { return std::round(v * 1000) / 1000; }

json SupplierJson(const ledger::Supplier& s) {
  return {{"name", s.name}, {"address", s.address}, {"dea_number", s.dea_number}};
}

}  // namespace

json LedgerLotJson(const app::LotView& v) {
  const auto& l = v.lot;
  return {{"id", l.id},
          {"product", l.product},
          {"strength_mg_per_ml", l.strength.value()},
          {"vial_volume_ml", l.vial_volume.value()},
          {"lot_number", l.lot_number},
          {"expiry", FormatDate(l.expiry)},
          {"supplier", SupplierJson(l.supplier)},
          {"vials_received", l.vials_received},
          {"received_at", FormatTimestamp(l.received_at)},
          {"received_by", l.received_by},
          {"balance_mg", Round3(v.balance.value())},
          {"balance_ml", Round3(v.balance_ml.value())},
          {"expired", v.expired}};
}

// The session an entry or a custody row names, for people: its patient and when it was booked.
json SessionLabelJson(const app::SessionLabels& labels, const std::string& session_id) {
  auto it = labels.find(session_id);
  if (it == labels.end()) return nullptr;
  return {{"patient_name",
           {{"given", it->second.patient.given}, {"family", it->second.patient.family}}},
          {"scheduled_at", FormatTimestamp(it->second.scheduled_at)}};
}

json LedgerEntryJson(const ledger::Entry& e, const app::SessionLabels& labels) {
  return {{"id", e.id},
          {"lot_id", e.lot_id},
          {"seq", e.seq},
          {"kind", ledger::KindName(e.kind)},
          {"amount_mg", Round3(e.amount_mg.value())},
          {"amount_ml", Round3(e.amount_ml.value())},
          {"at", FormatTimestamp(e.at)},
          {"by", e.by},
          {"witness", e.witness.empty() ? json(nullptr) : json(e.witness)},
          {"session_id", e.session_id.empty() ? json(nullptr) : json(e.session_id)},
          {"patient_id", e.patient_id ? json(e.patient_id->value()) : json(nullptr)},
          {"reason", e.reason},
          {"balance_after_mg", Round3(e.balance_after.value())},
          {"session", SessionLabelJson(labels, e.session_id)}};
}

json LedgerDiscrepancyJson(const app::DiscrepancyView& v) {
  const auto& d = v.discrepancy;
  return {{"id", d.id},
          {"lot_id", d.lot_id},
          {"lot_number", v.lot_number},
          {"kind", d.kind},
          {"entry_id", d.entry_id.empty() ? json(nullptr) : json(d.entry_id)},
          {"session_id", d.session_id.empty() ? json(nullptr) : json(d.session_id)},
          {"expected_mg", Round3(d.expected.value())},
          {"counted_mg", Round3(d.counted.value())},
          {"discrepancy_mg", Round3(d.difference().value())},
          {"detected_at", FormatTimestamp(d.detected_at)},
          {"detected_by", d.detected_by},
          {"report_due", FormatTimestamp(d.report_due)},
          {"overdue", v.overdue},
          {"status", d.open() ? "open" : "resolved"},
          {"resolved_at", d.resolved_at ? json(FormatTimestamp(*d.resolved_at)) : json(nullptr)},
          {"resolved_by", d.resolved_by.empty() ? json(nullptr) : json(d.resolved_by)},
          {"resolution", d.resolution.empty() ? json(nullptr) : json(d.resolution)},
          {"reported_to_dea", d.reported_to_dea}};
}

json LedgerReportJson(const app::LedgerReport& r) {
  json lots = json::array();
  for (const auto& l : r.lots) {
    json entries = json::array();
    for (const auto& e : l.entries) entries.push_back(LedgerEntryJson(e, r.sessions));
    json sessions = json::array();
    for (const auto& s : l.sessions) {
      const double accounted = s.administered.value() + s.wasted.value() + s.returned.value();
      sessions.push_back(
          {{"session_id", s.session_id},
           {"session", SessionLabelJson(r.sessions, s.session_id)},
           {"patient_id", s.patient_id ? json(s.patient_id->value()) : json(nullptr)},
           {"drawn_mg", Round3(s.drawn.value())},
           {"administered_mg", Round3(s.administered.value())},
           {"wasted_mg", Round3(s.wasted.value())},
           {"returned_mg", Round3(s.returned.value())},
           {"unaccounted_mg", Round3(s.drawn.value() - accounted)},
           {"reconciles", s.reconciles()}});
    }
    lots.push_back({{"lot", LedgerLotJson(l.lot)},
                    {"opening_balance_mg", Round3(l.opening.value())},
                    {"closing_balance_mg", Round3(l.closing.value())},
                    {"entries", std::move(entries)},
                    {"totals",
                     {{"received_mg", Round3(l.received.value())},
                      {"drawn_mg", Round3(l.drawn.value())},
                      {"administered_mg", Round3(l.administered.value())},
                      {"wasted_mg", Round3(l.wasted.value())},
                      {"returned_mg", Round3(l.returned.value())},
                      {"transferred_out_mg", Round3(l.transferred.value())},
                      {"adjusted_mg", Round3(l.adjusted.value())}}},
                    {"sessions", std::move(sessions)}});
  }
  json open = json::array();
  for (const auto& d : r.open_discrepancies) open.push_back(LedgerDiscrepancyJson(d));
  return {{"from", FormatDate(r.from)},
          {"to", FormatDate(r.to)},
          {"retention_years", r.retention_years},
          {"retention_note",
           "kclinic never deletes ledger entries; they are kept at least this many years"},
          {"lots", std::move(lots)},
          {"open_discrepancies", std::move(open)}};
}

void Api::AddLedgerRoutes() {
  router_.Add({"GET", "/api/v1/ledger/lots", Permission::kLedgerRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto lots, ledger_.Lots(ctx.actor()));
                 json list = json::array();
                 for (const auto& l : lots) list.push_back(LedgerLotJson(l));
                 return JsonResponse(200, {{"lots", std::move(list)}});
               }});

  router_.Add({"POST", "/api/v1/ledger/receipts", Permission::kLedgerWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeLedgerReceiptRequest(body));
                 app::ReceiptRequest request;
                 request.supplier = std::move(r.supplier);
                 request.product = std::move(r.product);
                 request.lot_number = std::move(r.lot_number);
                 request.expiry = std::move(r.expiry);
                 request.vial_count = r.vial_count;
                 request.strength_mg_per_ml = r.strength.value();
                 request.vial_volume_ml = r.vial_volume.value();
                 KC_ASSIGN_OR_RETURN(auto lot, ledger_.Receive(ctx.actor(), request));
                 return JsonResponse(201, LedgerLotJson(lot));
               }});

  router_.Add({"GET", "/api/v1/ledger/lots/{lot_id}", Permission::kLedgerRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "lot_id"));
                 KC_ASSIGN_OR_RETURN(auto detail, ledger_.Lot(ctx.actor(), id));
                 json out = LedgerLotJson(detail.lot);
                 json entries = json::array();
                 for (const auto& e : detail.entries) {
                   entries.push_back(LedgerEntryJson(e, detail.sessions));
                 }
                 out["entries"] = std::move(entries);
                 return JsonResponse(200, out);
               }});

  router_.Add({"POST", "/api/v1/ledger/counts", Permission::kLedgerWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeLedgerCountRequest(body));
                 KC_ASSIGN_OR_RETURN(
                     auto done, ledger_.Count(ctx.actor(), r.lot_id, r.counted, std::move(r.note)));
                 return JsonResponse(
                     201,
                     {{"entry", LedgerEntryJson(done.entry)},
                      {"expected_mg", Round3(done.expected.value())},
                      {"counted_mg", Round3(done.counted.value())},
                      {"discrepancy_mg", Round3(done.counted.value() - done.expected.value())},
                      {"discrepancy", done.discrepancy ? LedgerDiscrepancyJson(*done.discrepancy)
                                                       : json(nullptr)}});
               }});

  router_.Add({"POST", "/api/v1/ledger/adjustments", Permission::kLedgerWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeLedgerAdjustmentRequest(body));
                 KC_ASSIGN_OR_RETURN(auto e, ledger_.Adjust(ctx.actor(), r.lot_id, r.amount,
                                                            std::move(r.reason), r.witness_username,
                                                            r.witness_password, r.witness_code));
                 return JsonResponse(201, LedgerEntryJson(e));
               }});

  router_.Add({"POST", "/api/v1/ledger/transfers", Permission::kLedgerWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeLedgerTransferRequest(body));
                 KC_ASSIGN_OR_RETURN(
                     auto e, ledger_.Transfer(ctx.actor(), r.lot_id, r.amount, std::move(r.to),
                                              std::move(r.reason)));
                 return JsonResponse(201, LedgerEntryJson(e));
               }});

  router_.Add({"GET", "/api/v1/ledger/discrepancies", Permission::kLedgerRead,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {}));
                 KC_ASSIGN_OR_RETURN(auto list, ledger_.Discrepancies(ctx.actor()));
                 json out = json::array();
                 for (const auto& d : list) out.push_back(LedgerDiscrepancyJson(d));
                 return JsonResponse(200, {{"discrepancies", std::move(out)}});
               }});

  router_.Add({"POST", "/api/v1/ledger/discrepancies/{discrepancy_id}/resolve",
               Permission::kLedgerWrite, [this](RouteContext& ctx) -> Result<Response> {
                 KC_ASSIGN_OR_RETURN(auto id, IdParam(ctx, "discrepancy_id"));
                 KC_ASSIGN_OR_RETURN(auto body, Body(ctx.request));
                 KC_ASSIGN_OR_RETURN(auto r, codec::DecodeDiscrepancyResolveRequest(body));
                 KC_ASSIGN_OR_RETURN(
                     auto d,
                     ledger_.Resolve(ctx.actor(), id, std::move(r.resolution), r.reported_to_dea));
                 return JsonResponse(200, LedgerDiscrepancyJson(d));
               }});

  router_.Add(
      {"GET", "/api/v1/ledger/report", Permission::kLedgerRead,
       [this](RouteContext& ctx) -> Result<Response> {
         KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {"from", "to"}));
         // Defaults: from the first of this month (UTC) to today.
         const std::chrono::year_month_day today = DateOf(env_.clock.Now());
         std::optional<std::chrono::year_month_day> dates[2] = {
             std::chrono::year_month_day(today.year(), today.month(), std::chrono::day(1)), today};
         const char* names[2] = {"from", "to"};
         for (int i = 0; i < 2; ++i) {
           auto it = ctx.request.query.find(names[i]);
           if (it == ctx.request.query.end()) continue;
           dates[i] = ParseDate(it->second);
           if (!dates[i]) return InvalidArgument(names[i], "must be a date YYYY-MM-DD");
         }
         KC_ASSIGN_OR_RETURN(auto report, ledger_.Report(&ctx.actor(), *dates[0], *dates[1]));
         return JsonResponse(200, LedgerReportJson(report));
       }});

  router_.Add({"GET", "/api/v1/ledger/inventory", Permission::kLedgerWrite,
               [this](RouteContext& ctx) -> Result<Response> {
                 KC_RETURN_IF_ERROR(CheckQuery(ctx.request, {"kind", "at", "time"}));
                 auto param = [&](const char* key, const char* fallback) {
                   auto it = ctx.request.query.find(key);
                   return it == ctx.request.query.end() ? std::string(fallback) : it->second;
                 };
                 const std::string at = param("at", "");
                 std::optional<std::chrono::year_month_day> date =
                     at.empty() ? std::optional(DateOf(env_.clock.Now())) : ParseDate(at);
                 if (!date) return InvalidArgument("at", "must be a date YYYY-MM-DD");
                 KC_ASSIGN_OR_RETURN(
                     auto inv, ledger_.TakeInventory(ctx.actor(), param("kind", "biennial"), *date,
                                                     param("time", "close")));
                 json lines = json::array();
                 for (const auto& l : inv.lines) {
                   lines.push_back({{"lot", LedgerLotJson(l.lot)},
                                    {"balance_mg", Round3(l.balance.value())},
                                    {"balance_ml", Round3(l.lot.balance_ml.value())},
                                    {"full_vials", Round3(l.full_vials)}});
                 }
                 return JsonResponse(200, {{"kind", inv.kind},
                                           {"date", FormatDate(inv.date)},
                                           {"time", inv.time},
                                           {"as_of", FormatTimestamp(inv.as_of)},
                                           {"taken_by", inv.taken_by},
                                           {"lots", std::move(lines)}});
               }});
}

}  // namespace kclinic::http
