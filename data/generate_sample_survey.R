#!/usr/bin/env Rscript
# =============================================================================
# generate_sample_survey.R -- SYNTHETIC sample survey for survey_reg demos.
#
# THE DATA THIS SCRIPT WRITES ARE SYNTHETIC. No real respondent is in them.
# They are modelled on the published summary statistics of
#   Terum & Sadeghi, "What makes the individualisation of activity
#   requirements challenging? A study of street-level bureaucrats in the
#   Norwegian Labour and Welfare Administration (Nav)" (Nav survey 2018):
#   Table 1 (means, SDs, shares), the appendix correlation matrix, the
#   reliability figures (inter-item r = 0.26, alpha = 0.718) and Figure 1.
# The correlation individualisering--tilsettingsforhold is taken as +0.065
# (the article prints -0.065, which contradicts its own Table 2 and text).
#
# How the data are generated (Gaussian copula with office effects):
#   1. 1,646 respondents in 108 offices. Office size category
#      (kontorstorrelse 0-3) and the number of respondents per office are
#      fixed by design (68 small, 23, 11 and 6 large offices); office ids are
#      a random permutation. 1,377 respondents follow up clients.
#   2. One latent standard normal per survey item. Items of an index share a
#      latent inter-item correlation (rho_s for the 2 target-management items,
#      rho_w for the 3 workload items, in workload direction) and the
#      construct-level correlations P of the appendix matrix, scaled so that
#      the index (mean of its items) has correlation P with the other
#      variables. The office-size latent is an office-level normal score;
#      the others are drawn conditionally on it, with part of their residual
#      variance (lambda) shared within the office (office random effects).
#      The underlying normals are whitened on the analysis rows, so there the
#      latent sample correlations equal the latent matrix exactly.
#   3. Each latent is discretised: ordinal items by rounding a normal with
#      location/scale (mu, sigma) into 0..K (mu, sigma solved to give the
#      item's target mean and SD); individualisering with the thresholds of
#      the Figure 1 distribution; dummies by a threshold; age through a scaled
#      beta quantile (20-70 years).
#   4. The reverse-worded workload items are stored as answered:
#      belast_tid = 3 - latent item, belast_krav = 3 - latent item.
#   5. A few percent of answers are set missing completely at random;
#      ratio is missing for those who do not follow up clients (answer "none").
#   6. weight = mild nonresponse weight (municipal employees weighted up from
#      45.5% to ~49.5%, times office and individual log-normal noise),
#      clamped to 0.5-2.5 and normalised to mean 1.
#   The latent matrix and the marginal parameters were calibrated with the
#   same seed by the fixed-point iteration in calibrate() below
#   (P += target - observed, rho and marginals likewise, on the listwise-
#   complete rows of the 1,377), and the result is fixed in PARAMS below, so
#   a normal run is deterministic and does not iterate.
#
# How to rerun (from the repository root):
#   Rscript data/generate_sample_survey.R        # writes data/sample_survey.csv
#   Rscript data/check_sample_survey.R           # compares with the article
#   Rscript data/generate_sample_survey.R --calibrate
#       # reruns the calibration from the article targets and prints a new
#       # PARAMS block (paste it below to change the fixed parameters)
# Requires only base R (tested with R 4.2.2). Output is byte-identical on
# every run (seed and RNG kinds are fixed; rows are in office order).
# The optional argument after the flags is the output path.
# =============================================================================

RNGkind("Mersenne-Twister", "Inversion", "Rejection")
SEED <- 20181001L

N_TOTAL <- 1646L
N_FOLLOW <- 1377L
N_OFFICE <- 108L

args <- commandArgs(trailingOnly = TRUE)
out_file <- "data/sample_survey.csv"
if (length(args) > 0 && !startsWith(args[length(args)], "--"))
  out_file <- args[length(args)]

## ---------------------------------------------------------------------------
## Targets from the article (N = 1377 who follow up clients)
## ---------------------------------------------------------------------------
CONSTRUCTS <- c("individualisering", "arbeidsbelastning", "ratio", "styring",
                "tiltakskunnskap", "kjonn", "alder", "tilsettingsforhold",
                "kontorstorrelse", "effektiv")
# Appendix table 1, lower triangle as printed, except the sign of
# individualisering--tilsettingsforhold (+0.065, see header).
TARGET_LOWER <- c(
  # individualisering with the 9 others
  -0.175, -0.083, -0.235, 0.298, -0.069, -0.031, 0.065, -0.027, 0.130,
  # arbeidsbelastning
  0.283, 0.179, -0.120, -0.011, -0.051, 0.049, 0.043, -0.031,
  # ratio
  0.072, 0.012, -0.020, -0.045, 0.168, -0.024, 0.001,
  # styring
  -0.055, -0.017, 0.049, 0.026, 0.059, -0.015,
  # tiltakskunnskap
  -0.051, 0.105, 0.148, -0.028, 0.093,
  # kjonn
  0.031, 0.038, -0.029, -0.047,
  # alder
  0.153, -0.092, -0.046,
  # tilsettingsforhold
  0.041, -0.074,
  # kontorstorrelse
  -0.027)
lower_to_matrix <- function(v, names) {
  k <- length(names)
  m <- diag(k)
  m[lower.tri(m)] <- v          # column-major fill = rows of the printed table
  m[upper.tri(m)] <- t(m)[upper.tri(m)]
  dimnames(m) <- list(names, names)
  m
}
TARGET_COR <- lower_to_matrix(TARGET_LOWER, CONSTRUCTS)

TARGET_MEAN <- c(individualisering = 2.80, arbeidsbelastning = 1.60,
                 ratio = 2.47, styring = 1.92, tiltakskunnskap = 2.94,
                 kjonn = 0.202, alder = 47.7, tilsettingsforhold = 0.545,
                 kontorstorrelse = 1.51, effektiv = 2.59)
TARGET_SD <- c(individualisering = 0.89, arbeidsbelastning = 0.61,
               ratio = 1.77, styring = 0.98, tiltakskunnskap = 0.93,
               kjonn = NA, alder = 10.8, tilsettingsforhold = NA,
               kontorstorrelse = 1.14, effektiv = 0.90)
TARGET_INTERITEM_R <- 0.26
TARGET_ALPHA <- 0.718
# Figure 1: strongly disagree .. strongly agree (0..4); 69% agree in total.
FIG1_PROBS <- c(0.03, 0.03, 0.25, 0.49, 0.20)

## ---------------------------------------------------------------------------
## Design constants
## ---------------------------------------------------------------------------
# Latent items (workload items in workload direction, i.e. already reversed).
ITEMS <- c("individualisering", "styring_a", "styring_b", "belast_tid_rev",
           "belast_krav_rev", "belast_stor", "ratio", "tiltakskunnskap",
           "effektiv", "kjonn", "alder", "tilsettingsforhold",
           "kontorstorrelse")
ITEM_CONSTRUCT <- c("individualisering", "styring", "styring",
                    "arbeidsbelastning", "arbeidsbelastning",
                    "arbeidsbelastning", "ratio", "tiltakskunnskap",
                    "effektiv", "kjonn", "alder", "tilsettingsforhold",
                    "kontorstorrelse")
# Share of each latent's residual variance that is common within an office.
LAMBDA <- c(individualisering = 0.04, styring_a = 0.08, styring_b = 0.08,
            belast_tid_rev = 0.05, belast_krav_rev = 0.05, belast_stor = 0.05,
            ratio = 0.10, tiltakskunnskap = 0.03, effektiv = 0.03,
            kjonn = 0.02, alder = 0.03, tilsettingsforhold = 0.08)
# Item mean offsets around the index mean (items of one index differ a bit).
STYRING_OFFSET <- c(styring_a = -0.15, styring_b = 0.15)
BELAST_OFFSET <- c(belast_tid_rev = 0.05, belast_krav_rev = 0.15,
                   belast_stor = -0.20)
# Office design: number of offices and respondents-per-office range by size
# category (0 = up to 25 staff, 1 = 26-50, 2 = 51-100, 3 = over 100; about
# half of the staff answered).
OFFICE_DESIGN <- data.frame(cat = 0:3, n = c(68L, 23L, 11L, 6L),
                            lo = c(3, 12, 24, 60), hi = c(10, 24, 46, 100))
# Missing-completely-at-random rates of the stored answers.
MISS_RATE <- c(individualisering = 0.010, styring_a = 0.015,
               styring_b = 0.020, belast_tid = 0.012, belast_krav = 0.018,
               belast_stor = 0.012, ratio = 0.020, tiltakskunnskap = 0.010,
               effektiv = 0.025, kjonn = 0.004, alder = 0.015,
               tilsettingsforhold = 0.006)

## ---------------------------------------------------------------------------
## Fixed calibrated parameters (output of --calibrate; see header)
## ---------------------------------------------------------------------------
## BEGIN PARAMS
PARAMS <- list(
  P_lower = c(   # construct-level latent correlations, lower triangle
    -0.1713712, -0.1077972, -0.2629714, 0.3470672, -0.1055001,
    -0.0341537, 0.1011052, -0.0531003, 0.1364484, 0.2962632,
    0.1811225, -0.1157412, -0.0073847, -0.0540955, 0.0270967,
    0.0446424, -0.0354210, 0.0775924, 0.0306664, -0.0551195,
    -0.0453474, 0.2425704, -0.0151896, -0.0078568, -0.0647277,
    -0.0461026, 0.0480722, 0.0654058, 0.0303715, 0.0031651,
    -0.0686955, 0.1203941, 0.2219027, -0.0410751, 0.1144845,
    0.0238010, 0.0859109, -0.0528837, -0.0736669, 0.1382485,
    -0.0903062, -0.0404719, 0.1102009, -0.1231894, -0.0046810),
  rho_s = 0.2934257, rho_w = 0.5272588,
  marg = list(
    styring_a = c(mu = 1.7369076, sigma = 1.3728308),
    styring_b = c(mu = 2.0851602, sigma = 1.3577280),
    belast_tid_rev = c(mu = 1.6511718, sigma = 0.7284247),
    belast_krav_rev = c(mu = 1.7547899, sigma = 0.7339920),
    belast_stor = c(mu = 1.3946491, sigma = 0.7267884),
    ratio = c(mu = 2.4069775, sigma = 2.0062332),
    tiltakskunnskap = c(mu = 3.0143780, sigma = 1.0249502),
    effektiv = c(mu = 2.6213796, sigma = 0.9048533)),
  fig1 = c(0.0300000, 0.0300000, 0.2500000, 0.4900000, 0.2000000),
  ind_loc = -0.0042275, ind_scale = 1.0013214,
  age = c(a = 2.3799870, b = 1.9149089),
  p_kjonn = 0.2085975, p_tils = 0.5375853)
## END PARAMS

## ---------------------------------------------------------------------------
## Random numbers: drawn once, in a fixed order (common random numbers for
## the calibration and the final run).
## ---------------------------------------------------------------------------
draw_randomness <- function() {
  set.seed(SEED)
  # offices
  cat_of_slot <- rep(OFFICE_DESIGN$cat, OFFICE_DESIGN$n)
  size_of_slot <- unlist(lapply(seq_len(nrow(OFFICE_DESIGN)), function(i)
    seq(OFFICE_DESIGN$lo[i], OFFICE_DESIGN$hi[i],
        length.out = OFFICE_DESIGN$n[i])))
  size_of_slot <- size_of_slot * N_TOTAL / sum(size_of_slot)
  size_int <- floor(size_of_slot)
  rest <- N_TOTAL - sum(size_int)
  bump <- order(size_of_slot - size_int, decreasing = TRUE)[seq_len(rest)]
  size_int[bump] <- size_int[bump] + 1L
  perm <- sample.int(N_OFFICE)              # slot -> office id
  office_cat <- integer(N_OFFICE); office_size <- integer(N_OFFICE)
  office_cat[perm] <- cat_of_slot
  office_size[perm] <- size_int
  office_id <- rep(seq_len(N_OFFICE), office_size)
  # office-level normal score of the size category: offices ordered by
  # category, randomly within category, each placed at the mid-quantile of
  # its block of respondents.
  tiebreak <- runif(N_OFFICE)
  ord <- order(office_cat, tiebreak)
  cum <- cumsum(office_size[ord])
  mid <- (cum - office_size[ord] / 2) / N_TOTAL
  office_z <- numeric(N_OFFICE); office_z[ord] <- qnorm(mid)
  zk <- office_z[office_id]
  # who follows up clients
  follows <- logical(N_TOTAL)
  follows[sample.int(N_TOTAL, N_FOLLOW)] <- TRUE
  # latent normals: individual and office level
  W <- matrix(rnorm(N_TOTAL * 12L), N_TOTAL, 12L)
  U <- matrix(rnorm(N_OFFICE * 12L), N_OFFICE, 12L)
  # missingness
  M <- matrix(runif(N_TOTAL * length(MISS_RATE)), N_TOTAL)
  M <- sweep(M, 2, MISS_RATE, "<")
  colnames(M) <- names(MISS_RATE)
  # Whitening: on the analysis rows (follow up clients, no item missing; a
  # set fixed by the draws above) the office-size score, the office-level
  # normals and the individual normals are made exactly standardised and
  # mutually uncorrelated, so the latent sample correlations there equal the
  # latent matrix and the calibration only has to absorb the discretisation.
  a <- follows & !apply(M, 1, any)
  whiten <- function(X, on) {
    X <- X - matrix(colMeans(X[a, , drop = FALSE]), nrow(X), ncol(X), byrow = TRUE)
    if (!is.null(on)) {
      B <- qr.coef(qr(on[a, , drop = FALSE]), X[a, , drop = FALSE])
      X <- X - on %*% B
    }
    X %*% solve(chol(cov(X[a, , drop = FALSE])))
  }
  zk <- drop(whiten(matrix(zk), NULL))
  Ue <- whiten(U[office_id, ], cbind(1, zk))  # stays constant within office
  W <- whiten(W, cbind(1, zk, Ue))
  # weights
  wg_office <- rnorm(N_OFFICE)
  wg_indiv <- rnorm(N_TOTAL)
  list(office_id = office_id, office_cat = office_cat, kontor = office_cat[office_id],
       zk = zk, follows = follows, W = W, Ue = Ue, M = M,
       wg_office = wg_office, wg_indiv = wg_indiv)
}

## ---------------------------------------------------------------------------
## Marginals
## ---------------------------------------------------------------------------
# Probabilities of round(mu + sigma*Z) clamped to 0..K.
dnorm_disc <- function(mu, sigma, K) {
  up <- c(pnorm((0:(K - 1) + 0.5 - mu) / sigma), 1)
  diff(c(0, up))
}
moments_of <- function(p) {
  k <- seq_along(p) - 1
  m <- sum(k * p)
  c(m, sqrt(sum((k - m)^2 * p)))
}
# (mu, sigma) of a discretised normal on 0..K with given mean and SD.
solve_disc <- function(mean, sd, K) {
  f <- function(th) {
    mm <- moments_of(dnorm_disc(th[1], exp(th[2]), K))
    sum((mm - c(mean, sd))^2)
  }
  o <- optim(c(mean, log(sd)), f, method = "Nelder-Mead",
             control = list(reltol = 1e-14, maxit = 5000))
  o <- optim(o$par, f, method = "BFGS", control = list(reltol = 1e-16))
  c(mu = o$par[1], sigma = exp(o$par[2]))
}
# Scaled beta on [20, 70] with given mean and SD (method of moments).
solve_beta <- function(mean, sd) {
  m <- (mean - 20) / 50; v <- (sd / 50)^2
  s <- m * (1 - m) / v - 1
  c(a = m * s, b = (1 - m) * s)
}

## ---------------------------------------------------------------------------
## The generator proper
## ---------------------------------------------------------------------------
latent_item_matrix <- function(par) {
  P <- par$P
  fac <- setNames(rep(1, length(ITEMS)), ITEMS)
  fac[c("styring_a", "styring_b")] <- sqrt((1 + par$rho_s) / 2)
  fac[c("belast_tid_rev", "belast_krav_rev", "belast_stor")] <-
    sqrt((1 + 2 * par$rho_w) / 3)
  R <- P[ITEM_CONSTRUCT, ITEM_CONSTRUCT] * outer(fac, fac)
  same <- outer(ITEM_CONSTRUCT, ITEM_CONSTRUCT, "==")
  R[same & ITEM_CONSTRUCT[row(R)] == "styring"] <- par$rho_s
  R[same & ITEM_CONSTRUCT[row(R)] == "arbeidsbelastning"] <- par$rho_w
  diag(R) <- 1
  dimnames(R) <- list(ITEMS, ITEMS)
  ev <- eigen(R, symmetric = TRUE)
  if (min(ev$values) < 1e-4) {            # keep it positive definite
    v <- pmax(ev$values, 1e-4)
    R <- ev$vectors %*% diag(v) %*% t(ev$vectors)
    R <- cov2cor(R); dimnames(R) <- list(ITEMS, ITEMS)
  }
  R
}

generate <- function(par, rnd) {
  R <- latent_item_matrix(par)
  k <- which(ITEMS == "kontorstorrelse")
  Rrk <- R[-k, k]
  C <- R[-k, -k] - tcrossprod(Rrk)
  Uc <- chol(C)
  lam <- LAMBDA[ITEMS[-k]]
  Z <- outer(rnd$zk, Rrk) +
    sweep(rnd$W %*% Uc, 2, sqrt(1 - lam), "*") +
    sweep(rnd$Ue %*% Uc, 2, sqrt(lam), "*")
  colnames(Z) <- ITEMS[-k]
  disc <- function(z, nm, K) {
    p <- par$marg[[nm]]
    pmin(pmax(round(p[["mu"]] + p[["sigma"]] * z), 0), K)
  }
  ind <- as.integer(findInterval(par$ind_loc + par$ind_scale * Z[, "individualisering"],
                                 qnorm(cumsum(par$fig1)[1:4])))
  ab <- par$age
  d <- data.frame(
    respondent_id = seq_len(N_TOTAL),
    office_id = rnd$office_id,
    kontorstorrelse = rnd$kontor,
    follows_up_clients = rnd$follows,
    individualisering = ind,
    styring_a = disc(Z[, "styring_a"], "styring_a", 4),
    styring_b = disc(Z[, "styring_b"], "styring_b", 4),
    belast_tid = 3 - disc(Z[, "belast_tid_rev"], "belast_tid_rev", 3),
    belast_krav = 3 - disc(Z[, "belast_krav_rev"], "belast_krav_rev", 3),
    belast_stor = disc(Z[, "belast_stor"], "belast_stor", 3),
    ratio = disc(Z[, "ratio"], "ratio", 6),
    tiltakskunnskap = disc(Z[, "tiltakskunnskap"], "tiltakskunnskap", 4),
    effektiv = disc(Z[, "effektiv"], "effektiv", 4),
    kjonn = as.integer(Z[, "kjonn"] > qnorm(1 - par$p_kjonn)),
    alder = as.integer(round(20 + 50 * qbeta(pnorm(Z[, "alder"]),
                                             ab[["a"]], ab[["b"]]))),
    tilsettingsforhold = as.integer(Z[, "tilsettingsforhold"] >
                                      qnorm(1 - par$p_tils)))
  for (v in names(MISS_RATE)) d[[v]][rnd$M[, v]] <- NA
  d$ratio[!d$follows_up_clients] <- NA        # answered "none"
  # weights: municipal employees are under-represented (45.5% vs ~49.5%)
  base <- ifelse(is.na(d$tilsettingsforhold), 1,
                 ifelse(d$tilsettingsforhold == 1, 0.505 / 0.545, 0.495 / 0.455))
  w <- base * exp(0.15 * rnd$wg_office[d$office_id] + 0.12 * rnd$wg_indiv)
  w <- pmin(pmax(w, 0.5), 2.5)
  w <- w / mean(w)
  d$weight <- round(pmin(pmax(w, 0.5), 2.5), 2)
  d
}

## ---------------------------------------------------------------------------
## Summary among those who follow up clients (listwise complete)
## ---------------------------------------------------------------------------
summarise <- function(d) {
  f <- d[d$follows_up_clients, ]
  f$styring <- (f$styring_a + f$styring_b) / 2
  f$arbeidsbelastning <- ((3 - f$belast_tid) + (3 - f$belast_krav) +
                            f$belast_stor) / 3
  x <- as.matrix(f[, CONSTRUCTS])
  ok <- complete.cases(x)
  x <- x[ok, ]
  it_w <- cbind(3 - f$belast_tid, 3 - f$belast_krav, f$belast_stor)[ok, ]
  alpha <- 3 / 2 * (1 - sum(apply(it_w, 2, var)) / var(rowSums(it_w)))
  list(n = nrow(x), mean = colMeans(x), sd = apply(x, 2, sd), cor = cor(x),
       r_s = cor(f$styring_a[ok], f$styring_b[ok]), alpha = alpha,
       fig1 = tabulate(x[, "individualisering"] + 1, 5) / nrow(x))
}

## ---------------------------------------------------------------------------
## Calibration (fixed-point iteration with common random numbers)
## ---------------------------------------------------------------------------
initial_params <- function() {
  item_targets <- list(
    styring_a = c(TARGET_MEAN[["styring"]] + STYRING_OFFSET[["styring_a"]],
                  TARGET_SD[["styring"]] / sqrt((1 + TARGET_INTERITEM_R) / 2)),
    styring_b = c(TARGET_MEAN[["styring"]] + STYRING_OFFSET[["styring_b"]],
                  TARGET_SD[["styring"]] / sqrt((1 + TARGET_INTERITEM_R) / 2)))
  rbar <- TARGET_ALPHA / (3 - 2 * TARGET_ALPHA)
  s_w <- TARGET_SD[["arbeidsbelastning"]] / sqrt((1 + 2 * rbar) / 3)
  for (nm in names(BELAST_OFFSET))
    item_targets[[nm]] <- c(TARGET_MEAN[["arbeidsbelastning"]] +
                              BELAST_OFFSET[[nm]], s_w)
  for (nm in c("ratio", "tiltakskunnskap", "effektiv"))
    item_targets[[nm]] <- c(TARGET_MEAN[[nm]], TARGET_SD[[nm]])
  list(P = TARGET_COR, rho_s = TARGET_INTERITEM_R, rho_w = rbar,
       item_targets = item_targets, fig1 = FIG1_PROBS, ind_loc = 0, ind_scale = 1,
       age_target = c(TARGET_MEAN[["alder"]], TARGET_SD[["alder"]]),
       p_kjonn = TARGET_MEAN[["kjonn"]], p_tils = TARGET_MEAN[["tilsettingsforhold"]])
}
K_OF <- c(styring_a = 4, styring_b = 4, belast_tid_rev = 3, belast_krav_rev = 3,
          belast_stor = 3, ratio = 6, tiltakskunnskap = 4, effektiv = 4)
resolve_marginals <- function(cp) {
  cp$marg <- lapply(names(K_OF), function(nm)
    solve_disc(cp$item_targets[[nm]][1], cp$item_targets[[nm]][2], K_OF[[nm]]))
  names(cp$marg) <- names(K_OF)
  cp$age <- solve_beta(cp$age_target[1], cp$age_target[2])
  cp
}

calibrate <- function(rnd, iters = 150) {
  cp <- resolve_marginals(initial_params())
  best <- cp; best_worst <- Inf
  for (it in seq_len(iters)) {
    # damped steps, smaller later on (the discretised data respond in small
    # jumps, so a fixed gain ends in a limit cycle)
    gain <- if (it <= 30) 0.6 else if (it <= 80) 0.3 else 0.15
    s <- summarise(generate(cp, rnd))
    dc <- TARGET_COR - s$cor
    dm <- TARGET_MEAN - s$mean
    dsd <- (TARGET_SD / s$sd)^gain
    # (kontorstorrelse's marginal is fixed by the office design; age in years
    # counts a tenth)
    worst <- max(abs(dc), abs(dm[-c(7, 9)]), abs(dm[7]) / 10,
                 abs(TARGET_INTERITEM_R - s$r_s), abs(TARGET_ALPHA - s$alpha),
                 abs(TARGET_SD - s$sd)[-c(6, 7, 8, 9)],
                 abs(TARGET_SD[7] - s$sd[7]) / 10)
    message(sprintf("iter %3d  worst %.4f (cor %.4f, mean %.4f, sd %.4f, r %.4f, alpha %.4f)",
                    it, worst, max(abs(dc)), max(abs(dm[-c(7, 9)])),
                    max(abs(TARGET_SD - s$sd)[-c(6, 7, 8, 9)]),
                    TARGET_INTERITEM_R - s$r_s, TARGET_ALPHA - s$alpha))
    if (worst < best_worst) { best <- cp; best_worst <- worst }
    if (worst < 0.001) break
    dm <- gain * dm
    cp$P <- cp$P + gain * dc
    cp$rho_s <- cp$rho_s + gain * 1.2 * (TARGET_INTERITEM_R - s$r_s)
    cp$rho_w <- cp$rho_w + gain * 1.3 * (TARGET_ALPHA - s$alpha)
    shift <- function(nm, m, f) {
      cp$marg[[nm]][["mu"]] <<- cp$marg[[nm]][["mu"]] + m
      cp$marg[[nm]][["sigma"]] <<- cp$marg[[nm]][["sigma"]] * f
    }
    for (nm in c("styring_a", "styring_b"))
      shift(nm, dm[["styring"]], dsd[["styring"]])
    for (nm in names(BELAST_OFFSET))
      shift(nm, dm[["arbeidsbelastning"]], dsd[["arbeidsbelastning"]])
    for (nm in c("ratio", "tiltakskunnskap", "effektiv"))
      shift(nm, dm[[nm]], dsd[[nm]])
    cp$age_target <- cp$age_target +
      c(dm[["alder"]], gain * (TARGET_SD[["alder"]] - s$sd[["alder"]]))
    cp$age <- solve_beta(cp$age_target[1], cp$age_target[2])
    cp$ind_loc <- cp$ind_loc + dm[["individualisering"]]
    cp$ind_scale <- cp$ind_scale * dsd[["individualisering"]]
    cp$p_kjonn <- cp$p_kjonn + dm[["kjonn"]]
    cp$p_tils <- cp$p_tils + dm[["tilsettingsforhold"]]
  }
  message(sprintf("best worst deviation %.4f", best_worst))
  best
}

fmt_params <- function(cp) {
  num <- function(x) paste(formatC(x, digits = 7, format = "f"), collapse = ", ")
  P <- cp$P
  lines <- c(
    "PARAMS <- list(",
    "  P_lower = c(   # construct-level latent correlations, lower triangle",
    paste0("    ", sapply(split(P[lower.tri(P)], (seq_len(45) - 1) %/% 5), num),
           c(rep(",", 8), "),")),
    sprintf("  rho_s = %s, rho_w = %s,", num(cp$rho_s), num(cp$rho_w)),
    "  marg = list(",
    paste0(sprintf("    %s = c(mu = %s, sigma = %s)", names(cp$marg),
                   sapply(cp$marg, function(m) num(m[["mu"]])),
                   sapply(cp$marg, function(m) num(m[["sigma"]]))),
           c(rep(",", length(cp$marg) - 1), "),")),
    sprintf("  fig1 = c(%s),", num(cp$fig1)),
    sprintf("  ind_loc = %s, ind_scale = %s,", num(cp$ind_loc), num(cp$ind_scale)),
    sprintf("  age = c(a = %s, b = %s),", num(cp$age[["a"]]), num(cp$age[["b"]])),
    sprintf("  p_kjonn = %s, p_tils = %s)", num(cp$p_kjonn), num(cp$p_tils)))
  paste(lines, collapse = "\n")
}

params_from_block <- function(pb) {
  P <- diag(length(CONSTRUCTS))
  P[lower.tri(P)] <- pb$P_lower
  P[upper.tri(P)] <- t(P)[upper.tri(P)]
  dimnames(P) <- list(CONSTRUCTS, CONSTRUCTS)
  list(P = P, rho_s = pb$rho_s, rho_w = pb$rho_w, marg = pb$marg,
       fig1 = pb$fig1, ind_loc = pb$ind_loc, ind_scale = pb$ind_scale, age = pb$age, p_kjonn = pb$p_kjonn, p_tils = pb$p_tils)
}

## ---------------------------------------------------------------------------
## Main
## ---------------------------------------------------------------------------
rnd <- draw_randomness()
if ("--calibrate" %in% args) {
  cp <- calibrate(rnd)
  cat("## BEGIN PARAMS\n", fmt_params(cp), "\n## END PARAMS\n", sep = "")
  quit(status = 0)
}
if (!exists("PARAMS"))
  stop("PARAMS is empty: run with --calibrate and paste the block")
par <- params_from_block(PARAMS)
d <- generate(par, rnd)

out <- d
out$follows_up_clients <- ifelse(d$follows_up_clients, "true", "false")
out$weight <- formatC(d$weight, digits = 2, format = "f")
con <- file(out_file, open = "wb")     # "\n" line ends on every platform
write.table(out, con, sep = ",", quote = FALSE, na = "", row.names = FALSE,
            eol = "\n")
close(con)
s <- summarise(d)
message(sprintf("wrote %s: %d respondents, %d follow up clients, %d listwise complete",
                out_file, nrow(d), sum(d$follows_up_clients), s$n))
