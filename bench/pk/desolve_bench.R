# Times R's deSolve on the benchmark problem of bench/pk_bench.cc (Domino, 0.5 mg/kg over
# 40 min, 241 points 0-240 min) for the patients kclinic_bench wrote, at the tolerances of the
# tests (lsoda, rtol = atol = 1e-12; tests/pk/pk_models.R), and compares with kclinic's answers.
# Usage: Rscript --vanilla bench/pk/desolve_bench.R DIR [N]
#   DIR holds patients.csv and ours.csv; N (default: all of them) limits the patients solved.
# Prints one JSON object: patients, seconds, max_rel_error, max_abs_error_ng_per_ml.
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))))
source(file.path(here, "..", "..", "tests", "pk", "pk_models.R"))
dir <- args[1]
patients <- read.csv(file.path(dir, "patients.csv"))
ours <- as.matrix(read.csv(file.path(dir, "ours.csv"), header = FALSE))
if (length(args) >= 2) {
  n <- min(as.integer(args[2]), nrow(patients))
  patients <- patients[seq_len(n), ]
  ours <- ours[seq_len(n), , drop = FALSE]
}
times <- 0:240

solve_patient <- function(w, eta_v1, eta_cl) {
  p <- pk_parameters("domino", w)
  # The model's variability (domain/pk/model.cc): exp(eta) on V1 and on CL.
  p$v1 <- p$v1 * exp(eta_v1)
  p$cl <- p$cl * exp(eta_cl)
  segments <- pk_segments(data.frame(at = numeric(), mg = numeric()),
                          data.frame(start = 0, end = 40, rate = 0.5 * w / 40))
  pk_solve(p, segments, times)[, "cp"]
}

theirs <- matrix(0, nrow = nrow(patients), ncol = length(times))
elapsed <- system.time({
  for (i in seq_len(nrow(patients))) {
    theirs[i, ] <- solve_patient(patients$weight_kg[i], patients$eta_v1[i], patients$eta_cl[i])
  }
})[["elapsed"]]

difference <- abs(ours - theirs)
relative <- difference / pmax(abs(theirs), 1e-9)
relative[theirs == 0 & ours == 0] <- 0
cat(sprintf(paste0('{"patients": %d, "seconds": %.6f, "max_rel_error": %.3e, ',
                   '"max_abs_error_ng_per_ml": %.3e}\n'),
            nrow(patients), elapsed, max(relative), max(difference)))
