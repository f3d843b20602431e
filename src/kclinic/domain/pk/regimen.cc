#include "kclinic/domain/pk/regimen.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace kclinic::domain::pk {

namespace {

std::string Field(size_t index, std::string_view key) {
  return "regimen." + std::to_string(index) + "." + std::string(key);
}

std::vector<InputSegment> BuildSegments(const std::vector<DoseEntry>& entries) {
  std::vector<double> times;
  for (const DoseEntry& e : entries) {
    times.push_back(e.start.value());
    if (e.end) times.push_back(e.end->value());
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  std::vector<InputSegment> segments;
  segments.reserve(times.size());
  for (double t : times) {
    InputSegment s;
    s.start_min = t;
    for (const DoseEntry& e : entries) {
      if (e.bolus && e.start.value() == t) s.bolus_mg += e.bolus->value();
      if (e.rate && e.start.value() <= t && t < e.end->value())
        s.rate_mg_per_min += e.rate->value();
    }
    segments.push_back(s);
  }
  return segments;
}

}  // namespace

Result<Regimen> Regimen::Create(std::vector<DoseEntry> entries) {
  if (entries.empty()) return InvalidArgument("regimen", "needs at least one bolus or infusion");
  if (entries.size() > kMaxEntries) {
    return InvalidArgument("regimen", "has more than 1000 entries");
  }
  double total = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const DoseEntry& e = entries[i];
    const double start = e.start.value();
    if (!std::isfinite(start) || start < 0 || start > kMaxRegimenMinutes) {
      return InvalidArgument(Field(i, "start_min"), "must be 0-10080 minutes (one week)");
    }
    if (e.bolus) {
      const double mg = e.bolus->value();
      if (!std::isfinite(mg) || mg <= 0) {
        return InvalidArgument(Field(i, "bolus_mg"), "must be a positive number of mg");
      }
      if (mg > kMaxBolusMg) return InvalidArgument(Field(i, "bolus_mg"), "must be at most 1000 mg");
      total += mg;
    }
    if (e.end.has_value() != e.rate.has_value()) {
      return e.end ? InvalidArgument(Field(i, "rate_mg_per_min"), "is required with end_min")
                   : InvalidArgument(Field(i, "end_min"), "is required with rate_mg_per_min");
    }
    if (e.end) {
      const double end = e.end->value(), rate = e.rate->value();
      if (!std::isfinite(end) || end <= start) {
        return InvalidArgument(Field(i, "end_min"), "must be after start_min");
      }
      if (end > kMaxRegimenMinutes) {
        return InvalidArgument(Field(i, "end_min"), "must be at most 10080 minutes (one week)");
      }
      if (!std::isfinite(rate) || rate <= 0) {
        return InvalidArgument(Field(i, "rate_mg_per_min"), "must be a positive number of mg/min");
      }
      if (rate > kMaxRateMgPerMin) {
        return InvalidArgument(Field(i, "rate_mg_per_min"), "must be at most 50 mg/min");
      }
      total += rate * (end - start);
    }
    if (!e.bolus && !e.end) {
      return InvalidArgument("regimen." + std::to_string(i),
                             "needs bolus_mg, or end_min with rate_mg_per_min");
    }
  }
  if (total > kMaxTotalMg) {
    return InvalidArgument("regimen", "totals " + std::to_string(std::lround(total)) +
                                          " mg; more than 5000 mg is not a ketamine regimen");
  }
  Regimen r;
  r.segments_ = BuildSegments(entries);
  r.entries_ = std::move(entries);
  r.total_mg_ = total;
  return r;
}

Result<Regimen> Regimen::ConstantInfusion(Milligrams total, Minutes duration) {
  const double mg = total.value(), minutes = duration.value();
  if (!std::isfinite(mg) || mg <= 0) return InvalidArgument("dose_mg", "must be positive");
  if (mg > kMaxTotalMg) return InvalidArgument("dose_mg", "must be at most 5000 mg");
  if (!std::isfinite(minutes) || minutes <= 0 || minutes > kMaxRegimenMinutes) {
    return InvalidArgument("minutes", "must be more than 0 and at most 10080 (one week)");
  }
  if (mg / minutes > kMaxRateMgPerMin) {
    return InvalidArgument("minutes", "gives a rate above 50 mg/min");
  }
  return Create({DoseEntry{Minutes(0), std::nullopt, duration, MgPerMin(mg / minutes)}});
}

Regimen Regimen::Scaled(double factor) const {
  Regimen r = *this;
  for (DoseEntry& e : r.entries_) {
    if (e.bolus) e.bolus = Milligrams(e.bolus->value() * factor);
    if (e.rate) e.rate = MgPerMin(e.rate->value() * factor);
  }
  for (InputSegment& s : r.segments_) {
    s.bolus_mg *= factor;
    s.rate_mg_per_min *= factor;
  }
  r.total_mg_ *= factor;
  return r;
}

}  // namespace kclinic::domain::pk
