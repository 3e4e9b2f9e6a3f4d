# Reference values for calibrate, trimWeights and lonely_psu="average" in vpt_monitor.stats,
# from R survey.
#
# Run:  Rscript tests/reference/calibration.R > tests/reference/calibration.csv
# Data: design_data.csv (see make_design_data.py). Output lines: case,estimator,domain,quantity,value
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.replicates.mse = FALSE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
dat <- read.csv(file.path(here, "design_data.csv"), stringsAsFactors = TRUE)
dat$one <- 1

fmt <- function(v) sprintf("%.17g", v)
out <- function(case, estimator, domain, quantity, value) {
  cat(case, estimator, domain, quantity, fmt(value), sep = ","); cat("\n")
}
report <- function(name, d) {
  out(name, "design", "", "df", degf(d))
  m <- svymean(~y, d); out(name, "mean", "", "estimate", coef(m)); out(name, "mean", "", "se", SE(m))
  t <- svytotal(~y, d); out(name, "total", "", "estimate", coef(t)); out(name, "total", "", "se", SE(t))
  p <- svymean(~b, d); out(name, "proportion", "", "estimate", coef(p)); out(name, "proportion", "", "se", SE(p))
  r <- svyratio(~y, ~x, d); out(name, "ratio", "", "estimate", coef(r)); out(name, "ratio", "", "se", SE(r))
  bm <- svyby(~y, ~g, d, svymean)
  bt <- svyby(~y, ~g, d, svytotal)
  levs <- levels(dat$g)
  for (i in seq_along(levs)) {
    out(name, "mean", levs[i], "estimate", coef(bm)[i]); out(name, "mean", levs[i], "se", SE(bm)[i])
    out(name, "total", levs[i], "estimate", coef(bt)[i]); out(name, "total", levs[i], "se", SE(bt)[i])
  }
  # a calibrated total of a calibration variable has (next to) no variance
  tx <- svytotal(~x, d); out(name, "total_x", "", "estimate", coef(tx)); out(name, "total_x", "", "se", SE(tx))
  w <- weights(d)
  if (is.matrix(w)) w <- weights(d, "sampling")
  for (i in c(1, 2, 50, 120, 233)) out(name, "weight", i, "value", w[i])
  out(name, "weight", "min", "value", min(w)); out(name, "weight", "max", "value", max(w))
}

cat("case,estimator,domain,quantity,value\n")

# population: g2 (x 5000, y 6000), g (a 4000, b 3500, c 2500, d 1000), total of x 30000
pop <- c(`(Intercept)` = 11000, g2y = 6000, gb = 3500, gc = 2500, gd = 1000, x = 30000)
cal <- ~g2 + g + x
options(survey.lonely.psu = "certainty")
d <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat)
report("linear", calibrate(d, cal, pop))
report("raking", calibrate(d, cal, pop, calfun = "raking"))
report("logit", calibrate(d, cal, pop, calfun = "logit", bounds = c(0.8, 2.2)))
report("linear_bounded", calibrate(d, cal, pop, bounds = c(0.85, 1.9)))
report("raking_bounded", calibrate(d, cal, pop, calfun = "raking", bounds = c(0.9, 2.1)))
# categorical margins only (the raked weights), and numeric totals only (no intercept)
report("raking_margins", calibrate(d, ~g2 + g, pop[1:5], calfun = "raking"))
report("linear_numeric", calibrate(d, ~x + y - 1, c(x = 30000, y = 110000)))
# with fpc and lonely "adjust"
options(survey.lonely.psu = "adjust")
dfpc <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, fpc = ~fpc, data = dat)
report("linear_fpc_adjust", calibrate(dfpc, cal, pop))
options(survey.lonely.psu = "certainty")
# equal weights of 1: R first rescales them (every total is over 20 times its estimate)
d1 <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~one, data = dat)
report("logit_rescaled", suppressWarnings(calibrate(d1, cal, pop, calfun = "logit", bounds = c(0.7, 1.6))))

# replicate designs, each replicate calibrated
jk <- as.svrepdesign(d, type = "JKn")
report("jkn_linear", calibrate(jk, cal, pop))
report("jkn_raking", calibrate(jk, cal, pop, calfun = "raking"))
report("jkn_logit", calibrate(jk, cal, pop, calfun = "logit", bounds = c(0.8, 2.2)))
boot <- as.svrepdesign(svydesign(ids = ~cluster, weights = ~weight, data = dat), type = "JK1")
report("jk1_raking", calibrate(boot, cal, pop, calfun = "raking"))

# lonely_psu = "average" (stratum h6 has one PSU)
options(survey.lonely.psu = "average")
report("average", svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat))
report("average_fpc", svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, fpc = ~fpc, data = dat))
report("average_jkn", as.svrepdesign(svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat), type = "JKn"))
options(survey.lonely.psu = "certainty")

# trimWeights (strict = FALSE): equal shares of what was trimmed go to the others
report("trim", trimWeights(d, upper = 60, lower = 20))
