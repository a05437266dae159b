# make_reliability_expected.R -- expectations for the reliability tests,
# computed by R and the psych package (never by survey_reg).
#
# Run from the repository root (R 4.2, psych 2.2.9, GPArotation):
#   Rscript test/data/make_reliability_expected.R
# Reads  test/data/reliability_items.csv
# Writes test/data/reliability_expected_psych.csv with columns
#   scale, item, statistic, value       (value printed with %.17g)
# item is empty for scale-level statistics.  psych::alpha is given the
# complete cases of each scale (listwise), which is what survey_reg does.
#
# Scale-level statistics and their source:
#   k, n               ncol / nrow of the complete cases
#   alpha              psych::alpha()$total$raw_alpha
#   std_alpha          psych::alpha()$total$std.alpha
#   mean_r             psych::alpha()$total$average_r
#   min_r, max_r       range of the off-diagonal of cor() (base R)
#   alpha_ci_lower/upper  psych::alpha()$feldt (Feldt, qf with N-1, (N-1)(k-1))
#   lambda6            psych::alpha()$total$"G6(smc)"
#   omega_total        psych::omega(x, nfactors = 1)$omega.tot (minres)
# Item-level statistics:
#   mean, sd           psych::alpha()$item.stats$mean / $sd
#   scale_mean_if_deleted, scale_var_if_deleted   mean() / var() of
#                      rowSums(x[, -i]) (base R)
#   corrected_item_total_r   psych::alpha()$item.stats$r.drop
#   squared_multiple_r psych::smc(cor(x))
#   alpha_if_deleted   psych::alpha()$alpha.drop$raw_alpha (k > 2 only; for
#                      two items psych reports a regression slope there)
#
# Scale s3 is b1 b2 b3 as they are (negative alpha: b1, b2 are
# reverse-worded); s3r uses b1r = 3 - b1 and b2r = 3 - b2 (the tests build
# them with survey_reg.reverse(b1, 0, 3)).
# Scales ending in _w are weighted: the rows are replicated fw times, the
# expectation for the frequency-weighted state.
suppressMessages(library(psych))
d <- read.csv("test/data/reliability_items.csv")
# the two reverse-worded items of the 3-item scale, reversed on 0-3
d$b1r <- 0 + 3 - d$b1
d$b2r <- 0 + 3 - d$b2
scales <- list(
  s2 = c("t1", "t2"),
  s3 = c("b1", "b2", "b3"),
  s3r = c("b1r", "b2r", "b3"),
  s8 = paste0("e", 1:8),
  s10 = paste0("c", 1:10),
  neg = c("n1", "n2", "n3"),
  s3_w = c("b1r", "b2r", "b3"),
  s8_w = paste0("e", 1:8)
)
out <- data.frame(scale = character(), item = character(),
                  statistic = character(), value = character())
add <- function(scale, item, stat, value) {
  out[nrow(out) + 1, ] <<- list(scale, item, stat, sprintf("%.17g", value))
}
for (nm in names(scales)) {
  items <- scales[[nm]]
  x <- na.omit(d[, c(items, "fw")])
  if (grepl("_w$", nm))
    x <- x[rep(seq_len(nrow(x)), x$fw), ]
  x <- as.data.frame(x[, items])
  rownames(x) <- NULL
  k <- ncol(x)
  a <- suppressWarnings(psych::alpha(x, warnings = FALSE))
  R <- cor(x)
  off <- R[lower.tri(R)]
  add(nm, "", "k", k)
  add(nm, "", "n", nrow(x))
  add(nm, "", "alpha", a$total$raw_alpha)
  add(nm, "", "std_alpha", a$total$std.alpha)
  add(nm, "", "mean_r", a$total$average_r)
  add(nm, "", "min_r", min(off))
  add(nm, "", "max_r", max(off))
  add(nm, "", "alpha_ci_lower", a$feldt$lower.ci[[1]])
  add(nm, "", "alpha_ci_upper", a$feldt$upper.ci[[1]])
  add(nm, "", "lambda6", a$total[["G6(smc)"]])
  om <- suppressWarnings(suppressMessages(
    psych::omega(x, nfactors = 1, plot = FALSE)))
  add(nm, "", "omega_total", om$omega.tot)
  smc <- psych::smc(R)
  for (i in seq_len(k)) {
    it <- items[i]
    rest <- rowSums(x[, -i, drop = FALSE])
    add(nm, it, "mean", a$item.stats$mean[i])
    add(nm, it, "sd", a$item.stats$sd[i])
    add(nm, it, "scale_mean_if_deleted", mean(rest))
    add(nm, it, "scale_var_if_deleted", var(rest))
    add(nm, it, "corrected_item_total_r", a$item.stats$r.drop[i])
    add(nm, it, "squared_multiple_r", smc[[i]])
    if (k > 2)
      add(nm, it, "alpha_if_deleted", a$alpha.drop$raw_alpha[i])
  }
}
write.csv(out, "test/data/reliability_expected_psych.csv", row.names = FALSE,
          quote = FALSE)
