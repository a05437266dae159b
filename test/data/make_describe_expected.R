# make_describe_expected.R -- R's descriptives and correlations of
# describe_data.csv, the expectations of test/describe_vs_r.sql.
#
# Run from the repository root:
#   Rscript test/data/make_describe_expected.R
# Writes (17 significant digits, empty = NA):
#   describe_expected.csv      missing, weighted, variable, n, mean, sd, min,
#                              max, skewness, kurtosis
#   correlations_expected.csv  missing, weighted, var1, var2, r, p, n
#                              (every ordered pair, the diagonal included)
#   describe_data_doubles.csv  the doubles R read for every field, so the
#                              test can check PostgreSQL read the same ones
#
# missing  = "listwise": rows complete on all five variables;
#            "pairwise": each variable (describe) or pair (correlations) on
#            its own complete rows.
# weighted = 1: frequency weights, done the plain way -- each row replicated
#            w times with rep() -- so N is the sum of the weights.
# Skewness and kurtosis are SPSS DESCRIPTIVES' bias-corrected G1 and G2,
# written out below from the population moments g1, g2.
vars <- c("age", "income", "children", "hours", "bmi")
d <- read.csv("test/data/describe_data.csv")
stopifnot(nrow(d) == 300, all(d$w %in% 1:4))

f17 <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

describe1 <- function(x) {
  n <- length(x)
  m <- mean(x)
  dev <- x - m
  m2 <- sum(dev^2) / n
  m3 <- sum(dev^3) / n
  m4 <- sum(dev^4) / n
  g1 <- m3 / m2^1.5
  g2 <- m4 / m2^2 - 3
  G1 <- g1 * sqrt(n * (n - 1)) / (n - 2)
  G2 <- ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))
  c(n = n, mean = m, sd = sd(x), min = min(x), max = max(x),
    skewness = G1, kurtosis = G2)
}

# two-sided p of Pearson r on n - 2 df; cor.test, checked against the formula
cor_p <- function(x, y) {
  ct <- cor.test(x, y)
  n <- length(x)
  r <- unname(ct$estimate)
  t <- r * sqrt((n - 2) / (1 - r^2))
  p <- 2 * pt(-abs(t), n - 2)
  stopifnot(abs(ct$p.value - p) <= 1e-13 * p)
  c(r = r, p = ct$p.value)
}

desc_rows <- list()
cor_rows <- list()
for (weighted in 0:1) {
  dd <- if (weighted == 1) d[rep(seq_len(nrow(d)), d$w), ] else d
  X <- as.matrix(dd[, vars])

  # listwise
  L <- X[complete.cases(X), ]
  R <- cor(L)
  for (v in vars)
    desc_rows[[length(desc_rows) + 1]] <-
      data.frame(missing = "listwise", weighted = weighted, variable = v,
                 t(describe1(L[, v])))
  for (a in vars) for (b in vars) {
    if (a == b) {
      r <- 1; p <- NA
    } else {
      cp <- cor_p(L[, a], L[, b])
      stopifnot(abs(cp[["r"]] - R[a, b]) <= 1e-14)
      r <- R[a, b]; p <- cp[["p"]]
    }
    cor_rows[[length(cor_rows) + 1]] <-
      data.frame(missing = "listwise", weighted = weighted, var1 = a,
                 var2 = b, r = r, p = p, n = nrow(L))
  }

  # pairwise
  RP <- cor(X, use = "pairwise.complete.obs")
  for (v in vars)
    desc_rows[[length(desc_rows) + 1]] <-
      data.frame(missing = "pairwise", weighted = weighted, variable = v,
                 t(describe1(X[!is.na(X[, v]), v])))
  for (a in vars) for (b in vars) {
    ok <- !is.na(X[, a]) & !is.na(X[, b])
    if (a == b) {
      r <- 1; p <- NA
    } else {
      cp <- cor_p(X[ok, a], X[ok, b])
      stopifnot(abs(cp[["r"]] - RP[a, b]) <= 1e-14)
      r <- RP[a, b]; p <- cp[["p"]]
    }
    cor_rows[[length(cor_rows) + 1]] <-
      data.frame(missing = "pairwise", weighted = weighted, var1 = a,
                 var2 = b, r = r, p = p, n = sum(ok))
  }
}

desc <- do.call(rbind, desc_rows)
for (s in c("n", "mean", "sd", "min", "max", "skewness", "kurtosis"))
  desc[[s]] <- f17(desc[[s]])
write.csv(desc, "test/data/describe_expected.csv", row.names = FALSE,
          quote = FALSE)

cors <- do.call(rbind, cor_rows)
for (s in c("r", "p", "n"))
  cors[[s]] <- f17(cors[[s]])
write.csv(cors, "test/data/correlations_expected.csv", row.names = FALSE,
          quote = FALSE)

dbl <- data.frame(id = d$id)
for (v in c(vars, "w"))
  dbl[[v]] <- f17(d[[v]])
write.csv(dbl, "test/data/describe_data_doubles.csv", row.names = FALSE,
          quote = FALSE)
