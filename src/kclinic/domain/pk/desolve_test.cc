// Someone else's code agrees with ours: R's deSolve (lsoda, rtol = atol = 1e-12) integrates the
// models written out again in R (tests/pk/pk_models.R) on every case of tests/pk/cases.txt, and
// each value must match the exact engine to a relative 1e-9. The test fails, never skips, when
// Rscript or deSolve is missing (scripts/setup installs r-base-core and r-cran-desolve).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>

#include "kclinic/domain/pk/predict.h"

namespace kclinic::domain::pk {
namespace {

const std::string kSourceDir = KCLINIC_SOURCE_DIR;

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, sep);) out.push_back(Trim(part));
  return out;
}

std::vector<double> Numbers(const std::string& s) {
  std::vector<double> out;
  std::stringstream in(s);
  for (double x; in >> x;) out.push_back(x);
  return out;
}

struct Case {
  std::string id;
  ModelId model = ModelId::kDomino;
  Covariates covariates;
  std::vector<DoseEntry> entries;
  std::vector<Minutes> times;
};

// Reads tests/pk/cases.txt (its header explains the format).
std::vector<Case> ReadCases(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<Case> cases;
  for (std::string line; std::getline(in, line);) {
    if (Trim(line).empty() || Trim(line)[0] == '#') continue;
    const auto f = Split(line, '|');
    EXPECT_EQ(f.size(), 6u) << line;
    if (f.size() != 6) continue;
    Case c;
    c.id = f[0];
    auto model = ParseModelId(f[1]);
    EXPECT_TRUE(model.ok()) << line;
    c.model = model.ok() ? *model : ModelId::kDomino;
    c.covariates.weight = Kilograms(std::stod(f[2]));
    if (f[3] != "-") c.covariates.age_years = std::stod(f[3]);
    for (const std::string& entry : Split(f[4], ';')) {
      std::stringstream words(entry);
      std::string kind;
      words >> kind;
      const auto v = Numbers(entry.substr(kind.size()));
      if (kind == "bolus" && v.size() == 2) {
        c.entries.push_back({Minutes(v[0]), Milligrams(v[1]), std::nullopt, std::nullopt});
      } else if (kind == "infusion" && v.size() == 3) {
        c.entries.push_back({Minutes(v[0]), std::nullopt, Minutes(v[1]), MgPerMin(v[2])});
      } else {
        ADD_FAILURE() << "bad regimen entry '" << entry << "' in " << c.id;
      }
    }
    for (double t : Numbers(f[5])) c.times.push_back(Minutes(t));
    cases.push_back(std::move(c));
  }
  return cases;
}

// Runs a command and returns its exit status and standard output (stderr folded in).
std::pair<int, std::string> RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(DeSolve, AgreesWithTheExactSolutionOnEveryCase) {
  const std::string cases_path = kSourceDir + "/tests/pk/cases.txt";
  const std::vector<Case> cases = ReadCases(cases_path);
  ASSERT_GE(cases.size(), 10u);

  const auto [status, output] = RunCommand("Rscript --vanilla '" + kSourceDir +
                                           "/tests/pk/desolve_cases.R' '" + cases_path + "'");
  ASSERT_NE(status, 127) << "Rscript is not installed: run scripts/setup (r-base-core, "
                            "r-cran-desolve)\n"
                         << output;
  ASSERT_EQ(status, 0) << "deSolve run failed (is r-cran-desolve installed?):\n" << output;

  // id, series, t -> deSolve's value
  std::map<std::tuple<std::string, std::string, double>, double> reference;
  for (const std::string& line : Split(output, '\n')) {
    if (line.empty()) continue;
    const auto f = Split(line, ',');
    ASSERT_EQ(f.size(), 4u) << "unexpected output from R: " << line;
    reference[{f[0], f[1], std::stod(f[2])}] = std::stod(f[3]);
  }

  size_t compared = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    auto regimen = Regimen::Create(c.entries);
    ASSERT_TRUE(regimen.ok()) << regimen.status().message();
    auto p = Predict(c.model, c.covariates, *regimen, c.times);
    ASSERT_TRUE(p.ok()) << p.status().field() << ": " << p.status().message();
    std::vector<std::pair<std::string, const Series*>> series = {{"cp", &p->plasma},
                                                                 {"ce", &p->effect_site}};
    if (p->metabolite) series.push_back({"metabolite", &*p->metabolite});
    for (const auto& [name, s] : series) {
      for (size_t k = 0; k < c.times.size(); ++k) {
        const double t = c.times[k].value();
        auto it = reference.find({c.id, name, t});
        ASSERT_NE(it, reference.end()) << "R gave no " << name << " at " << t;
        const double ours = s->values[k].value(), theirs = it->second;
        EXPECT_NEAR(ours, theirs, 1e-9 * std::abs(theirs) + 1e-9) << name << " at " << t << " min";
        ++compared;
        reference.erase(it);
      }
    }
  }
  EXPECT_TRUE(reference.empty()) << reference.size() << " values from R matched no case";
  EXPECT_GE(compared, 200u);
}

}  // namespace
}  // namespace kclinic::domain::pk
