# Reference values for two-stage designs with lonely units: a PSU with one sampled second-stage
# unit, and a stratum with one PSU, under every lonely-PSU policy, from R survey.
#
# Run:  Rscript tests/reference/lonely_ssu.R > tests/reference/lonely_ssu.csv
# The data are drawn here (set.seed) and written to lonely_ssu_data.csv beside this script.
# Output: policy,estimator,domain,quantity,value
suppressPackageStartupMessages(library(survey))
options(digits = 17)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
set.seed(20161129)
rows <- list()
for (h in 0:2) for (p in 0:3) {
  if (h == 2 && p > 0) next                        # stratum s2: one PSU
  m <- if (h == 0 && p == 0) 1 else sample(2:4, 1) # PSU s0p0: one second-stage unit
  N2 <- m + sample(3:20, 1)
  for (k in seq_len(m)) rows[[length(rows) + 1]] <- data.frame(
    h = paste0("s", h), psu = paste0("s", h, "p", p), id = paste0("s", h, "p", p, "k", k),
    fpc1 = 10, fpc2 = N2, w = 10 / 4 * N2 / m, y = rbinom(1, 1, 0.4 + 0.1 * h),
    dom = sample(c("a", "b"), 1)
  )
}
d <- do.call(rbind, rows)
write.csv(d, file.path(here, "lonely_ssu_data.csv"), row.names = FALSE)
fmt <- function(v) sprintf("%.17g", v)
out <- function(policy, estimator, domain, quantity, value) {
  cat(policy, estimator, domain, quantity, fmt(value), sep = ","); cat("\n")
}
cat("policy,estimator,domain,quantity,value\n")
for (policy in c("adjust", "certainty", "remove")) {
  options(survey.lonely.psu = policy)
  des <- svydesign(ids = ~psu + id, strata = ~h, fpc = ~fpc1 + fpc2, weights = ~w, data = d)
  m <- svymean(~y, des); out(policy, "mean", "", "estimate", coef(m)); out(policy, "mean", "", "se", SE(m))
  t <- svytotal(~y, des); out(policy, "total", "", "estimate", coef(t)); out(policy, "total", "", "se", SE(t))
  b <- svyby(~y, ~dom, des, svymean)
  for (i in seq_len(nrow(b))) {
    out(policy, "mean", b$dom[i], "estimate", coef(b)[i]); out(policy, "mean", b$dom[i], "se", SE(b)[i])
  }
}
