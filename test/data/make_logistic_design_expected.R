# Logistic regression with the design arguments of API.md section 9
# (issue 17 with issue 16's fpc, cluster2, fpc2, domain): expectations from
# R's survey package, svyglm(family = quasibinomial()) with
# glm.control(epsilon = 1e-15, maxit = 100), on test/data/survey_sample.csv
# (made by make_survey_means_expected.R; read here, not redrawn).
#
#   Rscript test/data/make_logistic_design_expected.R
#
# Writes test/data/logistic_design_expected.csv.  The outcome is the
# boolean b; model 1 is b ~ x, model 2 b ~ x + y1, on the same rows
# (survey_reg's blocks are listwise over every block: subset() leaves out
# the rows with a missing x or y1 from both models; svyglm's na.omit drops
# those with a missing b; all keep their PSUs).  Per design and domain:
# b, SE, t, p on t with df.residual (degf - rank + 1), the odds ratio and
# exp(confint(df = df.residual)); numbers as sprintf("%.17g").
suppressMessages(library(survey))

d <- read.csv("test/data/survey_sample.csv")
d$b <- as.logical(d$b)
d$dom <- as.logical(d$dom)

designs <- list(
  onestage = function(x) svydesign(id = ~psu, strata = ~stratum, weights = ~w, data = x),
  fpc      = function(x) svydesign(id = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc1, data = x),
  frac     = function(x) svydesign(id = ~psu, strata = ~stratum, weights = ~w, fpc = ~frac1, data = x),
  twostage = function(x) svydesign(id = ~psu + ssu, strata = ~stratum, weights = ~w, fpc = ~fpc1 + fpc2, data = x),
  rows_fpc = function(x) svydesign(id = ~1, strata = ~stratum, weights = ~w, fpc = ~fpcrows, data = x),
  lonely_fpc = function(x) svydesign(id = ~psu + ssu, strata = ~stratum_l, weights = ~w, fpc = ~fpc1 + fpc2, data = x)
)
# design, domain, lonely_psu
cases <- list(
  list("onestage", FALSE), list("fpc", FALSE), list("frac", FALSE),
  list("twostage", FALSE), list("rows_fpc", FALSE),
  list("onestage", TRUE), list("fpc", TRUE), list("twostage", TRUE),
  list("rows_fpc", TRUE), list("lonely_fpc", FALSE, "adjust"),
  list("lonely_fpc", TRUE, "average")
)
fmt <- function(v) ifelse(is.na(v), "", sprintf("%.17g", v))
ctl <- glm.control(epsilon = 1e-15, maxit = 100)
res <- list()
for (cs in cases) {
  dname <- cs[[1]]; dom <- cs[[2]]
  lonely <- if (length(cs) > 2) cs[[3]] else "fail"
  options(survey.lonely.psu = lonely)
  des <- designs[[dname]](d)
  des <- subset(des, !is.na(x) & !is.na(y1))
  if (dom) des <- subset(des, !is.na(dom) & dom)
  case <- paste(dname, if (dom) "domain" else "whole", sep = "/")
  if (lonely != "fail") case <- paste(case, lonely, sep = "/")
  fs <- list(b ~ x, b ~ x + y1)
  for (k in 1:2) {
    fit <- svyglm(fs[[k]], design = des, family = quasibinomial(), control = ctl)
    stopifnot(fit$converged)
    co <- coef(fit); se <- SE(fit)
    dfk <- fit$df.residual
    tt <- co / se
    ci <- confint(fit, df = dfk)
    res[[length(res) + 1]] <- data.frame(
      case_ = case, design = dname, domain = dom, lonely_psu = lonely,
      model = k, term = names(co), b = fmt(co), se = fmt(se), z = fmt(tt),
      p = fmt(2 * pt(-abs(tt), dfk)), df = dfk, odds_ratio = fmt(exp(co)),
      or_ci_lower = fmt(exp(ci[, 1])), or_ci_upper = fmt(exp(ci[, 2])))
  }
}
write.csv(do.call(rbind, res), "test/data/logistic_design_expected.csv",
          row.names = FALSE, na = "", quote = TRUE)
cat(R.version.string, "survey", as.character(packageVersion("survey")), "\n")
