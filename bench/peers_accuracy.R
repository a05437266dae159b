# R's lm on the NIST StRD linear regression datasets: LRE of the
# coefficients and SEs (minimum over the terms; absolute error where the
# certified value is 0, capped at 15), as test/regression_nist.sql scores
# survey_reg.  Run by bench/peers_accuracy.sh from the repository root;
# prints "dataset coef se dropped" (dropped: terms lm reports as NA).
lre <- function(est, cert) {
  if (is.na(est)) return(0)
  if (est == cert) return(15)
  err <- abs(est - cert) / (if (cert == 0) 1 else abs(cert))
  min(15, max(0, -log10(err)))
}
cert <- read.csv("test/data/nist/certified.csv")
designs <- list(norris = 1, pontius = 2, noint1 = -1, noint2 = -1, filip = 10,
                longley = 0, wampler1 = 5, wampler2 = 5, wampler3 = 5,
                wampler4 = 5, wampler5 = 5)
cat(sprintf("R %s, BLAS %s\n", getRversion(), extSoftVersion()[["BLAS"]]))
for (name in names(designs)) {
  d <- read.csv(sprintf("test/data/nist/%s.csv", name))
  degree <- designs[[name]]
  if (degree == 0) {
    fit <- lm(y ~ x1 + x2 + x3 + x4 + x5 + x6, data = d)
  } else if (degree < 0) {
    fit <- lm(y ~ 0 + x, data = d)            # NoInt1, NoInt2
  } else {
    f <- paste("y ~", paste(sprintf("I(x^%d)", seq_len(degree)), collapse = " + "))
    fit <- lm(as.formula(f), data = d)
  }
  b <- coef(fit)
  se <- rep(NA_real_, length(b))
  se[!is.na(b)] <- coef(summary(fit))[, "Std. Error"]
  index <- if (degree < 0) 1 else seq_along(b) - 1   # NIST: 0 intercept, k for x^k
  score <- function(q, est) min(mapply(function(i, e)
    lre(e, cert$value[cert$dataset == name & cert$quantity == q & cert$index == i]),
    index, est))
  cat(sprintf("%-9s %5.1f %5.1f %d\n", name, score("coef", b), score("se", se), sum(is.na(b))))
}
