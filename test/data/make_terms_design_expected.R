# Model terms (factor(), booleans, a:b) with the design arguments fpc,
# cluster2, fpc2 and domain on the table-name coefficients: expectations
# from R's svyglm (gaussian) on test/data/survey_sample.csv (made by
# make_survey_means_expected.R; read here, not redrawn).
#
#   Rscript test/data/make_terms_design_expected.R
#
# Writes test/data/terms_design_expected.csv: y1 ~ factor(cat) + x
# (model 1) and y1 ~ factor(cat) + x + b + x:y2 (model 2) on the rows
# complete on cat, x and b (subset(); na.omit drops a missing y1; all keep
# their PSUs), per design and domain: coefficients, SEs, df.residual and
# confint(df = df.residual), with survey_reg's term names (cat[b], b, x:y2).
suppressMessages(library(survey))

d <- read.csv("test/data/survey_sample.csv", na.strings = "")
d$b <- as.logical(d$b)
d$dom <- as.logical(d$dom)

designs <- list(
  fpc      = function(x) svydesign(id = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc1, data = x),
  frac     = function(x) svydesign(id = ~psu, strata = ~stratum, weights = ~w, fpc = ~frac1, data = x),
  twostage = function(x) svydesign(id = ~psu + ssu, strata = ~stratum, weights = ~w, fpc = ~fpc1 + fpc2, data = x)
)
cases <- list(list("fpc", FALSE), list("frac", FALSE), list("twostage", FALSE),
              list("fpc", TRUE), list("twostage", TRUE))
our_name <- function(s) {
  s <- gsub("factor\\(cat\\)(a|b|c)", "cat[\\1]", s)
  gsub("bTRUE", "b", s, fixed = TRUE)
}
fmt <- function(v) sprintf("%.17g", v)
res <- list()
for (cs in cases) {
  dname <- cs[[1]]; dom <- cs[[2]]
  des <- designs[[dname]](d)
  des <- subset(des, !is.na(cat) & !is.na(x) & !is.na(b))
  if (dom) des <- subset(des, !is.na(dom) & dom)
  case <- paste(dname, if (dom) "domain" else "whole", sep = "/")
  fs <- list(y1 ~ factor(cat) + x, y1 ~ factor(cat) + x + b + x:y2)
  for (k in 1:2) {
    fit <- svyglm(fs[[k]], design = des)
    co <- coef(fit); se <- SE(fit)
    dfk <- fit$df.residual
    ci <- confint(fit, df = dfk)
    res[[length(res) + 1]] <- data.frame(
      case_ = case, design = dname, domain = dom, model = k,
      term = our_name(names(co)), b = fmt(co), se = fmt(se), df = dfk,
      ci_lower = fmt(ci[, 1]), ci_upper = fmt(ci[, 2]))
  }
}
write.csv(do.call(rbind, res), "test/data/terms_design_expected.csv",
          row.names = FALSE, na = "", quote = TRUE)
cat(R.version.string, "survey", as.character(packageVersion("survey")), "\n")
