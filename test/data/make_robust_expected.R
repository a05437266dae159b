# make_robust_expected.R -- the expected values of test/robust_vs_r.sql:
# heteroskedasticity-robust (HC0-HC3) and cluster-robust (CR1) standard
# errors from R's sandwich package, design-based (linearization) standard
# errors from R's survey package (svyglm), for every model of the
# three-block design on robust_data.csv.  Run from the repository root:
#   Rscript test/data/make_robust_expected.R
# writes test/data/robust_expected_cases.csv (the survey_reg arguments of
# each case), robust_expected_coefficients.csv and robust_expected_summary.csv
# (numbers with sprintf("%.17g"), empty = NA).
#
# The design: dependent individualisering,
#   block 1  styring
#   block 2  belastning, ratio, kontor, tilsett
#   block 3  effektiv, kunnskap, kjonn, alder
# every model on the same rows: those complete on all ten variables
# (listwise, as survey_reg).
#
# Cases (survey_reg arguments in robust_expected_cases.csv):
#   hc0..hc3          lm on the complete rows, sandwich::vcovHC(type = "HCk");
#                     t on the residual df n - p
#   hc0_fw..hc3_fw    frequency weights fw: rows replicated fw times (rep()),
#                     then as above (so n = sum of fw)
#   hc0_pw..hc3_pw    probability weights pw: lm(weights = pw), vcovHC (Stata:
#                     regress [pw = pw], vce(robust) for HC1); n = rows
#   hc1_noint         hc1 without intercept (y ~ 0 + ...)
#   cr1               vcovCL(cluster = office, type = "HC1", cadjust = TRUE),
#                     i.e. G/(G-1) (n-1)/(n-p) as Stata's vce(cluster office);
#                     t on G - 1 df (Stata), G = offices with a complete row
#   cr1_fw, cr1_pw    the same with replicated rows / lm(weights = pw)
#   cr1_id            clusters of one row each (cluster = id): CR1 equals HC1,
#                     t on n - 1 df
#   design_w          svydesign(ids = ~1, weights = ~pw), svyglm
#   design_ws         svydesign(ids = ~1, strata = ~stratum, weights = ~pw)
#   design_wc         svydesign(ids = ~office, weights = ~pw)
#   design_wcs        svydesign(ids = ~office, strata = ~stratum, weights = ~pw)
#   design_cs         svydesign(ids = ~office, strata = ~stratum) (equal weights)
#   design_wcs_noint  design_wcs without intercept
#   lonely_adjust, lonely_certainty, lonely_remove, lonely_average
#                     svydesign(ids = ~office, strata = ~stratum_lonely,
#                     weights = ~pw) with options(survey.lonely.psu = ...);
#                     stratum 7 has one PSU (the default "fail" is an error,
#                     checked below)
# The designs are built on all rows (incomplete ones included, with every
# analysis variable set to NA on a row incomplete on any of them), so that
# svyglm drops the same rows from every model and, as survey does for a
# domain, still counts each PSU of the design in its stratum (nest = TRUE:
# PSUs are numbered within strata, as Stata's svy).
#
# Per term: b, the SE, t = b / SE, the df of t, p = 2 pt(-|t|, df) and the
# 95% interval b -+ qt(0.975, df) SE; for svyglm, t and p from
# summary.svyglm and the interval from confint.svyglm (df = degf(design) + 1
# - p, as svyglm's df.residual).
# Per model: n (rows; sum of fw with frequency weights); r2 (lm's R^2,
# weighted with pw where there are probability weights: 1 - sum w e^2 /
# sum w (y - ybar_w)^2, uncentered without intercept); adj_r2 and
# se_estimate from summary.lm where they mean something (NA with
# probability weights and for designs); F: the Wald test of every predictor
# with the chosen variance, F = b' V^-1 b / q on (q, df of t) -- for svyglm
# regTermTest(model, ~ predictors), whose denominator df is df.residual --;
# the change columns the same Wald test for the block's own predictors in
# model j (regTermTest(model_j, ~ block j) for svyglm).
suppressPackageStartupMessages({library(sandwich); library(survey)})
d0 <- read.csv("test/data/robust_data.csv")
dep <- "individualisering"
blocks <- list("styring",
               c("belastning", "ratio", "kontor", "tilsett"),
               c("effektiv", "kunnskap", "kjonn", "alder"))
vars <- c(dep, unlist(blocks))
cc <- complete.cases(d0[, vars])
stopifnot(nrow(d0) == 862, sum(cc) == 628, all(d0$pw > 0), all(d0$fw %in% 1:3))
dl <- d0
dl[!cc, vars] <- NA                    # listwise: incomplete on all variables
dc <- d0[cc, ]

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
form <- function(preds, intercept)
  as.formula(paste(dep, "~", if (intercept) "" else "0 +", paste(preds, collapse = " + ")))
wald <- function(b, V, terms) {
  q <- length(terms)
  drop(t(b[terms]) %*% solve(V[terms, terms, drop = FALSE], b[terms])) / q
}

cases <- list()
coef_rows <- list()
summ_rows <- list()
add_case <- function(name, se, weight = "", weight_type = "", cluster = "",
                     strata = "", intercept = TRUE, lonely_psu = "")
  cases[[length(cases) + 1]] <<- data.frame(case = name, se = se, weight = weight,
    weight_type = weight_type, cluster = cluster, strata = strata,
    intercept = intercept, lonely_psu = lonely_psu)

emit <- function(case, j, b, se, df, tval, p, ci, n, r2, adj_r2, sigma,
                 fw, fdf1, fdf2, fp, r2c, fc, fcdf1, fcdf2, fcp) {
  for (term in names(b))
    coef_rows[[length(coef_rows) + 1]] <<- data.frame(case = case, model = j,
      term = term, b = fmt(b[[term]]), se = fmt(se[[term]]), t = fmt(tval[[term]]),
      df = fmt(df), p = fmt(p[[term]]), ci_lower = fmt(ci[term, 1]),
      ci_upper = fmt(ci[term, 2]))
  summ_rows[[length(summ_rows) + 1]] <<- data.frame(case = case, model = j,
    n = fmt(n), r2 = fmt(r2), adj_r2 = fmt(adj_r2), se_estimate = fmt(sigma),
    f = fmt(fw), df1 = fdf1, df2 = fmt(fdf2), p = fmt(fp), r2_change = fmt(r2c),
    f_change = fmt(fc), df1_change = fcdf1, df2_change = fmt(fcdf2),
    p_change = fmt(fcp))
}

# ---- sandwich: HC0-HC3 and CR1 ------------------------------------------
sandwich_case <- function(case, type, weighting, cluster = NULL, intercept = TRUE) {
  d <- switch(weighting, none = dc, fw = dc[rep(seq_len(nrow(dc)), dc$fw), ], pw = dc)
  prev_r2 <- 0
  for (j in seq_along(blocks)) {
    preds <- unlist(blocks[1:j])
    fit <- if (weighting == "pw") lm(form(preds, intercept), data = d, weights = pw)
           else lm(form(preds, intercept), data = d)
    s <- summary(fit)
    b <- coef(fit)
    stopifnot(!any(is.na(b)))
    if (is.null(cluster)) {
      V <- vcovHC(fit, type = type)
      df <- fit$df.residual
    } else {
      V <- vcovCL(fit, cluster = d[[cluster]], type = "HC1", cadjust = TRUE)
      df <- length(unique(d[[cluster]])) - 1
    }
    se <- sqrt(diag(V))
    tval <- b / se
    p <- 2 * pt(-abs(tval), df)
    q <- qt(0.975, df)
    ci <- cbind(b - q * se, b + q * se)
    rownames(ci) <- names(b)
    fwald <- wald(b, V, preds)
    fc <- wald(b, V, blocks[[j]])
    weighted <- weighting == "pw"
    emit(case, j, b, se, df, tval, p, ci,
         n = nrow(d), r2 = s$r.squared,
         adj_r2 = if (weighted) NA else s$adj.r.squared,
         sigma = if (weighted) NA else s$sigma,
         fw = fwald, fdf1 = length(preds), fdf2 = df,
         fp = pf(fwald, length(preds), df, lower.tail = FALSE),
         r2c = s$r.squared - prev_r2, fc = fc, fcdf1 = length(blocks[[j]]),
         fcdf2 = df, fcp = pf(fc, length(blocks[[j]]), df, lower.tail = FALSE))
    prev_r2 <- s$r.squared
  }
}

for (type in c("HC0", "HC1", "HC2", "HC3")) {
  k <- tolower(type)
  sandwich_case(k, type, "none"); add_case(k, k)
  sandwich_case(paste0(k, "_fw"), type, "fw"); add_case(paste0(k, "_fw"), k, weight = "fw")
  sandwich_case(paste0(k, "_pw"), type, "pw")
  add_case(paste0(k, "_pw"), k, weight = "pw", weight_type = "probability")
}
sandwich_case("hc1_noint", "HC1", "none", intercept = FALSE)
add_case("hc1_noint", "hc1", intercept = FALSE)
sandwich_case("cr1", "HC1", "none", cluster = "office")
add_case("cr1", "cluster", cluster = "office")
sandwich_case("cr1_fw", "HC1", "fw", cluster = "office")
add_case("cr1_fw", "cluster", weight = "fw", cluster = "office")
sandwich_case("cr1_pw", "HC1", "pw", cluster = "office")
add_case("cr1_pw", "cluster", weight = "pw", weight_type = "probability", cluster = "office")
sandwich_case("cr1_id", "HC1", "none", cluster = "id")
add_case("cr1_id", "cluster", cluster = "id")

# ---- survey: svyglm -------------------------------------------------------
survey_case <- function(case, ids, strata, weighted, intercept = TRUE, lonely = "fail") {
  options(survey.lonely.psu = lonely)
  des <- if (weighted) svydesign(ids = ids, strata = strata, weights = ~pw, data = dl, nest = TRUE)
         else suppressWarnings(svydesign(ids = ids, strata = strata, data = dl, nest = TRUE))
  prev_r2 <- 0
  for (j in seq_along(blocks)) {
    preds <- unlist(blocks[1:j])
    fit <- svyglm(form(preds, intercept), design = des)
    b <- coef(fit)
    stopifnot(!any(is.na(b)))
    V <- vcov(fit)
    se <- sqrt(diag(V))
    sc <- summary(fit)$coefficients
    df <- fit$df.residual
    ci <- confint(fit)
    # R^2: lm's, with the sampling weights (a point estimate)
    lmfit <- if (weighted) lm(form(preds, intercept), data = dc, weights = pw)
             else lm(form(preds, intercept), data = dc)
    r2 <- summary(lmfit)$r.squared
    stopifnot(isTRUE(all.equal(unname(coef(lmfit)), unname(b), tolerance = 1e-10)))
    rt <- regTermTest(fit, as.formula(paste("~", paste(preds, collapse = " + "))))
    rc <- regTermTest(fit, as.formula(paste("~", paste(blocks[[j]], collapse = " + "))))
    stopifnot(rt$ddf == df, rc$ddf == df,
              isTRUE(all.equal(drop(rt$Ftest), wald(b, V, preds), tolerance = 1e-12)))
    emit(case, j, b, se, df, setNames(sc[, 3], rownames(sc)),
         setNames(sc[, 4], rownames(sc)), ci,
         n = sum(cc), r2 = r2, adj_r2 = NA, sigma = NA,
         fw = drop(rt$Ftest), fdf1 = rt$df, fdf2 = rt$ddf, fp = drop(rt$p),
         r2c = r2 - prev_r2, fc = drop(rc$Ftest), fcdf1 = rc$df, fcdf2 = rc$ddf,
         fcp = drop(rc$p))
    prev_r2 <- r2
  }
  options(survey.lonely.psu = "fail")
}

survey_case("design_w", ~1, NULL, TRUE)
add_case("design_w", "classical", weight = "pw", weight_type = "probability")
survey_case("design_ws", ~1, ~stratum, TRUE)
add_case("design_ws", "design", weight = "pw", weight_type = "probability", strata = "stratum")
survey_case("design_wc", ~office, NULL, TRUE)
add_case("design_wc", "design", weight = "pw", weight_type = "probability", cluster = "office")
survey_case("design_wcs", ~office, ~stratum, TRUE)
add_case("design_wcs", "design", weight = "pw", weight_type = "probability",
         cluster = "office", strata = "stratum")
survey_case("design_cs", ~office, ~stratum, FALSE)
add_case("design_cs", "design", cluster = "office", strata = "stratum")
survey_case("design_wcs_noint", ~office, ~stratum, TRUE, intercept = FALSE)
add_case("design_wcs_noint", "design", weight = "pw", weight_type = "probability",
         cluster = "office", strata = "stratum", intercept = FALSE)
for (lonely in c("adjust", "certainty", "remove", "average")) {
  survey_case(paste0("lonely_", lonely), ~office, ~stratum_lonely, TRUE, lonely = lonely)
  add_case(paste0("lonely_", lonely), "design", weight = "pw", weight_type = "probability",
           cluster = "office", strata = "stratum_lonely", lonely_psu = lonely)
}
# the default, survey.lonely.psu = "fail", is an error
err <- tryCatch({
  des <- svydesign(ids = ~office, strata = ~stratum_lonely, weights = ~pw, data = dl, nest = TRUE)
  svyglm(form("styring", TRUE), design = des); "no error"
}, error = function(e) conditionMessage(e))
stopifnot(grepl("has only one PSU", err))

# sanity: CR1 with clusters of one row is HC1
f1 <- lm(form(unlist(blocks), TRUE), data = dc)
stopifnot(isTRUE(all.equal(vcovCL(f1, cluster = dc$id, type = "HC1"),
                           vcovHC(f1, type = "HC1"), tolerance = 1e-12)))

write.csv(do.call(rbind, cases), "test/data/robust_expected_cases.csv",
          row.names = FALSE, quote = FALSE, na = "")
write.csv(do.call(rbind, coef_rows), "test/data/robust_expected_coefficients.csv",
          row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, summ_rows), "test/data/robust_expected_summary.csv",
          row.names = FALSE, quote = FALSE)
cat(R.version.string, "; sandwich", format(packageVersion("sandwich")),
    "; survey", format(packageVersion("survey")), "\n")
