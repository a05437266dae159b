# make_describe_data.R -- writes describe_data.csv, the survey-like data for
# test/describe_vs_r.sql (descriptives and correlations against R).
#
# Deterministic (fixed seed, R's default Mersenne-Twister and Inversion);
# run from the repository root:
#   Rscript test/data/make_describe_data.R
# The CSV is committed; this script documents how it was made.
#
# 300 respondents; every value is missing with probability 0.07,
# independently (so listwise and pairwise deletion differ):
#   age        integer years, 18-79, roughly uniform
#   income     yearly income in whole hundreds, log-normal (strong right skew)
#   children   number of children, Poisson (right skew, many ties)
#   hours      weekly working hours in half hours, left skew (many near 37.5)
#   bmi        body-mass index with one decimal, mild right skew
#   w          integer frequency weight 1-4 (never missing)
# The variables are correlated through age.  Values have few decimals, so
# every reader (R's, PostgreSQL's) turns each field into the same double;
# make_describe_expected.R records the doubles R used and the test checks
# that PostgreSQL read the same ones.
set.seed(20240612)
n <- 300
age <- as.integer(pmin(79, pmax(18, round(runif(n, 17.5, 79.5)))))
za <- (age - 48) / 18
income <- round(exp(12.6 + 0.25 * za + rnorm(n, sd = 0.55)) / 100) * 100
children <- rpois(n, exp(0.2 + 0.5 * za - 0.3 * za^2))
hours <- pmax(0, 40 - 0.5 * pmax(0, age - 60) - rgamma(n, shape = 1.2, scale = 4))
hours <- round(hours * 2) / 2
bmi <- round(22 + 1.5 * za + rgamma(n, shape = 3, scale = 1.2), 1)
w <- sample(1:4, n, replace = TRUE, prob = c(0.4, 0.3, 0.2, 0.1))

d <- data.frame(id = seq_len(n), age = age, income = income,
                children = children, hours = hours, bmi = bmi)
for (v in c("age", "income", "children", "hours", "bmi"))
  d[[v]][runif(n) < 0.07] <- NA
d$w <- w

# fixed notation, no exponents, shortest text that is the value
fmt <- function(x) ifelse(is.na(x), "", format(x, scientific = FALSE, trim = TRUE,
                                                  drop0trailing = TRUE))
out <- data.frame(lapply(d, function(col) sapply(col, fmt)))
write.table(out, "test/data/describe_data.csv", sep = ",", quote = FALSE,
            row.names = FALSE, na = "")
