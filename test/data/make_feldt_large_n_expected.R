# make_feldt_large_n_expected.R -- R's Feldt interval of Cronbach's alpha for
# a large N, where R's qf(p, df1, df2) takes its df2 > 400,000 branch (which
# calls dgamma: on PostgreSQL 18 the server's dgamma, before survey_reg
# isolated libRmath; issue 12).  Expectation for test/reliability_large_n.sql.
#
# Three items with unit variances and all correlations 0.5, N = 250001
# (survey_reg.moments_from_matrix): alpha = k/(k-1) (1 - tr(S)/sum(S)),
# Feldt (1965): 1 - (1 - alpha) qf(0.975 | 0.025, N-1, (N-1)(k-1)).
#   Rscript test/data/make_feldt_large_n_expected.R
# writes test/data/feldt_large_n_expected.csv (17 significant digits).
n <- 250001
S <- matrix(0.5, 3, 3); diag(S) <- 1
k <- ncol(S)
alpha <- k / (k - 1) * (1 - sum(diag(S)) / sum(S))
df1 <- n - 1; df2 <- (n - 1) * (k - 1)
out <- data.frame(n = n, k = k, alpha = alpha,
                  alpha_ci_lower = 1 - (1 - alpha) * qf(0.975, df1, df2),
                  alpha_ci_upper = 1 - (1 - alpha) * qf(0.025, df1, df2))
fmt <- function(x) sprintf("%.17g", x)
out[] <- lapply(out, fmt)
write.csv(out, "test/data/feldt_large_n_expected.csv", row.names = FALSE, quote = FALSE)
cat(R.version.string, "\n"); print(out)
