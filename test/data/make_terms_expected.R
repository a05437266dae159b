# make_terms_expected.R -- data and expected values of test/terms_vs_r.sql:
# model terms (factor(), factor(col, 'ref'), a:b, a*b, booleans as 0/1) in
# the table-name regression forms, against R's lm with factor(), relevel()
# and interactions, and sandwich::vcovHC(type = "HC1").  Run from the
# repository root:
#   Rscript test/data/make_terms_expected.R
# writes test/data/terms_data.csv (the data, fixed seed; empty = NA) and
# terms_expected_coefficients.csv, terms_expected_summary.csv (numbers with
# sprintf("%.17g"), empty = NA).
#
# Data: 400 rows; y, x, z numeric; g text with levels A, B, C and a sparse
# level "a" (6 rows; "C"-collation order A < B < C < a, which R's own sort
# in most locales would not give: the levels are ordered with
# method = "radix", byte order); k integer-coded 1, 2, 10 (numeric order,
# not text order); b boolean.  Each of y, x, z, g, k, b is missing with
# probability 0.04, independently.  Every model uses the rows complete on
# every variable of every block of its case (listwise, as survey_reg).
#
# Cases (the blocks are in terms_expected_cases below and in the test):
#   main     block 1  x, factor(g)
#            block 2  factor(k), b
#            block 3  x:b, x:factor(g)
#   relevel  the same with factor(g, 'B') and factor(k, '10') (relevel())
#   ff       block 1  factor(g), factor(k)
#            block 2  x*z, factor(g):factor(k)   (numeric x numeric,
#            factor x factor; an empty cell is aliased: NA in R)
#
# coefficients: b, se, t, p from summary(lm); beta = b sd(column of the
# model matrix) / sd(y); hc1_se = sqrt(diag(vcovHC(fit, "HC1"))).
# summary: n, r2, adj_r2, se_estimate (sigma), f, df1, df2, p from
# summary(lm); r2_change, f_change, df1_change, df2_change, p_change from
# anova(previous, model) (model 1: against the intercept-only model).
suppressPackageStartupMessages(library(sandwich))

set.seed(20261205)
n <- 400
g <- sample(c("A", "B", "C"), n, replace = TRUE, prob = c(0.4, 0.35, 0.25))
g[sample(n, 6)] <- "a"
k <- sample(c(1L, 2L, 10L), n, replace = TRUE)
b <- runif(n) < 0.45
x <- round(rnorm(n, 50, 10), 2)
z <- round(rnorm(n, 0, 1), 3)
geff <- c(A = 0, B = 1.5, C = -2, a = 3)[g]
keff <- c(`1` = 0, `2` = 0.8, `10` = 2.2)[as.character(k)]
y <- round(10 + 0.3 * x + geff + keff + 1.2 * b + 0.05 * x * b
		   + 0.04 * x * (g == "B") + 0.5 * z + 0.2 * x * z / 10
		   + rnorm(n, 0, 3), 3)
miss <- function(v) { v[runif(length(v)) < 0.04] <- NA; v }
d <- data.frame(id = 1:n, y = miss(y), x = miss(x), z = miss(z),
				g = miss(g), k = miss(k), b = miss(b),
				stringsAsFactors = FALSE)
out <- d
out$b <- ifelse(is.na(d$b), NA, ifelse(d$b, "true", "false"))
write.csv(out, "test/data/terms_data.csv", row.names = FALSE, na = "",
		  quote = FALSE)

fmt <- function(v) ifelse(is.na(v), "", sprintf("%.17g", v))
lv_c <- function(v) sort(unique(v[!is.na(v)]), method = "radix")

cases <- list(
	main = list(vars = c("y", "x", "g", "k", "b"), ref_g = NULL, ref_k = NULL,
				forms = c("y ~ x + g", "y ~ x + g + k + b",
						  "y ~ x + g + k + b + x:b + x:g")),
	relevel = list(vars = c("y", "x", "g", "k", "b"), ref_g = "B", ref_k = "10",
				   forms = c("y ~ x + g", "y ~ x + g + k + b",
							 "y ~ x + g + k + b + x:b + x:g")),
	ff = list(vars = c("y", "x", "z", "g", "k"), ref_g = NULL, ref_k = NULL,
			  forms = c("y ~ g + k", "y ~ g + k + x + z + x:z + g:k")))

# survey_reg's names: g[B], k[10], b (0/1), x:g[B], g[B]:k[2]
our_name <- function(s) {
	s <- gsub("\\bg(A|B|C|a)\\b", "g[\\1]", s, perl = TRUE)
	s <- gsub("\\bk(1|2|10)\\b", "k[\\1]", s, perl = TRUE)
	s <- gsub("\\bbTRUE\\b", "b", s, perl = TRUE)
	s
}

coef_rows <- list()
summ_rows <- list()
for (cn in names(cases)) {
	cs <- cases[[cn]]
	dd <- d[complete.cases(d[, cs$vars]), ]
	dd$g <- factor(dd$g, levels = lv_c(dd$g))
	dd$k <- factor(dd$k, levels = sort(unique(dd$k)))
	if (!is.null(cs$ref_g)) dd$g <- relevel(dd$g, ref = cs$ref_g)
	if (!is.null(cs$ref_k)) dd$k <- relevel(dd$k, ref = cs$ref_k)
	prev <- lm(y ~ 1, data = dd)
	for (j in seq_along(cs$forms)) {
		fit <- lm(as.formula(cs$forms[j]), data = dd)
		s <- summary(fit)
		mm <- model.matrix(fit)
		cf <- coef(fit)
		ct <- matrix(NA, length(cf), 4, dimnames = list(names(cf), NULL))
		ct[rownames(s$coefficients), ] <- s$coefficients
		hc <- rep(NA, length(cf))
		names(hc) <- names(cf)
		v <- vcovHC(fit, type = "HC1")
		hc[rownames(v)] <- sqrt(diag(v))
		beta <- cf * apply(mm, 2, sd) / sd(dd$y)
		beta["(Intercept)"] <- NA
		coef_rows[[length(coef_rows) + 1]] <- data.frame(
			case_ = cn, model = j, term = our_name(names(cf)),
			b = fmt(cf), se = fmt(ct[, 2]), beta = fmt(beta), t = fmt(ct[, 3]),
			p = fmt(ct[, 4]), hc1_se = fmt(hc))
		a <- anova(prev, fit)
		fs <- s$fstatistic
		summ_rows[[length(summ_rows) + 1]] <- data.frame(
			case_ = cn, model = j, n = nrow(dd), r2 = fmt(s$r.squared),
			adj_r2 = fmt(s$adj.r.squared), se_estimate = fmt(s$sigma),
			f = fmt(fs[["value"]]), df1 = fs[["numdf"]], df2 = fs[["dendf"]],
			p = fmt(pf(fs[["value"]], fs[["numdf"]], fs[["dendf"]], lower.tail = FALSE)),
			r2_change = fmt(s$r.squared - (if (j == 1) 0 else summary(prev)$r.squared)),
			f_change = fmt(a$F[2]), df1_change = a$Df[2], df2_change = a$Res.Df[2],
			p_change = fmt(a[["Pr(>F)"]][2]))
		prev <- fit
	}
}
write.csv(do.call(rbind, coef_rows), "test/data/terms_expected_coefficients.csv",
		  row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, summ_rows), "test/data/terms_expected_summary.csv",
		  row.names = FALSE, quote = FALSE)
