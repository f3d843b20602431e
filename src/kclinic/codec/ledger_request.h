// The request bodies of the controlled-substance ledger routes (CLINICAL.md §7, docs/api.md
// "Ledger"), decoded strictly into typed values: one type per field, unknown members rejected,
// every error an InvalidArgument naming the field. Amounts are milligrams of ketamine base.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "kclinic/base/status.h"
#include "kclinic/base/units.h"
#include "kclinic/domain/ledger/ledger.h"

namespace kclinic::codec {

// POST /ledger/receipts: {"supplier": {"name", "address", "dea_number"}, "product",
// "lot_number", "expiry" (YYYY-MM-DD, checked by the use case), "vial_count" (1-10000),
// "strength_mg_per_ml", "vial_volume_ml"}; every member required.
struct LedgerReceiptRequest {
  domain::ledger::Supplier supplier;
  std::string product;
  std::string lot_number;
  std::string expiry;
  int vial_count = 0;
  MgPerMl strength;
  Milliliters vial_volume;
};
Result<LedgerReceiptRequest> DecodeLedgerReceiptRequest(const nlohmann::json& body);

// POST /ledger/counts: {"lot_id", "counted_mg", "note"?}; `note` is "" when absent.
struct LedgerCountRequest {
  std::string lot_id;
  Milligrams counted;
  std::string note;
};
Result<LedgerCountRequest> DecodeLedgerCountRequest(const nlohmann::json& body);

// POST /ledger/adjustments: {"lot_id", "amount_mg" (signed), "reason", "witness_username",
// "witness_password", "witness_code"?}; every member but the code required (an adjustment is
// always witnessed; the code is needed when the witness has a second factor).
struct LedgerAdjustmentRequest {
  std::string lot_id;
  Milligrams amount;  // negative removes stock
  std::string reason;
  std::string witness_username, witness_password, witness_code;
};
Result<LedgerAdjustmentRequest> DecodeLedgerAdjustmentRequest(const nlohmann::json& body);

// POST /ledger/transfers: {"lot_id", "amount_mg", "to", "reason"}; every member required.
struct LedgerTransferRequest {
  std::string lot_id;
  Milligrams amount;
  std::string to;  // the receiving registrant
  std::string reason;
};
Result<LedgerTransferRequest> DecodeLedgerTransferRequest(const nlohmann::json& body);

// POST /ledger/discrepancies/{id}/resolve: {"resolution", "reported_to_dea"? (false when
// absent)}.
struct DiscrepancyResolveRequest {
  std::string resolution;
  bool reported_to_dea = false;
};
Result<DiscrepancyResolveRequest> DecodeDiscrepancyResolveRequest(const nlohmann::json& body);

}  // namespace kclinic::codec
