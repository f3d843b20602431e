# Solves every case of tests/pk/cases.txt with deSolve (pk_models.R) and prints one line per
# value: id,series,t_min,ng_per_ml. Series: cp, ce, and metabolite for models that have one.
# Usage: Rscript --vanilla tests/pk/desolve_cases.R [CASES_FILE]
args <- commandArgs(trailingOnly = TRUE)
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))))
source(file.path(here, "pk_models.R"))
cases_file <- if (length(args) >= 1) args[1] else file.path(here, "cases.txt")

trim <- function(x) gsub("^\\s+|\\s+$", "", x)
numbers <- function(x) as.numeric(strsplit(trim(x), "\\s+")[[1]])

lines <- readLines(cases_file)
lines <- lines[!grepl("^\\s*(#|$)", lines)]
for (line in lines) {
  f <- trim(strsplit(line, "|", fixed = TRUE)[[1]])
  id <- f[1]
  model <- f[2]
  weight <- as.numeric(f[3])
  age <- if (f[4] == "-") NA else as.numeric(f[4])
  boluses <- data.frame(at = numeric(), mg = numeric())
  infusions <- data.frame(start = numeric(), end = numeric(), rate = numeric())
  for (entry in trim(strsplit(f[5], ";", fixed = TRUE)[[1]])) {
    words <- strsplit(entry, "\\s+")[[1]]
    v <- as.numeric(words[-1])
    if (words[1] == "bolus") {
      boluses <- rbind(boluses, data.frame(at = v[1], mg = v[2]))
    } else if (words[1] == "infusion") {
      infusions <- rbind(infusions, data.frame(start = v[1], end = v[2], rate = v[3]))
    } else {
      stop("unknown regimen entry: ", entry)
    }
  }
  times <- numbers(f[6])
  p <- pk_parameters(model, weight, age)
  out <- pk_solve(p, pk_segments(boluses, infusions), times)
  series <- if (is.null(p$m)) c("cp", "ce") else c("cp", "ce", "metabolite")
  for (s in series) {
    cat(sprintf("%s,%s,%.17g,%.17g\n", id, s, times, out[, s]), sep = "")
  }
}
