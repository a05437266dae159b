# make_logistic_expected.R -- data and expected values of
# test/logistic_vs_r.sql: hierarchical logistic regression against R's
# glm(family = binomial) (glm.control(epsilon = 1e-15, maxit = 100)),
# sandwich::vcovHC (HC0, HC1, HC3), sandwich::vcovCL (its default for glm:
# HC0 with G/(G-1)) and survey::svyglm(family = quasibinomial()).  Run from
# the repository root:
#   Rscript test/data/make_logistic_expected.R
# writes test/data/logistic_data.csv (the data, fixed seed; empty = NA),
# logistic_expected_coefficients.csv and logistic_expected_summary.csv
# (numbers with sprintf("%.17g"), empty = NA).
#
# Data: 500 rows; y 0/1; x, z numeric; g text factor A, B, C; b boolean;
# cl cluster ids (40 clusters), st strata (4, clusters nested), pw sampling
# weights, fw integer frequency weights.  y, x, g and b are each missing
# with probability 0.04.  Blocks: block 1 "x, factor(g)", block 2 "b, z";
# every model uses the rows complete on every variable of both blocks.
#
# coefficients (one row per case, model, term): b, se, z, p from
# summary(glm) (design: summary(svyglm), p on t with its df.residual);
# odds_ratio = exp(b); or_ci_lower/upper = exp(b -/+ q se), q = qnorm(0.975)
# (design: qt(0.975, df.residual)).  Cases: classical, hc0, hc1, hc3
# (vcovHC), cluster (vcovCL(fit, cluster = ~cl)), design (svydesign(ids =
# ~cl, strata = ~st, weights = ~pw, nest = TRUE)), design_rows (ids = ~1,
# weights = ~pw: every row a PSU), freq (glm with weights = fw, classical).
# summary (case classical, freq and design): n, predictors, deviance,
# null_deviance, chi_square = null.deviance - deviance, df, p =
# pchisq(upper), chi_square_change and df_change against the previous
# model (model 1: the intercept-only model), p_change, Cox-Snell R2 =
# 1 - exp((dev - null)/n), Nagelkerke R2 = CS / (1 - exp(-null/n)), aic =
# deviance + 2 rank (glm's AIC for 0/1 data and integer weights).
suppressPackageStartupMessages({
	library(sandwich)
	library(survey)
})

set.seed(20261217)
n <- 500
ncl <- 40
cl <- sample(ncl, n, replace = TRUE)
st <- (cl - 1) %% 4 + 1
x <- round(rnorm(n, 0, 1.5), 3)
z <- round(rnorm(n, 2, 1) + 0.1 * cl / ncl, 3)
g <- sample(c("A", "B", "C"), n, replace = TRUE, prob = c(0.4, 0.35, 0.25))
b <- runif(n) < 0.45
ueff <- rnorm(ncl, 0, 0.5)[cl]
eta <- -0.4 + 0.8 * x + c(A = 0, B = 0.7, C = -0.5)[g] + 0.6 * b - 0.3 * z + ueff
y <- as.integer(runif(n) < plogis(eta))
pw <- round(runif(n, 1, 5) * (1 + (st == 2)), 3)
fw <- sample(1:3, n, replace = TRUE)
miss <- function(v) { v[runif(length(v)) < 0.04] <- NA; v }
d <- data.frame(id = 1:n, y = miss(y), x = miss(x), z = z, g = miss(g),
				b = miss(b), cl = cl, st = st, pw = pw, fw = fw,
				stringsAsFactors = FALSE)
out <- d
out$b <- ifelse(is.na(d$b), NA, ifelse(d$b, "true", "false"))
write.csv(out, "test/data/logistic_data.csv", row.names = FALSE, na = "",
		  quote = FALSE)

fmt <- function(v) ifelse(is.na(v), "", sprintf("%.17g", v))
ctl <- glm.control(epsilon = 1e-15, maxit = 100)
cc <- d[complete.cases(d[, c("y", "x", "g", "b", "z")]), ]
cc$g <- factor(cc$g, levels = c("A", "B", "C"))
forms <- list(y ~ x + g, y ~ x + g + b + z)
# API.md section 7 names: g[B], bTRUE -> b
rename <- function(t) {
	t <- sub("^g([A-Z])$", "g[\\1]", t)
	t <- sub("^bTRUE$", "b", t)
	t
}

coef_rows <- list()
add_coef <- function(case, model, b, se, p, q) {
	coef_rows[[length(coef_rows) + 1]] <<- data.frame(
		case_ = case, model = model, term = rename(names(b)),
		b = fmt(b), se = fmt(se), z = fmt(b / se), p = fmt(p),
		odds_ratio = fmt(exp(b)), or_ci_lower = fmt(exp(b - q * se)),
		or_ci_upper = fmt(exp(b + q * se)), stringsAsFactors = FALSE)
}
summ_rows <- list()
add_summ <- function(case, fits, n) {
	prev_dev <- fits[[1]]$null.deviance
	prev_rank <- 1
	for (j in seq_along(fits)) {
		f <- fits[[j]]
		dev <- f$deviance
		null <- f$null.deviance
		rank <- f$rank
		cs <- 1 - exp((dev - null) / n)
		summ_rows[[length(summ_rows) + 1]] <<- data.frame(
			case_ = case, model = j, n = fmt(n), predictors = rank - 1,
			deviance = fmt(dev), null_deviance = fmt(null),
			chi_square = fmt(null - dev), df = rank - 1,
			p = fmt(pchisq(null - dev, rank - 1, lower.tail = FALSE)),
			chi_square_change = fmt(prev_dev - dev),
			df_change = rank - prev_rank,
			p_change = fmt(pchisq(prev_dev - dev, rank - prev_rank,
								  lower.tail = FALSE)),
			cox_snell_r2 = fmt(cs),
			nagelkerke_r2 = fmt(cs / (1 - exp(-null / n))),
			aic = fmt(dev + 2 * rank), stringsAsFactors = FALSE)
		prev_dev <- dev
		prev_rank <- rank
	}
}

qn <- qnorm(0.975)
# Each fit is refitted from its own converged estimates: glm's covariance
# (and sandwich's bread and hat values) use the working weights of its
# last iteration's start, so this puts them at the maximum itself rather
# than ~1e-8 away from it (which moves p-values of |z| ~ 9 by ~1e-8).
fits <- lapply(forms, function(f) {
	st0 <- coef(glm(f, family = binomial, data = cc, control = ctl))
	eval(bquote(glm(.(f), family = binomial, data = cc, control = ctl,
					start = .(st0))))
})
for (j in seq_along(fits)) {
	f <- fits[[j]]
	stopifnot(f$converged)
	s <- coef(summary(f))
	add_coef("classical", j, s[, 1], s[, 2], s[, 4], qn)
	for (type in c("HC0", "HC1", "HC3")) {
		se <- sqrt(diag(vcovHC(f, type = type)))
		add_coef(tolower(type), j, coef(f), se,
				 2 * pnorm(-abs(coef(f) / se)), qn)
	}
	se <- sqrt(diag(vcovCL(f, cluster = ~cl)))
	add_coef("cluster", j, coef(f), se, 2 * pnorm(-abs(coef(f) / se)), qn)
}
add_summ("classical", fits, nrow(cc))

ffits <- lapply(forms, function(f) {
	st0 <- coef(glm(f, family = binomial, data = cc, weights = fw, control = ctl))
	glm(f, family = binomial, data = cc, weights = fw, control = ctl, start = st0)
})
for (j in seq_along(ffits)) {
	s <- coef(summary(ffits[[j]]))
	add_coef("freq", j, s[, 1], s[, 2], s[, 4], qn)
}
add_summ("freq", ffits, sum(cc$fw))

# design: the whole sample's design, subset() to the rows complete on
# every variable of both blocks (their PSUs stay in the design, as
# survey_reg keeps them)
dd <- d
dd$g <- factor(dd$g, levels = c("A", "B", "C"))
dd$used <- complete.cases(d[, c("y", "x", "g", "b", "z")])
for (case in c("design", "design_rows")) {
	des <- if (case == "design")
		svydesign(ids = ~cl, strata = ~st, weights = ~pw, nest = TRUE, data = dd)
	else
		svydesign(ids = ~1, weights = ~pw, data = dd)
	des <- subset(des, used)
	sfits <- lapply(forms, function(f)
{
		st0 <- coef(svyglm(f, design = des, family = quasibinomial(), control = ctl))
		eval(bquote(svyglm(.(f), design = des, family = quasibinomial(),
						   control = ctl, start = .(st0))))
	})
	for (j in seq_along(sfits)) {
		f <- sfits[[j]]
		s <- coef(summary(f))
		add_coef(case, j, s[, 1], s[, 2], s[, 4],
				 qt(0.975, f$df.residual))
	}
}
# the deviances with sampling weights scaled to mean 1 over the rows used
# (svyglm scales them over the whole design, dropped rows included)
cc$pw1 <- cc$pw / mean(cc$pw)
pfits <- lapply(forms, function(f) suppressWarnings(
	glm(f, family = binomial, data = cc, weights = pw1, control = ctl,
		start = coef(glm(f, family = binomial, data = cc, weights = pw1,
						 control = ctl)))))
add_summ("design", pfits, nrow(cc))

write.csv(do.call(rbind, coef_rows), "test/data/logistic_expected_coefficients.csv",
		  row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, summ_rows), "test/data/logistic_expected_summary.csv",
		  row.names = FALSE, quote = FALSE)
