# make_regression_data.R -- writes regression_data.csv, the survey-like data
# for test/regression_vs_r.sql (hierarchical OLS against R's lm).
#
# Deterministic (fixed seed, R's default Mersenne-Twister and Inversion);
# run from the repository root:
#   Rscript test/data/make_regression_data.R
# The CSV is committed; this script documents how it was made.
#
# 400 respondents, modelled loosely on the Nav study's design:
#   individualisering  outcome, mean of two 0-4 items (steps of 0.5)
#   styring            mean of two 0-4 items (steps of 0.5)
#   belastning         mean of four 0-3 items (steps of 0.25)
#   ratio              0-6 (clients per caseworker, banded)
#   kontor             office size 0-3
#   tilsett            dummy 0/1 (state employee)
#   effektiv           0-4 item
#   kunnskap           0-4 item
#   kjonn              dummy 0/1
#   alder              integer years 22-67
#   w                  integer frequency weight 1-3 (never missing)
# Predictors are correlated (a common factor and a few direct links); the
# outcome is linear in them plus noise, then rounded to its 0.5 steps.
# Every analysis variable is missing with probability 0.03, independently.
# All values are integers or multiples of 1/4: every reader turns each field
# into the same double, exactly.
set.seed(20240613)
n <- 400
clip <- function(x, lo, hi) pmin(hi, pmax(lo, x))
item <- function(z, k) clip(round(z), 0, k)

f <- rnorm(n)                                   # common factor
office <- sample(0:3, n, replace = TRUE, prob = c(0.45, 0.25, 0.2, 0.1))
tilsett <- as.integer(runif(n) < plogis(0.2 + 0.3 * f))
kjonn <- as.integer(runif(n) < 0.22)
alder <- as.integer(clip(round(47 + 10 * rnorm(n) + 2 * tilsett), 22, 67))
styring <- (item(2 + 0.5 * f + rnorm(n), 4) + item(1.8 + 0.4 * f + rnorm(n), 4)) / 2
belastning <- (item(1.5 + 0.4 * f + 0.7 * rnorm(n), 3) + item(1.6 + 0.3 * f + 0.7 * rnorm(n), 3) +
               item(1.4 + 0.5 * f + 0.7 * rnorm(n), 3) + item(1.7 + 0.2 * f + 0.7 * rnorm(n), 3)) / 4
ratio <- item(2.5 + 0.6 * f + 0.8 * tilsett + 1.4 * rnorm(n), 6)
effektiv <- item(2.6 - 0.2 * f + 0.9 * rnorm(n), 4)
kunnskap <- item(2.9 + 0.1 * (alder - 47) / 10 + 0.3 * tilsett + 0.9 * rnorm(n), 4)
eta <- 3.2 - 0.25 * styring - 0.25 * belastning - 0.04 * ratio - 0.02 * office +
  0.15 * tilsett + 0.1 * effektiv + 0.25 * kunnskap - 0.1 * kjonn -
  0.005 * (alder - 47) + 0.7 * rnorm(n)
individualisering <- clip(round(2 * eta) / 2, 0, 4)
w <- sample(1:3, n, replace = TRUE, prob = c(0.5, 0.3, 0.2))

d <- data.frame(id = seq_len(n), individualisering = individualisering,
                styring = styring, belastning = belastning, ratio = ratio,
                kontor = office, tilsett = tilsett, effektiv = effektiv,
                kunnskap = kunnskap, kjonn = kjonn, alder = alder)
for (v in names(d)[-1])
  d[[v]][runif(n) < 0.03] <- NA
d$w <- w

fmt <- function(x) ifelse(is.na(x), "", format(x, scientific = FALSE, trim = TRUE,
                                                  drop0trailing = TRUE))
out <- data.frame(lapply(d, function(col) sapply(col, fmt)))
write.table(out, "test/data/regression_data.csv", sep = ",", quote = FALSE,
            row.names = FALSE, na = "")
cat(sprintf("%d rows, %d complete\n", n, sum(complete.cases(d))))
