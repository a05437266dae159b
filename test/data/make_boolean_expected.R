# make_boolean_expected.R -- R's descriptives, correlations and Cronbach's
# alpha of robust_data.csv's two 0/1 variables (kjonn, tilsett) with two
# numeric ones, the expectations of test/boolean_columns.sql, which reads
# kjonn and tilsett as boolean columns (issue 14: a boolean counts as 0/1).
# The regressions of that test use robust_expected_*.csv
# (make_robust_expected.R) as they stand.
#
# Run from the repository root:
#   Rscript test/data/make_boolean_expected.R
# Writes test/data/boolean_expected.csv (17 significant digits, empty = NA):
#   what, weighted, var1, var2, value
#   what: n, mean, sd, min, max, skewness, kurtosis (var2 empty),
#         r, p (every ordered pair), alpha (var1 = "scale")
# Listwise on the four variables; weighted = 1: frequency weights fw, each
# row replicated fw times (rep()).  Skewness and kurtosis are SPSS's G1 and
# G2 (as make_describe_expected.R); alpha is k/(k-1) (1 - sum var / var of
# the sum) over kjonn, tilsett, styring, on the rows complete on those three.
vars <- c("kjonn", "tilsett", "styring", "individualisering")
d <- read.csv("test/data/robust_data.csv")
stopifnot(all(d$kjonn %in% c(0, 1, NA)), all(d$tilsett %in% c(0, 1, NA)))
f17 <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
rows <- list()
add <- function(what, weighted, v1, v2, value)
  rows[[length(rows) + 1]] <<- data.frame(what = what, weighted = weighted,
    var1 = v1, var2 = v2, value = f17(value))
for (weighted in 0:1) {
  dd <- if (weighted == 1) d[rep(seq_len(nrow(d)), d$fw), ] else d
  X <- as.matrix(dd[, vars])
  X <- X[complete.cases(X), ]
  n <- nrow(X)
  for (v in vars) {
    x <- X[, v]
    m <- mean(x); dev <- x - m
    m2 <- sum(dev^2) / n; m3 <- sum(dev^3) / n; m4 <- sum(dev^4) / n
    g1 <- m3 / m2^1.5; g2 <- m4 / m2^2 - 3
    add("n", weighted, v, "", n)
    add("mean", weighted, v, "", m)
    add("sd", weighted, v, "", sd(x))
    add("min", weighted, v, "", min(x))
    add("max", weighted, v, "", max(x))
    add("skewness", weighted, v, "", g1 * sqrt(n * (n - 1)) / (n - 2))
    add("kurtosis", weighted, v, "", ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3)))
  }
  for (a in vars) for (b in vars) if (a != b) {
    ct <- cor.test(X[, a], X[, b])
    add("r", weighted, a, b, unname(ct$estimate))
    add("p", weighted, a, b, ct$p.value)
  }
  # the scale's own complete rows (reliability is listwise on its items)
  items <- as.matrix(dd[, c("kjonn", "tilsett", "styring")])
  items <- items[complete.cases(items), ]
  k <- ncol(items)
  add("alpha", weighted, "scale", "",
      k / (k - 1) * (1 - sum(apply(items, 2, var)) / var(rowSums(items))))
}
out <- do.call(rbind, rows)
write.csv(out, "test/data/boolean_expected.csv", row.names = FALSE, quote = FALSE)
cat(nrow(out), "rows written\n")
