# survey_means expectations from R's survey package (issue 16).
#
#   Rscript test/data/make_survey_means_expected.R
#
# Writes test/data/survey_sample.csv (a stratified two-stage sample: 3
# strata of offices (PSUs), teams (SSUs) within offices, respondents within
# teams; missing values, a domain flag with NULLs, a categorical column with
# NULLs, unequal weights, population counts at both stages, and a fourth
# stratum with a single office for the lonely-PSU cases) and
# test/data/survey_means_expected.csv: svymean / svytotal with na.rm = TRUE,
# confint(df = degf) and degf of the design restricted to the rows that
# contribute (subset(), as svyby does), for every case below.
suppressMessages(library(survey))
set.seed(20161)

rows <- list()
ssu_id <- 0
npsu <- c(5, 4, 6)            # sampled offices per stratum
Npsu <- c(12, 9, 20)          # offices in the stratum's population
psu_id <- 0
for (h in 1:3) {
  for (i in 1:npsu[h]) {
    psu_id <- psu_id + 1
    m <- sample(2:4, 1)       # sampled teams in the office
    M <- m + sample(1:5, 1)   # teams in the office
    for (j in 1:m) {
      ssu_id <- ssu_id + 1
      k <- sample(2:6, 1)
      for (r in 1:k) {
        rows[[length(rows) + 1]] <- data.frame(
          stratum = h, psu = psu_id, ssu = ssu_id,
          fpc1 = Npsu[h], frac1 = npsu[h] / Npsu[h], fpc2 = M,
          w = round(runif(1, 5, 40), 3))
      }
    }
  }
}
d <- do.call(rbind, rows)
n <- nrow(d)
d$id <- seq_len(n)
d$y1 <- round(50 + 3 * d$stratum + rnorm(n, 0, 8) + rnorm(n, 0, 4)[d$psu], 2)
d$y2 <- round(rgamma(n, 2, 0.1), 3)
d$b <- runif(n) < 0.4 + 0.05 * d$stratum
d$cat <- sample(c("a", "b", "c"), n, replace = TRUE)
d$dom <- runif(n) < 0.6
d$y1[sample(n, 12)] <- NA
d$b[sample(n, 9)] <- NA
d$cat[sample(n, 6)] <- NA
d$dom[sample(n, 7)] <- NA
# the unclustered design's population: rows per stratum
d$fpcrows <- c(400, 350, 900)[d$stratum]
# the lonely-PSU stratum (only in the lonely cases)
d$stratum_l <- ifelse(d$psu == 1, 4, d$stratum)
# a second predictor for svyglm (drawn last: the columns above are as before)
d$x <- round(rnorm(n, 10, 3), 2)
d$x[sample(n, 5)] <- NA

out <- d[, c("id", "stratum", "psu", "ssu", "fpc1", "frac1", "fpc2",
             "fpcrows", "stratum_l", "w", "y1", "y2", "b", "cat", "dom", "x")]
write.csv(out, "test/data/survey_sample.csv", row.names = FALSE, na = "")

designs <- list(
  rows        = function(x) svydesign(id = ~1, strata = ~stratum, weights = ~w, data = x),
  rows_fpc    = function(x) svydesign(id = ~1, strata = ~stratum, weights = ~w, fpc = ~fpcrows, data = x),
  onestage    = function(x) svydesign(id = ~psu, strata = ~stratum, weights = ~w, data = x),
  fpc         = function(x) svydesign(id = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc1, data = x),
  frac        = function(x) svydesign(id = ~psu, strata = ~stratum, weights = ~w, fpc = ~frac1, data = x),
  twostage    = function(x) svydesign(id = ~psu + ssu, strata = ~stratum, weights = ~w, fpc = ~fpc1 + fpc2, data = x),
  unweighted  = function(x) svydesign(id = ~psu, strata = ~stratum, data = x),
  lonely      = function(x) svydesign(id = ~psu, strata = ~stratum_l, weights = ~w, data = x),
  lonely_fpc  = function(x) svydesign(id = ~psu + ssu, strata = ~stratum_l, weights = ~w, fpc = ~fpc1 + fpc2, data = x)
)
# case: design, lonely_psu, by, domain
cases <- list(
  list("rows", "fail", FALSE, FALSE),
  list("rows_fpc", "fail", FALSE, FALSE),
  list("rows_fpc", "fail", TRUE, TRUE),
  list("onestage", "fail", FALSE, FALSE),
  list("onestage", "fail", TRUE, FALSE),
  list("onestage", "fail", FALSE, TRUE),
  list("fpc", "fail", FALSE, FALSE),
  list("fpc", "fail", TRUE, TRUE),
  list("frac", "fail", FALSE, FALSE),
  list("twostage", "fail", FALSE, FALSE),
  list("twostage", "fail", TRUE, FALSE),
  list("twostage", "fail", FALSE, TRUE),
  list("twostage", "fail", TRUE, TRUE),
  list("unweighted", "fail", TRUE, FALSE),
  list("lonely", "remove", FALSE, FALSE),
  list("lonely", "certainty", FALSE, FALSE),
  list("lonely", "adjust", FALSE, FALSE),
  list("lonely", "average", FALSE, FALSE),
  list("lonely", "adjust", TRUE, TRUE),
  list("lonely_fpc", "adjust", FALSE, TRUE)
)

res <- list()
for (cs in cases) {
  dname <- cs[[1]]; lonely <- cs[[2]]; by <- cs[[3]]; dom <- cs[[4]]
  options(survey.lonely.psu = lonely)
  des <- designs[[dname]](d)
  groups <- if (by) sort(unique(d$cat[!is.na(d$cat)])) else NA
  for (g in groups) {
    for (v in c("y1", "y2", "b")) {
      keep <- !is.na(d[[v]])
      if (dom) keep <- keep & !is.na(d$dom) & d$dom
      if (by) keep <- keep & !is.na(d$cat) & d$cat == g
      sub <- subset(des, keep)
      f <- as.formula(paste0("~as.numeric(", v, ")"))
      mn <- svymean(f, sub)
      tt <- svytotal(f, sub)
      df <- degf(sub)
      ci <- confint(mn, df = df)
      case <- paste(dname, lonely, if (by) "by" else "all", if (dom) "domain" else "whole", sep = "/")
      res[[length(res) + 1]] <- data.frame(
        case_ = case, design = dname, lonely_psu = lonely, by = by, domain = dom,
        group_value = if (by) g else NA, variable = v, n = sum(keep),
        mean = sprintf("%.17g", coef(mn)), se = sprintf("%.17g", SE(mn)),
        ci_lower = sprintf("%.17g", ci[1]), ci_upper = sprintf("%.17g", ci[2]),
        total = sprintf("%.17g", coef(tt)), total_se = sprintf("%.17g", SE(tt)),
        df = df)
    }
  }
}
write.csv(do.call(rbind, res), "test/data/survey_means_expected.csv",
          row.names = FALSE, na = "", quote = TRUE)
cat(R.version.string, "survey", as.character(packageVersion("survey")), "\n")

# svyglm (gaussian): y1 ~ y2 (model 1) and y1 ~ y2 + x (model 2) on the
# same rows (survey_reg's blocks are listwise over every block: rows with a
# missing x are left out of model 1 too, by subset(); svyglm's na.omit drops
# those with a missing y1 or y2; their PSUs stay), per design and domain;
# coefficients, SEs, df (degf - p + 1)
glm_cases <- list(
  list("onestage", FALSE), list("fpc", FALSE), list("frac", FALSE),
  list("twostage", FALSE), list("onestage", TRUE), list("fpc", TRUE),
  list("twostage", TRUE), list("rows_fpc", TRUE),
  list("lonely_fpc", FALSE, "remove"), list("lonely_fpc", FALSE, "certainty"),
  list("lonely_fpc", FALSE, "adjust"), list("lonely_fpc", TRUE, "average")
)
gres <- list()
for (cs in glm_cases) {
  dname <- cs[[1]]; dom <- cs[[2]]
  lonely <- if (length(cs) > 2) cs[[3]] else "fail"
  options(survey.lonely.psu = lonely)
  des <- designs[[dname]](d)
  des <- subset(des, !is.na(x))
  if (dom) des <- subset(des, !is.na(dom) & dom)
  case <- paste(dname, if (dom) "domain" else "whole", sep = "/")
  if (lonely != "fail") case <- paste(case, lonely, sep = "/")
  fs <- list(y1 ~ y2, y1 ~ y2 + x)
  for (k in 1:2) {
    fit <- svyglm(fs[[k]], design = des)
    co <- coef(fit); se <- SE(fit)
    dfk <- fit$df.residual
    ci <- confint(fit, df = dfk)
    terms <- c("(Intercept)", names(co)[-1])
    gres[[length(gres) + 1]] <- data.frame(
      case_ = case, design = dname, domain = dom, lonely_psu = lonely, model = k,
      term = terms, b = sprintf("%.17g", co), se = sprintf("%.17g", se),
      df = dfk, ci_lower = sprintf("%.17g", ci[, 1]),
      ci_upper = sprintf("%.17g", ci[, 2]), n = nobs(fit))
  }
}
write.csv(do.call(rbind, gres), "test/data/survey_glm_expected.csv",
          row.names = FALSE, na = "", quote = TRUE)
