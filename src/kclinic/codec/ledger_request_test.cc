#include "kclinic/codec/ledger_request.h"

#include <gtest/gtest.h>

#include "kclinic/codec/request_test_util.h"

namespace kclinic::codec {
namespace {

using nlohmann::json;

// A good receipt body with member `key` replaced by `value` (or removed when value is "-").
std::string Receipt(const std::string& key = "", const std::string& value = "") {
  json body = json::parse(R"({
    "supplier": {"name": "Acme Pharma", "address": "1 Main St", "dea_number": "RA1234563"},
    "product": "ketamine HCl 50 mg/mL", "lot_number": "K2291", "expiry": "2028-01-31",
    "vial_count": 10, "strength_mg_per_ml": 50, "vial_volume_ml": 10})");
  if (!key.empty()) {
    if (value == "-") {
      body.erase(key);
    } else {
      body[key] = json::parse(value);
    }
  }
  return body.dump();
}

TEST(DecodeLedgerReceiptRequest, ReadsEveryField) {
  auto r = DecodeLedgerReceiptRequest(json::parse(Receipt()));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->supplier.name, "Acme Pharma");
  EXPECT_EQ(r->supplier.address, "1 Main St");
  EXPECT_EQ(r->supplier.dea_number, "RA1234563");
  EXPECT_EQ(r->product, "ketamine HCl 50 mg/mL");
  EXPECT_EQ(r->lot_number, "K2291");
  EXPECT_EQ(r->expiry, "2028-01-31");
  EXPECT_EQ(r->vial_count, 10);
  EXPECT_EQ(r->strength, MgPerMl(50));
  EXPECT_EQ(r->vial_volume, Milliliters(10));
}

TEST(DecodeLedgerReceiptRequest, NamesTheBadField) {
  ExpectRefused<LedgerReceiptRequest>(
      DecodeLedgerReceiptRequest,
      {{Receipt("supplier", "-"), "supplier", "is required"},
       {Receipt("supplier", R"("Acme")"), "supplier", "must be an object"},
       {Receipt("supplier", R"({"address":"a","dea_number":"d"})"), "supplier.name", "is required"},
       {Receipt("supplier", R"({"name":"n","dea_number":"d"})"), "supplier.address", "is required"},
       {Receipt("supplier", R"({"name":"n","address":"a"})"), "supplier.dea_number", "is required"},
       {Receipt("supplier", R"({"name":"n","address":"a","dea_number":"d","fax":"f"})"),
        "supplier.fax", "is not a known field"},
       {Receipt("product", "-"), "product", "is required"},
       {Receipt("lot_number", "7"), "lot_number", "must be a string"},
       {Receipt("expiry", "-"), "expiry", "is required"},
       {Receipt("vial_count", "-"), "vial_count", "is required"},
       {Receipt("vial_count", "2.5"), "vial_count", "must be an integer"},
       {Receipt("vial_count", "0"), "vial_count", "must be 1-10000"},
       {Receipt("vial_count", "10001"), "vial_count", "must be 1-10000"},
       {Receipt("strength_mg_per_ml", "-"), "strength_mg_per_ml", "is required"},
       {Receipt("strength_mg_per_ml", R"("50")"), "strength_mg_per_ml", "must be a number"},
       {Receipt("vial_volume_ml", "-"), "vial_volume_ml", "is required"},
       {Receipt("schedule", R"("III")"), "schedule", "is not a known field"},
       // The count's range is checked after unknown members.
       {Receipt("vial_count", "0").replace(0, 1, R"({"x":1,)"), "x", "is not a known field"}});
}

TEST(DecodeLedgerCountRequest, ReadsTheCount) {
  auto r = DecodeLedgerCountRequest(json::parse(R"({"lot_id":"L1","counted_mg":480.5})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->lot_id, "L1");
  EXPECT_EQ(r->counted, Milligrams(480.5));
  EXPECT_EQ(r->note, "");
  ExpectRefused<LedgerCountRequest>(
      DecodeLedgerCountRequest,
      {{R"({"counted_mg":1})", "lot_id", "is required"},
       {R"({"lot_id":"L1"})", "counted_mg", "is required"},
       {R"({"lot_id":"L1","counted_mg":"1"})", "counted_mg", "must be a number"},
       {R"({"lot_id":"L1","counted_mg":1,"note":2})", "note", "must be a string"},
       {R"({"lot_id":"L1","counted_mg":1,"by":"x"})", "by", "is not a known field"}});
}

TEST(DecodeLedgerAdjustmentRequest, RequiresAWitness) {
  auto r = DecodeLedgerAdjustmentRequest(json::parse(
      R"({"lot_id":"L1","amount_mg":-2.5,"reason":"broken vial","witness_username":"n2",
          "witness_password":"pw"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->lot_id, "L1");
  EXPECT_EQ(r->amount, Milligrams(-2.5));
  EXPECT_EQ(r->reason, "broken vial");
  EXPECT_EQ(r->witness_username, "n2");
  EXPECT_EQ(r->witness_password, "pw");
  ExpectRefused<LedgerAdjustmentRequest>(
      DecodeLedgerAdjustmentRequest,
      {{R"({"amount_mg":1})", "lot_id", "is required"},
       {R"({"lot_id":"L1","reason":"r"})", "amount_mg", "is required"},
       {R"({"lot_id":"L1","amount_mg":"1"})", "amount_mg", "must be a number"},
       {R"({"lot_id":"L1","amount_mg":1})", "reason", "is required"},
       {R"({"lot_id":"L1","amount_mg":1,"reason":"r"})", "witness_username", "is required"},
       {R"({"lot_id":"L1","amount_mg":1,"reason":"r","witness_username":"n"})", "witness_password",
        "is required"},
       {R"({"lot_id":"L1","amount_mg":1,"reason":"r","witness_username":"n",
            "witness_password":"p","witness":"n"})",
        "witness", "is not a known field"}});
}

TEST(DecodeLedgerTransferRequest, ReadsTheTransfer) {
  auto r = DecodeLedgerTransferRequest(
      json::parse(R"({"lot_id":"L1","amount_mg":500,"to":"Clinic B","reason":"closing"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->amount, Milligrams(500));
  EXPECT_EQ(r->to, "Clinic B");
  EXPECT_EQ(r->reason, "closing");
  ExpectRefused<LedgerTransferRequest>(
      DecodeLedgerTransferRequest,
      {{R"({"amount_mg":1,"to":"B","reason":"r"})", "lot_id", "is required"},
       {R"({"lot_id":"L1","to":"B","reason":"r"})", "amount_mg", "is required"},
       {R"({"lot_id":"L1","amount_mg":1,"reason":"r"})", "to", "is required"},
       {R"({"lot_id":"L1","amount_mg":1,"to":"B"})", "reason", "is required"},
       {R"({"lot_id":"L1","amount_mg":1,"to":"B","reason":"r","dea":"x"})", "dea",
        "is not a known field"}});
}

TEST(DecodeDiscrepancyResolveRequest, DefaultsReportedToFalse) {
  auto r = DecodeDiscrepancyResolveRequest(json::parse(R"({"resolution":"miscounted"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->resolution, "miscounted");
  EXPECT_FALSE(r->reported_to_dea);
  auto reported = DecodeDiscrepancyResolveRequest(
      json::parse(R"({"resolution":"theft","reported_to_dea":true})"));
  ASSERT_TRUE(reported.ok());
  EXPECT_TRUE(reported->reported_to_dea);
  ExpectRefused<DiscrepancyResolveRequest>(
      DecodeDiscrepancyResolveRequest,
      {{R"({})", "resolution", "is required"},
       {R"({"resolution":"r","reported_to_dea":"yes"})", "reported_to_dea",
        "must be true or false"},
       {R"({"resolution":"r","form":"106"})", "form", "is not a known field"}});
}

}  // namespace
}  // namespace kclinic::codec
