# The export alternative: read the \copy'd CSV and fit the three nested
# models, as an analyst would in R.
d <- data.table::fread("bench/out/export.csv")
m1 <- lm(y ~ c1 + c2 + c3, data = d)
m2 <- lm(y ~ c1 + c2 + c3 + c4 + c5 + c6, data = d)
m3 <- lm(y ~ ., data = d)
s <- lapply(list(m1, m2, m3), summary)
cat(sprintf("R2 %.6f %.6f %.6f\n", s[[1]]$r.squared, s[[2]]$r.squared, s[[3]]$r.squared))
