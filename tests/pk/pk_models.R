# The kclinic PK models written out again in R, from PK.md §1, as an independent oracle: volumes
# and clearances from covariates, and the compartment ODEs that deSolve integrates. Shared by
# tests/pk/desolve_cases.R and bench/pk/desolve_bench.R. Time in minutes, volumes in litres,
# amounts in mg, concentrations in ng/mL.

pk_parameters <- function(model, weight, age = NA) {
  from_k <- function(v1, k10, k12, k21, k13 = 0, k31 = 1) {
    list(n = if (k13 > 0) 3 else 2, v1 = v1, cl = v1 * k10, q2 = v1 * k12, v2 = v1 * k12 / k21,
         q3 = v1 * k13, v3 = if (k13 > 0) v1 * k13 / k31 else 1)
  }
  size <- weight / 70
  allometric <- size^0.75
  p <- switch(model,
    # Domino 1984, rate constants as in stanpumpR.
    domino = from_k(0.063 * weight, 0.438, 0.592, 0.247, 0.590, 0.0146),
    # Clements & Nimmo 1981 (250 microgram/kg set).
    clements = from_k(1.7522 * weight, 0.0109, 0.0186, 0.0137),
    # Hijazi 2003.
    hijazi = from_k(1.08 * weight, 0.0333, 0.0088, 0.0030),
    # Herd 2007: per 70 kg, L and L/h.
    herd = list(n = 2, v1 = 38.7 * size, v2 = 102 * size, cl = 90 / 60 * allometric,
                q2 = 215 / 60 * allometric, q3 = 0, v3 = 1),
    # Fanta 2015 / Otto 2021: S-ketamine and S-norketamine, per 70 kg, L and L/h.
    "fanta-otto" = list(n = 3, v1 = 133 * size, cl = 95.2 / 60 * allometric,
                        v2 = 187 * size, q2 = 23.2 / 60 * allometric,
                        v3 = 98.8 * size, q3 = 157 / 60 * allometric,
                        m = list(v1 = 98.6 * size, cl = 57.7 / 60 * allometric,
                                 v2 = 160 * size, q = 42.8 / 60 * allometric,
                                 formed = 223.70 / 237.73)),
    stop("unknown model ", model))
  p$ke0 <- 0.084  # Olofsen 2022
  p
}

# State: parent amounts A1 A2 A3, metabolite amounts M1 M2, effect-site concentration Ce.
pk_derivatives <- function(t, y, p) {
  c1 <- y[1] / p$v1
  elimination <- p$cl * c1
  to2 <- p$q2 * (c1 - y[2] / p$v2)
  to3 <- if (p$n >= 3) p$q3 * (c1 - y[3] / p$v3) else 0
  dm1 <- 0
  dm2 <- 0
  if (!is.null(p$m)) {
    m1 <- y[4] / p$m$v1
    to_peripheral <- p$m$q * (m1 - y[5] / p$m$v2)
    dm1 <- p$m$formed * elimination - p$m$cl * m1 - to_peripheral
    dm2 <- to_peripheral
  }
  list(c(p$rate - elimination - to2 - to3, to2, to3, dm1, dm2, p$ke0 * (1000 * c1 - y[6])))
}

# Piecewise-constant input from boluses (at, mg) and infusions (start, end, rate):
# breakpoints with the bolus given at each and the rate that runs from it.
pk_segments <- function(boluses, infusions) {
  starts <- sort(unique(c(boluses$at, infusions$start, infusions$end)))
  data.frame(
    start = starts,
    bolus = vapply(starts, function(t) sum(boluses$mg[boluses$at == t]), 0),
    rate = vapply(starts, function(t) {
      sum(infusions$rate[infusions$start <= t & t < infusions$end])
    }, 0))
}

# Integrates from segment to segment with lsoda at tight tolerances and returns a matrix with
# one row per requested time: cp, ce, metabolite (ng/mL). Values at a bolus time include it.
pk_solve <- function(p, segments, times, rtol = 1e-12, atol = 1e-12) {
  out <- matrix(0, nrow = length(times), ncol = 3,
                dimnames = list(NULL, c("cp", "ce", "metabolite")))
  y <- c(0, 0, 0, 0, 0, 0)
  t <- 0
  record <- function(rows, states) {
    for (r in seq_along(rows)) {
      s <- states[r, ]
      out[rows[r], ] <<- c(1000 * s[1] / p$v1, s[6],
                           if (is.null(p$m)) 0 else 1000 * s[4] / p$m$v1)
    }
  }
  record(which(times < segments$start[1]), matrix(y, nrow = sum(times < segments$start[1]),
                                                  ncol = 6, byrow = TRUE))
  for (j in seq_len(nrow(segments))) {
    start <- segments$start[j]
    end <- if (j < nrow(segments)) segments$start[j + 1] else max(times, start) + 1
    y[1] <- y[1] + segments$bolus[j]
    p$rate <- segments$rate[j]
    inside <- which(times >= start & times < end)
    grid <- sort(unique(c(start, times[inside], end)))
    sol <- deSolve::lsoda(y, grid, pk_derivatives, p, rtol = rtol, atol = atol,
                          maxsteps = 1e6)
    states <- sol[, -1, drop = FALSE]
    record(inside, states[match(times[inside], grid), , drop = FALSE])
    y <- as.numeric(states[nrow(states), ])
  }
  out
}
