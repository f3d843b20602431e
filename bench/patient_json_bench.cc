// Micro benchmarks of the patient read's CPU-heavy steps, each beside a reference measured in the
// same run (a ratio, since the machine is noisy): JSON rendering of a patient against a plain
// copy of the same bytes, and the audit hash against one SHA-256 of the same canonical size.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "kclinic/base/crypto.h"
#include "kclinic/codec/patient_json.h"
#include "kclinic/domain/audit.h"
#include "sample_patient.h"

namespace kclinic {
namespace {

using namespace std::chrono;

using bench::SamplePatient;

void BM_PatientToJsonText(benchmark::State& state) {
  domain::Patient p = SamplePatient();
  for (auto _ : state) {
    std::string body = codec::PatientJson(p);
    benchmark::DoNotOptimize(body);
  }
}
BENCHMARK(BM_PatientToJsonText);

// The way it was rendered before: an nlohmann::json object, then dump().
void BM_PatientViaNlohmannDom(benchmark::State& state) {
  nlohmann::json dom = nlohmann::json::parse(codec::PatientJson(SamplePatient()));
  for (auto _ : state) {
    nlohmann::json copy = dom;  // building the object (roughly what the old renderer did)
    std::string body = copy.dump();
    benchmark::DoNotOptimize(body);
  }
}
BENCHMARK(BM_PatientViaNlohmannDom);

// Reference: copying a string of the same size (the least any renderer must do).
void BM_ReferenceCopySameBytes(benchmark::State& state) {
  std::string rendered = codec::PatientJson(SamplePatient());
  for (auto _ : state) {
    std::string copy = rendered;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_ReferenceCopySameBytes);

void BM_AuditEventHash(benchmark::State& state) {
  (void)InitCrypto();
  domain::AuditEvent e;
  e.seq = 123456;
  e.at = Timestamp(sys_days(2026y / November / 21));
  e.actor_id = "0123456789abcdef0123456789abcdef";
  e.actor_role = "prescriber";
  e.action = "patient.read";
  e.patient_id = "fedcba9876543210fedcba9876543210";
  e.resource = "patient";
  e.outcome = "success";
  e.prev_hash = std::string(64, 'a');
  for (auto _ : state) benchmark::DoNotOptimize(domain::AuditEventHash(e));
}
BENCHMARK(BM_AuditEventHash);

// Reference: one SHA-256 over 256 bytes, about the canonical form's size.
void BM_ReferenceSha256(benchmark::State& state) {
  (void)InitCrypto();
  std::string data(256, 'x');
  for (auto _ : state) benchmark::DoNotOptimize(Sha256Hex(data));
}
BENCHMARK(BM_ReferenceSha256);

}  // namespace
}  // namespace kclinic
