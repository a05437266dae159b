# make_regression_expected.R -- R's lm on regression_data.csv, the expected
# values of test/regression_vs_r.sql.  Base R (stats) only; run from the
# repository root:
#   Rscript test/data/make_regression_expected.R
# writes test/data/regression_expected_coefficients.csv and
# test/data/regression_expected_summary.csv (numbers with sprintf("%.17g"),
# empty = NA).
#
# The design is survey_reg's hierarchical one: dependent individualisering,
#   block 1  styring
#   block 2  belastning, ratio, kontor, tilsett
#   block 3  effektiv, kunnskap, kjonn, alder
# model j = blocks 1..j, every model on the same rows: those complete on the
# dependent and all nine predictors (listwise).
#
# Cases:
#   unweighted       lm on the complete rows
#   weighted         frequency weights done the plain way: each complete row
#                    replicated w times with rep(), then lm (N = sum of w)
#   noint            the same models without intercept (y ~ 0 + ...),
#   noint_weighted   unweighted and weighted
#
# Per term (coefficients): b, se, t, p from summary.lm; ci_lower/ci_upper
# from confint (95%); beta and tolerance/VIF written out here:
#   with an intercept: beta = b sd(x) / sd(y); tolerance = 1 - R^2 of
#     lm(x_j ~ other predictors of the model), VIF = 1 / tolerance;
#   without: the uncentered counterparts (as the uncentered R^2 that
#     summary.lm reports for such models): beta = b sqrt(sum x^2 / sum y^2),
#     tolerance = 1 - uncentered R^2 of lm(x_j ~ 0 + other predictors);
#   a model with one predictor has tolerance 1 (nothing to regress on).
#   The intercept has NA beta, tolerance and VIF.
# Per model (summary): n, predictors, r = sqrt(R^2), R^2, adjusted R^2,
#   sigma (se_estimate), F with df1, df2 and p = pf(F, df1, df2, upper tail).
#   The change columns are SPSS's, computed from pairwise nested models with
#   the larger model's own residual df -- anova(previous, current), not
#   anova(m1, m2, m3), which would use model 3's residual variance for every
#   step: r2_change = R^2_j - R^2_{j-1}, F change = ((RSS_{j-1} - RSS_j) /
#   df1_change) / (RSS_j / df2_j), df2_change = df2_j.  Model 1 is compared
#   with the intercept-only model (lm(y ~ 1)), or without intercept with the
#   empty model (RSS = sum y^2, R^2 = 0).
d0 <- read.csv("test/data/regression_data.csv")
dep <- "individualisering"
blocks <- list("styring",
               c("belastning", "ratio", "kontor", "tilsett"),
               c("effektiv", "kunnskap", "kjonn", "alder"))
vars <- c(dep, unlist(blocks))
cc <- d0[complete.cases(d0[, vars]), ]
stopifnot(nrow(cc) == 286, all(cc$w %in% 1:3))

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
coef_rows <- list()
summ_rows <- list()

for (case in c("unweighted", "weighted", "noint", "noint_weighted")) {
  weighted <- grepl("weighted", case) && !grepl("unweighted", case)
  intercept <- !grepl("noint", case)
  d <- if (weighted) cc[rep(seq_len(nrow(cc)), cc$w), vars] else cc[, vars]
  y <- d[[dep]]
  form <- function(lhs, rhs) {
    rhs <- if (length(rhs) == 0) "1" else paste(rhs, collapse = " + ")
    as.formula(paste(lhs, "~", if (intercept) "" else "0 +", rhs))
  }
  prev <- if (intercept) lm(as.formula(paste(dep, "~ 1")), data = d)
          else lm(as.formula(paste(dep, "~ 0")), data = d)
  prev_r2 <- 0
  for (j in seq_along(blocks)) {
    preds <- unlist(blocks[1:j])
    fit <- lm(form(dep, preds), data = d)
    s <- summary(fit)
    stopifnot(!any(is.na(coef(fit))))
    ct <- s$coefficients
    ci <- confint(fit, level = 0.95)
    for (term in rownames(ct)) {
      if (term == "(Intercept)") {
        beta <- NA; tol <- NA
      } else {
        x <- d[[term]]
        beta <- if (intercept) ct[term, 1] * sd(x) / sd(y)
                else ct[term, 1] * sqrt(sum(x^2) / sum(y^2))
        others <- setdiff(preds, term)
        tol <- if (length(others) == 0) 1
               else 1 - summary(lm(form(term, others), data = d))$r.squared
      }
      coef_rows[[length(coef_rows) + 1]] <- data.frame(
        case = case, model = j, term = term,
        b = fmt(ct[term, 1]), se = fmt(ct[term, 2]), beta = fmt(beta),
        t = fmt(ct[term, 3]), p = fmt(ct[term, 4]),
        ci_lower = fmt(ci[term, 1]), ci_upper = fmt(ci[term, 2]),
        tolerance = fmt(tol), vif = fmt(1 / tol))
    }
    fs <- s$fstatistic
    p_f <- pf(fs[["value"]], fs[["numdf"]], fs[["dendf"]], lower.tail = FALSE)
    a <- anova(prev, fit)                 # this step alone
    rss_prev <- deviance(prev); rss <- deviance(fit)
    df1c <- a$Df[2]; df2c <- a$Res.Df[2]
    fch <- ((rss_prev - rss) / df1c) / (rss / df2c)
    stopifnot(isTRUE(all.equal(fch, a$F[2], tolerance = 1e-12)),
              df2c == fit$df.residual)
    summ_rows[[length(summ_rows) + 1]] <- data.frame(
      case = case, model = j, n = fmt(nrow(d)), predictors = length(preds),
      r = fmt(sqrt(s$r.squared)), r2 = fmt(s$r.squared),
      adj_r2 = fmt(s$adj.r.squared), se_estimate = fmt(s$sigma),
      f = fmt(fs[["value"]]), df1 = fs[["numdf"]], df2 = fmt(fs[["dendf"]]),
      p = fmt(p_f), r2_change = fmt(s$r.squared - prev_r2),
      f_change = fmt(fch), df1_change = df1c, df2_change = fmt(df2c),
      p_change = fmt(pf(fch, df1c, df2c, lower.tail = FALSE)))
    prev <- fit
    prev_r2 <- s$r.squared
  }
}

write.csv(do.call(rbind, coef_rows), "test/data/regression_expected_coefficients.csv",
          row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, summ_rows), "test/data/regression_expected_summary.csv",
          row.names = FALSE, quote = FALSE)
cat(R.version.string, "\n")
