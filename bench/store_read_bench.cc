// The audited patient read's database step on SQLite, beside the least the same read can cost in
// the same run: the store's Get (a read transaction, the patient joined with her weights, the row
// turned into a domain::Patient) against one prepared sqlite3 SELECT of the same row by primary
// key, through the C API, columns copied out as text. The ratio is what the store layer (SOCI,
// the transaction, the conversion) adds on top of SQLite itself (bench/README.md).
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <unistd.h>

#include <filesystem>

#include "kclinic/base/clock.h"
#include "kclinic/store/soci_store.h"
#include "sample_patient.h"

namespace kclinic {
namespace {

using namespace std::chrono;

struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<domain::Store> store;
  PatientId id = bench::SamplePatient().id;

  Fixture() {
    dir = std::filesystem::temp_directory_path() /
          ("kclinic-store-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    store = store::OpenStore({"sqlite:" + (dir / "bench.db").string(), 4}).value();
    if (!store->Migrate().ok()) std::abort();
    domain::Patient p = bench::SamplePatient();
    p.version = 1;
    const Timestamp now = p.created_at;
    auto tx = store->Begin(domain::TxMode::kWrite).value();
    if (!tx->patients().Insert(p, {now, "desk.miller", std::nullopt}).ok()) std::abort();
    if (!tx->Commit().ok()) std::abort();
  }
  ~Fixture() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

Fixture& Shared() {
  static Fixture f;
  return f;
}

void BM_SqliteStorePatientGet(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    auto tx = f.store->Begin(domain::TxMode::kRead).value();
    auto p = tx->patients().Get(f.id);
    if (!p.ok()) state.SkipWithError("patient not found");
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_SqliteStorePatientGet);

// Reference: one prepared SELECT of the patient row by primary key through the sqlite3 C API on
// its own connection to the same file, every column copied into a std::string.
void BM_ReferenceSqliteRowByKey(benchmark::State& state) {
  Fixture& f = Shared();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2((f.dir / "bench.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    state.SkipWithError("cannot open");
    return;
  }
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT * FROM patients WHERE id = ?1", -1, &st, nullptr);
  const std::string key = f.id.value();
  for (auto _ : state) {
    sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    std::vector<std::string> columns;
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
        columns.emplace_back(text ? text : "");
      }
    }
    sqlite3_reset(st);
    benchmark::DoNotOptimize(columns);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
}
BENCHMARK(BM_ReferenceSqliteRowByKey);

}  // namespace
}  // namespace kclinic
