#include "kclinic/domain/pk/predict.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace kclinic::domain::pk {

namespace {

Series MakeSeries(std::string_view name, const std::vector<double>& values,
                  const Exposure& exposure, std::span<const double> times) {
  Series s;
  s.name = name;
  s.exposure = exposure;
  // The scan and a direct evaluation can differ in the last bits; a requested point never
  // exceeds the reported peak.
  for (size_t k = 0; k < values.size(); ++k) {
    if (values[k] > s.exposure.cmax.value()) {
      s.exposure.cmax = NgPerMl(values[k]);
      s.exposure.tmax = Minutes(times[k]);
    }
  }
  s.values.reserve(values.size());
  // Sums of exponentials that cancel (the effect site at a bolus) can leave -1e-14 for 0.
  for (double v : values) s.values.push_back(NgPerMl(std::max(0.0, v)));
  return s;
}

}  // namespace

Status ValidateTimes(std::span<const Minutes> times) {
  if (times.empty()) return InvalidArgument("times_min", "needs at least one time");
  if (times.size() > kMaxTimes) return InvalidArgument("times_min", "has more than 10000 times");
  for (size_t i = 0; i < times.size(); ++i) {
    const double t = times[i].value();
    if (!std::isfinite(t) || t < 0 || t > kMaxRegimenMinutes) {
      return InvalidArgument("times_min." + std::to_string(i),
                             "must be 0-10080 minutes (one week)");
    }
  }
  return Status::Ok();
}

Status ValidateOptions(const PredictOptions& options) {
  const double ke0 = options.ke0.value(), threshold = options.threshold.value();
  if (!std::isfinite(ke0) || ke0 <= 0 || ke0 > 10) {
    return InvalidArgument("ke0_per_min", "must be more than 0 and at most 10 per minute");
  }
  if (!std::isfinite(threshold) || threshold < 0) {
    return InvalidArgument("threshold_ng_per_ml", "must be a number of ng/mL, 0 or more");
  }
  return Status::Ok();
}

Result<Prediction> Predict(ModelId model, const Covariates& covariates, const Regimen& regimen,
                           std::span<const Minutes> times, const PredictOptions& options) {
  KC_ASSIGN_OR_RETURN(ModelParameters parameters, BuildModelParameters(model, covariates));
  if (regimen.total().value() > kMaxTotalMgPerKg * covariates.weight.value()) {
    return InvalidArgument("regimen", "gives more than 60 mg/kg in total; check the doses");
  }
  return PredictWithParameters(parameters, regimen, times, options);
}

Result<Prediction> PredictWithParameters(const ModelParameters& parameters, const Regimen& regimen,
                                         std::span<const Minutes> times,
                                         const PredictOptions& options) {
  KC_RETURN_IF_ERROR(ValidateTimes(times));
  KC_RETURN_IF_ERROR(ValidateOptions(options));
  KC_ASSIGN_OR_RETURN(Disposition disposition, BuildDisposition(parameters, options.ke0));
  const Trajectory trajectory(disposition, regimen.segments());

  std::vector<double> t(times.size());
  for (size_t i = 0; i < times.size(); ++i) t[i] = times[i].value();
  const double horizon = *std::max_element(t.begin(), t.end());
  const auto values = trajectory.Sample(t);
  const double threshold = options.threshold.value();
  const ModelInfo& info = DescribeModel(parameters.model);

  Prediction p;
  p.model = parameters.model;
  p.times.assign(times.begin(), times.end());
  const auto exposures = MeasureExposures(trajectory, horizon, threshold);
  constexpr int kPlasma = static_cast<int>(Output::kPlasma);
  constexpr int kEffect = static_cast<int>(Output::kEffectSite);
  constexpr int kMetabolite = static_cast<int>(Output::kMetabolite);
  p.plasma = MakeSeries(info.parent_series, values[kPlasma], exposures[kPlasma], t);
  p.effect_site = MakeSeries("effect_site", values[kEffect], exposures[kEffect], t);
  if (disposition.output_count > kMetabolite) {
    p.metabolite =
        MakeSeries(info.metabolite_series, values[kMetabolite], exposures[kMetabolite], t);
  }
  p.ke0 = options.ke0;
  p.threshold = options.threshold;
  p.horizon = Minutes(horizon);
  p.total_dose = regimen.total();
  return p;
}

}  // namespace kclinic::domain::pk
