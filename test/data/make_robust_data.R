# make_robust_data.R -- writes robust_data.csv, the clustered, stratified,
# unequally weighted survey-like data for test/robust_vs_r.sql (robust,
# cluster-robust and design-based standard errors against R's sandwich and
# survey packages).
#
# Deterministic (fixed seed, R's default Mersenne-Twister and Inversion);
# run from the repository root:
#   Rscript test/data/make_robust_data.R
# The CSV is committed; this script documents how it was made.
#
# 862 respondents in 72 offices (clusters) of unequal size, nested in 6
# strata (regions): office sizes 1 to 22, four offices of one respondent.
#   id                 1..862
#   stratum            1..6 (offices nested in strata; 9 to 15 offices each)
#   office             1..72, unique across strata (PSU / cluster id)
#   stratum_lonely     as stratum, but office 72 alone in a stratum 7 (a
#                      stratum with a single PSU)
#   individualisering  outcome, 0-4 in steps of 0.5; office random effect
#                      and noise whose SD grows with belastning
#                      (heteroskedastic), so robust and classical SEs differ
#   styring .. alder   the nine predictors of test/regression_vs_r.sql;
#                      kontor (office size 0-3) is constant within an office
#   pw                 probability (sampling) weight: the stratum's inverse
#                      sampling fraction times individual nonresponse noise,
#                      a multiple of 1/16 in [0.5, 12] (never missing)
#   fw                 integer frequency weight 1-3 (never missing)
# Every analysis variable is missing with probability 0.03, independently,
# except that office 72's single respondent answered everything (the lonely
# PSU of stratum_lonely has a complete row) and office 70's single
# respondent has no age (a PSU without a complete row, which survey still
# counts in its stratum; see make_robust_expected.R). All values are integers or multiples of 1/16, so
# R and PostgreSQL read the same doubles.
set.seed(20240717)
n_office <- 72
stratum_of_office <- rep(1:6, times = c(9, 15, 12, 14, 10, 12))
size <- sample(2:22, n_office, replace = TRUE)
size[c(69, 70, 71, 72)] <- 1L                  # four offices of one respondent
office <- rep(seq_len(n_office), size)
n <- length(office)
stopifnot(n > 600)
stratum <- stratum_of_office[office]
clip <- function(x, lo, hi) pmin(hi, pmax(lo, x))
item <- function(z, k) clip(round(z), 0, k)

u_office <- rnorm(n_office, sd = 0.35)[office]  # office effect on the outcome
g_office <- rnorm(n_office)[office]              # office effect on predictors
kontor <- item(1.5 + 1.1 * rnorm(n_office), 3)[office]
f <- rnorm(n) + 0.4 * g_office
tilsett <- as.integer(runif(n) < plogis(0.2 + 0.3 * f))
kjonn <- as.integer(runif(n) < 0.22)
alder <- as.integer(clip(round(47 + 10 * rnorm(n) + 2 * tilsett), 22, 67))
styring <- (item(2 + 0.5 * f + rnorm(n), 4) + item(1.8 + 0.4 * f + rnorm(n), 4)) / 2
belastning <- (item(1.5 + 0.4 * f + 0.7 * rnorm(n), 3) + item(1.6 + 0.3 * f + 0.7 * rnorm(n), 3) +
               item(1.4 + 0.5 * f + 0.7 * rnorm(n), 3) + item(1.7 + 0.2 * f + 0.7 * rnorm(n), 3)) / 4
ratio <- item(2.5 + 0.6 * f + 0.8 * tilsett + 1.4 * rnorm(n), 6)
effektiv <- item(2.6 - 0.2 * f + 0.9 * rnorm(n), 4)
kunnskap <- item(2.9 + 0.1 * (alder - 47) / 10 + 0.3 * tilsett + 0.9 * rnorm(n), 4)
eta <- 3.2 - 0.25 * styring - 0.25 * belastning - 0.04 * ratio - 0.05 * kontor +
  0.15 * tilsett + 0.1 * effektiv + 0.25 * kunnskap - 0.1 * kjonn -
  0.005 * (alder - 47) + u_office + (0.3 + 0.35 * belastning) * rnorm(n)
individualisering <- clip(round(2 * eta) / 2, 0, 4)

# sampling weights: strata sampled at different rates, times nonresponse noise
base <- c(1.5, 4, 2.5, 8, 1, 3)[stratum]
pw <- clip(round(16 * base * exp(0.25 * rnorm(n))) / 16, 0.5, 12)
fw <- sample(1:3, n, replace = TRUE, prob = c(0.5, 0.3, 0.2))

d <- data.frame(id = seq_len(n), stratum = stratum, office = office,
                stratum_lonely = ifelse(office == 72, 7L, stratum),
                individualisering = individualisering,
                styring = styring, belastning = belastning, ratio = ratio,
                kontor = kontor, tilsett = tilsett, effektiv = effektiv,
                kunnskap = kunnskap, kjonn = kjonn, alder = alder)
vars <- c("individualisering", "styring", "belastning", "ratio", "kontor",
          "tilsett", "effektiv", "kunnskap", "kjonn", "alder")
complete <- d
for (v in vars)
  d[[v]][runif(n) < 0.03] <- NA
d$alder[office == 70] <- NA                      # office 70: no complete row
d[office == 72, vars] <- complete[office == 72, vars]  # the lonely PSU answers
d$pw <- pw
d$fw <- fw

fmt <- function(x) ifelse(is.na(x), "", format(x, scientific = FALSE, trim = TRUE,
                                                  drop0trailing = TRUE, digits = 15))
out <- data.frame(lapply(d, function(col) sapply(col, fmt)))
write.table(out, "test/data/robust_data.csv", sep = ",", quote = FALSE,
            row.names = FALSE, na = "")
cc <- complete.cases(d[, vars])
cat(sprintf("%d rows, %d complete, %d offices (%d with a complete row), strata sizes %s\n",
            n, sum(cc), n_office, length(unique(office[cc])),
            paste(table(stratum_of_office), collapse = " ")))
