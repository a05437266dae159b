# make_reliability_data.R -- writes reliability_items.csv, the synthetic test
# data for the reliability / item_total / cronbach_alpha tests.
#
# Deterministic (fixed seed, R's default Mersenne-Twister and Inversion);
# run from the repository root:
#   Rscript test/data/make_reliability_data.R
# The CSV is committed; this script documents how it was made.
#
# Scales (listwise missing values differ between scales):
#   t1 t2        2 items, 0-4 Likert (like the study's target-management index)
#   b1 b2 b3     3 items, 0-3 Likert, b1 and b2 reverse-worded (like the
#                workload index; tests use them as they are)
#   e1 .. e8     8 items, 1-5 Likert
#   c1 .. c10    10 continuous items, 3 decimals, different means and SDs
#   n1 n2 n3     3 items with a negative average covariance (alpha < 0)
#   fw           integer frequency weight 1-4
set.seed(20180605)
n <- 320
likert <- function(z, lo, hi) {
  cuts <- qnorm(seq(0, 1, length.out = hi - lo + 2))
  as.integer(cut(z, cuts, labels = FALSE, include.lowest = TRUE)) - 1L + lo
}
g <- rnorm(n)
t1 <- likert(0.55 * g + rnorm(n, sd = 0.9), 0, 4)
t2 <- likert(0.50 * g + rnorm(n, sd = 0.9) + 0.3, 0, 4)
h <- rnorm(n)
b1 <- likert(-0.8 * h + rnorm(n, sd = 0.7), 0, 3)
b2 <- likert(-0.7 * h + rnorm(n, sd = 0.8), 0, 3)
b3 <- likert(0.75 * h + rnorm(n, sd = 0.8), 0, 3)
f <- rnorm(n)
load8 <- c(0.8, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.3)
e <- sapply(load8, function(l) likert(l * f + rnorm(n, sd = sqrt(1 - l^2)), 1, 5))
colnames(e) <- paste0("e", 1:8)
u <- rnorm(n)
load10 <- c(0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.5, 0.45, 0.35, 0.25)
mu10 <- c(50, 3, 120.5, -7, 0.25, 1000, 12, 4.5, 60, 8)
sd10 <- c(10, 0.5, 25, 2, 0.1, 40, 3, 1.5, 15, 2.5)
c10 <- sapply(1:10, function(j)
  round(mu10[j] + sd10[j] * (load10[j] * u + rnorm(n, sd = sqrt(1 - load10[j]^2))), 3))
colnames(c10) <- paste0("c", 1:10)
v <- rnorm(n)
n1 <- likert(0.7 * v + rnorm(n, sd = 0.7), 1, 5)
n2 <- likert(-0.7 * v + rnorm(n, sd = 0.7), 1, 5)
n3 <- likert(rnorm(n), 1, 5)
fw <- sample(1:4, n, replace = TRUE)
d <- data.frame(id = 1:n, t1, t2, b1, b2, b3, e, c10, n1, n2, n3, fw)
# about 4% missing per item, at random
for (col in setdiff(names(d), c("id", "fw"))) {
  d[[col]][runif(n) < 0.04] <- NA
}
write.csv(d, "test/data/reliability_items.csv", row.names = FALSE, na = "",
          quote = FALSE)
