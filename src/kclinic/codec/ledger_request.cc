#include "kclinic/codec/ledger_request.h"

#include "kclinic/codec/json_read.h"

namespace kclinic::codec {

namespace {

// A number member that must be present (InvalidArgument `key` "is required").
}  // namespace

Result<LedgerReceiptRequest> DecodeLedgerReceiptRequest(const nlohmann::json& body) {
  ObjectReader reader(body, "");
  LedgerReceiptRequest r;
  KC_ASSIGN_OR_RETURN(auto supplier, reader.Object("supplier"));
  if (!supplier) return InvalidArgument("supplier", "is required");
  KC_ASSIGN_OR_RETURN(r.supplier.name, supplier->RequiredString("name"));
  KC_ASSIGN_OR_RETURN(r.supplier.address, supplier->RequiredString("address"));
  KC_ASSIGN_OR_RETURN(r.supplier.dea_number, supplier->RequiredString("dea_number"));
  KC_RETURN_IF_ERROR(supplier->Finish());
  KC_ASSIGN_OR_RETURN(r.product, reader.RequiredString("product"));
  KC_ASSIGN_OR_RETURN(r.lot_number, reader.RequiredString("lot_number"));
  KC_ASSIGN_OR_RETURN(r.expiry, reader.RequiredString("expiry"));
  KC_ASSIGN_OR_RETURN(auto count, reader.Integer("vial_count"));
  if (!count) return InvalidArgument("vial_count", "is required");
  KC_ASSIGN_OR_RETURN(double strength, reader.RequiredNumber("strength_mg_per_ml"));
  KC_ASSIGN_OR_RETURN(double volume, reader.RequiredNumber("vial_volume_ml"));
  KC_RETURN_IF_ERROR(reader.Finish());
  if (*count < 1 || *count > 10000) return InvalidArgument("vial_count", "must be 1-10000");
  r.vial_count = static_cast<int>(*count);
  r.strength = MgPerMl(strength);
  r.vial_volume = Milliliters(volume);
  return r;
}

Result<LedgerCountRequest> DecodeLedgerCountRequest(const nlohmann::json& body) {
  ObjectReader reader(body, "");
  LedgerCountRequest r;
  KC_ASSIGN_OR_RETURN(r.lot_id, reader.RequiredString("lot_id"));
  KC_ASSIGN_OR_RETURN(double counted, reader.RequiredNumber("counted_mg"));
  r.counted = Milligrams(counted);
  KC_ASSIGN_OR_RETURN(auto note, reader.String("note"));
  r.note = note.value_or("");
  KC_RETURN_IF_ERROR(reader.Finish());
  return r;
}

Result<LedgerAdjustmentRequest> DecodeLedgerAdjustmentRequest(const nlohmann::json& body) {
  ObjectReader reader(body, "");
  LedgerAdjustmentRequest r;
  KC_ASSIGN_OR_RETURN(r.lot_id, reader.RequiredString("lot_id"));
  KC_ASSIGN_OR_RETURN(double amount, reader.RequiredNumber("amount_mg"));
  r.amount = Milligrams(amount);
  KC_ASSIGN_OR_RETURN(r.reason, reader.RequiredString("reason"));
  KC_ASSIGN_OR_RETURN(r.witness_username, reader.RequiredString("witness_username"));
  KC_ASSIGN_OR_RETURN(r.witness_password, reader.RequiredString("witness_password"));
  KC_ASSIGN_OR_RETURN(auto code, reader.String("witness_code"));
  r.witness_code = code.value_or("");
  KC_RETURN_IF_ERROR(reader.Finish());
  return r;
}

Result<LedgerTransferRequest> DecodeLedgerTransferRequest(const nlohmann::json& body) {
  ObjectReader reader(body, "");
  LedgerTransferRequest r;
  KC_ASSIGN_OR_RETURN(r.lot_id, reader.RequiredString("lot_id"));
  KC_ASSIGN_OR_RETURN(double amount, reader.RequiredNumber("amount_mg"));
  r.amount = Milligrams(amount);
  KC_ASSIGN_OR_RETURN(r.to, reader.RequiredString("to"));
  KC_ASSIGN_OR_RETURN(r.reason, reader.RequiredString("reason"));
  KC_RETURN_IF_ERROR(reader.Finish());
  return r;
}

Result<DiscrepancyResolveRequest> DecodeDiscrepancyResolveRequest(const nlohmann::json& body) {
  ObjectReader reader(body, "");
  DiscrepancyResolveRequest r;
  KC_ASSIGN_OR_RETURN(r.resolution, reader.RequiredString("resolution"));
  KC_ASSIGN_OR_RETURN(auto reported, reader.Bool("reported_to_dea"));
  r.reported_to_dea = reported.value_or(false);
  KC_RETURN_IF_ERROR(reader.Finish());
  return r;
}

}  // namespace kclinic::codec
