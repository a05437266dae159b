#!/usr/bin/env Rscript
# =============================================================================
# check_sample_survey.R -- compares the SYNTHETIC sample survey
# (data/sample_survey.csv, written by data/generate_sample_survey.R) with the
# published summary of Terum & Sadeghi (Nav survey 2018): Table 1, the
# appendix correlation matrix (with individualisering--tilsettingsforhold
# read as +0.065), inter-item r 0.26, alpha 0.718 and Figure 1.
#
# Among the rows with follows_up_clients = true the indices are rebuilt from
# the raw items:
#   styring           = (styring_a + styring_b) / 2
#   arbeidsbelastning = ((3 - belast_tid) + (3 - belast_krav) + belast_stor) / 3
# and the targets are computed on the listwise-complete rows. Pairwise-
# complete figures are checked as well, with the same tolerances.
#
# Run from the repository root (base R only):
#   Rscript data/check_sample_survey.R [path/to/sample_survey.csv]
# Prints target, synthetic, difference, tolerance and OK/FAIL for every
# figure; exits with status 1 if any check fails.
# =============================================================================

args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) > 0) args[1] else "data/sample_survey.csv"

COLUMNS <- c("respondent_id", "office_id", "kontorstorrelse",
             "follows_up_clients", "individualisering", "styring_a",
             "styring_b", "belast_tid", "belast_krav", "belast_stor", "ratio",
             "tiltakskunnskap", "effektiv", "kjonn", "alder",
             "tilsettingsforhold", "weight")
VARS <- c("individualisering", "arbeidsbelastning", "ratio", "styring",
          "tiltakskunnskap", "kjonn", "alder", "tilsettingsforhold",
          "kontorstorrelse", "effektiv")
T_MEAN <- c(2.80, 1.60, 2.47, 1.92, 2.94, 0.202, 47.7, 0.545, 1.51, 2.59)
T_SD <- c(0.89, 0.61, 1.77, 0.98, 0.93, NA, 10.8, NA, 1.14, 0.90)
names(T_MEAN) <- names(T_SD) <- VARS
T_LOWER <- c(
  -0.175, -0.083, -0.235, 0.298, -0.069, -0.031, 0.065, -0.027, 0.130,
  0.283, 0.179, -0.120, -0.011, -0.051, 0.049, 0.043, -0.031,
  0.072, 0.012, -0.020, -0.045, 0.168, -0.024, 0.001,
  -0.055, -0.017, 0.049, 0.026, 0.059, -0.015,
  -0.051, 0.105, 0.148, -0.028, 0.093,
  0.031, 0.038, -0.029, -0.047,
  0.153, -0.092, -0.046,
  0.041, -0.074,
  -0.027)
T_COR <- diag(length(VARS))
T_COR[lower.tri(T_COR)] <- T_LOWER
T_COR[upper.tri(T_COR)] <- t(T_COR)[upper.tri(T_COR)]
dimnames(T_COR) <- list(VARS, VARS)

rows <- list()
add <- function(section, what, target, value, tol, gate = TRUE) {
  ok <- !is.na(value) && abs(value - target) <= tol + 1e-12
  rows[[length(rows) + 1]] <<- data.frame(
    section = section, what = what, target = target, synthetic = value,
    diff = value - target, tol = tol,
    status = if (!gate) "info" else if (ok) "OK" else "FAIL",
    stringsAsFactors = FALSE)
}
check <- function(section, what, cond) {
  rows[[length(rows) + 1]] <<- data.frame(
    section = section, what = what, target = NA, synthetic = NA, diff = NA,
    tol = NA, status = if (isTRUE(cond)) "OK" else "FAIL",
    stringsAsFactors = FALSE)
}

d <- read.csv(path, na.strings = "", stringsAsFactors = FALSE,
              colClasses = c(follows_up_clients = "character"))

## --- structure ---------------------------------------------------------------
check("structure", "columns and their order", identical(names(d), COLUMNS))
check("structure", sprintf("about 1,650 respondents (%d)", nrow(d)),
      nrow(d) >= 1600 && nrow(d) <= 1700)
check("structure", "follows_up_clients is true/false",
      all(d$follows_up_clients %in% c("true", "false")))
d$follows_up_clients <- d$follows_up_clients == "true"
check("structure", sprintf("about 1,377 follow up clients (%d)",
                           sum(d$follows_up_clients)),
      abs(sum(d$follows_up_clients) - 1377) <= 30)
check("structure", "respondent_id unique", !anyDuplicated(d$respondent_id))
check("structure", "108 offices, ids 1..108",
      setequal(unique(d$office_id), 1:108))
check("structure", "kontorstorrelse constant within office",
      all(tapply(d$kontorstorrelse, d$office_id,
                 function(x) length(unique(x)) == 1)))
in_range <- function(x, lo, hi) all(is.na(x) | (x >= lo & x <= hi & x == round(x)))
for (v in c("individualisering", "styring_a", "styring_b", "tiltakskunnskap",
            "effektiv"))
  check("structure", sprintf("%s in 0..4", v), in_range(d[[v]], 0, 4))
for (v in c("belast_tid", "belast_krav", "belast_stor", "kontorstorrelse"))
  check("structure", sprintf("%s in 0..3", v), in_range(d[[v]], 0, 3))
check("structure", "ratio in 0..6", in_range(d$ratio, 0, 6))
check("structure", "kjonn, tilsettingsforhold in 0/1",
      in_range(d$kjonn, 0, 1) && in_range(d$tilsettingsforhold, 0, 1))
check("structure", "alder integer 20..70", in_range(d$alder, 20, 70))
check("structure", "weight positive, 0.5..2.5",
      all(!is.na(d$weight) & d$weight >= 0.5 & d$weight <= 2.5))
items <- COLUMNS[5:16]
miss <- colMeans(is.na(d[d$follows_up_clients, items]))
check("structure", sprintf("a few percent missing per item (%.1f%%..%.1f%%)",
                           100 * min(miss), 100 * max(miss)),
      all(miss > 0 & miss <= 0.05))
check("structure", "no missing in ids, office, follows_up_clients, weight",
      !anyNA(d[, c("respondent_id", "office_id", "kontorstorrelse",
                   "follows_up_clients", "weight")]))

## --- the analysis sample -----------------------------------------------------
f <- d[d$follows_up_clients, ]
f$styring <- (f$styring_a + f$styring_b) / 2
f$arbeidsbelastning <- ((3 - f$belast_tid) + (3 - f$belast_krav) +
                          f$belast_stor) / 3
X <- as.matrix(f[, VARS])
ok <- complete.cases(X)
alpha_of <- function(M) {
  M <- M[complete.cases(M), , drop = FALSE]
  k <- ncol(M)
  k / (k - 1) * (1 - sum(apply(M, 2, var)) / var(rowSums(M)))
}
WL <- cbind(3 - f$belast_tid, 3 - f$belast_krav, f$belast_stor)

run_targets <- function(section, Xs, rs, alpha, pairwise) {
  for (v in VARS) {
    x <- Xs[, v]; x <- x[!is.na(x)]
    if (v %in% c("kjonn", "tilsettingsforhold")) {
      add(section, sprintf("share %s = 1", v), T_MEAN[[v]], mean(x), 0.02)
    } else {
      tol <- if (v == "alder") 1 else 0.1
      add(section, sprintf("mean %s", v), T_MEAN[[v]], mean(x), tol)
      add(section, sprintf("sd   %s", v), T_SD[[v]], sd(x), tol)
    }
  }
  C <- if (pairwise) cor(Xs, use = "pairwise.complete.obs") else cor(Xs)
  for (j in 1:(length(VARS) - 1)) for (i in (j + 1):length(VARS))
    add(section, sprintf("r %s--%s", VARS[i], VARS[j]), T_COR[i, j], C[i, j],
        0.05)
  add(section, "inter-item r styring_a--styring_b", 0.26, rs, 0.03)
  add(section, "alpha workload items (2 reversed)", 0.718, alpha, 0.03)
}
n_lw <- sum(ok)
run_targets(sprintf("listwise (n=%d)", n_lw), X[ok, ],
            cor(f$styring_a[ok], f$styring_b[ok]), alpha_of(WL[ok, ]), FALSE)
run_targets(sprintf("pairwise (n<=%d)", nrow(f)), X,
            cor(f$styring_a, f$styring_b, use = "complete.obs"),
            alpha_of(WL), TRUE)

## --- Figure 1 ----------------------------------------------------------------
ind <- f$individualisering[!is.na(f$individualisering)]
p <- tabulate(ind + 1, 5) / length(ind)
sec <- sprintf("Figure 1 (n=%d)", length(ind))
add(sec, "share 4 strongly agree (a fifth)", 0.20, p[5], 0.03)
add(sec, "share 3 agree (just under half)", 0.48, p[4], 0.03)
add(sec, "share 2 neither (a quarter)", 0.25, p[3], 0.03)
add(sec, "share 0-1 disagree (very few)", 0.06, p[1] + p[2], 0.03)
add(sec, "share 3-4 agree in total (69%)", 0.69, p[4] + p[5], 0.03)

## --- informational ------------------------------------------------------------
# Table 2, model 3: standardized OLS coefficients (not a target of the data,
# but they follow from the correlations).
T2 <- c(styring = -0.195, arbeidsbelastning = -0.095, ratio = -0.060,
        kontorstorrelse = -0.010, tilsettingsforhold = 0.065, effektiv = 0.099,
        tiltakskunnskap = 0.262, kjonn = -0.051, alder = -0.061)
Z <- scale(X[ok, ])
b <- coef(lm(Z[, "individualisering"] ~ Z[, names(T2)]))[-1]
for (k in seq_along(T2))
  add("info: Table 2 model 3 beta", names(T2)[k], T2[[k]], b[[k]], 0.05,
      gate = FALSE)
# footnote 6: 60% of municipal and 30% of state employees follow up < 51 clients
low <- f$ratio <= 1
add("info: ratio <= 1 (under 51 clients)", "municipal (paper: 60%)", 0.60,
    mean(low[f$tilsettingsforhold == 0], na.rm = TRUE), 0.05, gate = FALSE)
add("info: ratio <= 1 (under 51 clients)", "state (paper: 30%)", 0.30,
    mean(low[f$tilsettingsforhold == 1], na.rm = TRUE), 0.05, gate = FALSE)

## --- report --------------------------------------------------------------------
R <- do.call(rbind, rows)
num <- function(x, d = 3) ifelse(is.na(x), "", formatC(x, digits = d, format = "f"))
cat(sprintf("Synthetic sample survey %s: %d rows, %d follow up clients, %d listwise complete\n",
            path, nrow(d), nrow(f), n_lw))
for (s in unique(R$section)) {
  cat("\n== ", s, " ==\n", sep = "")
  r <- R[R$section == s, ]
  w <- max(nchar(r$what))
  if (all(is.na(r$target))) {
    cat(sprintf("  %-*s  %s\n", w, r$what, r$status), sep = "")
  } else {
    cat(sprintf("  %-*s  %8s  %9s  %7s  %5s  %s\n", w, "", "target",
                "synthetic", "diff", "tol", "status"))
    cat(sprintf("  %-*s  %8s  %9s  %7s  %5s  %s\n", w, r$what, num(r$target),
                num(r$synthetic), num(r$diff), num(r$tol, 2), r$status),
        sep = "")
  }
}
lw <- R[startsWith(R$section, "listwise"), ]
kind <- ifelse(startsWith(lw$what, "r "), "cor",
               ifelse(grepl("^(mean|sd|share)", lw$what), "moment", "rel"))
mx <- function(sel) max(abs(lw$diff[sel & !grepl("alder", lw$what)]))
cat(sprintf(paste0("\nListwise max |diff|: means/SDs/shares %.4f (age: mean %.2f, sd %.2f years), ",
                   "correlations %.4f, inter-item r %.4f, alpha %.4f\n"),
            mx(kind == "moment"),
            abs(lw$diff[lw$what == "mean alder"]), abs(lw$diff[lw$what == "sd   alder"]),
            mx(kind == "cor"),
            abs(lw$diff[grepl("inter-item", lw$what)]),
            abs(lw$diff[grepl("alpha", lw$what)])))
nfail <- sum(R$status == "FAIL")
cat(sprintf("%d checks, %d FAIL\n", sum(R$status != "info"), nfail))
quit(status = if (nfail > 0) 1 else 0)
