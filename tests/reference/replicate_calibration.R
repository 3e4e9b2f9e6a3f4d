# Reference values for replicate designs and calibration in vpt_monitor.stats, from R survey.
#
# Run:  Rscript tests/reference/replicate_calibration.R > tests/reference/replicate_calibration.csv
# Data: design_data.csv (see make_design_data.py). Output lines: design,estimator,domain,quantity,value
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.replicates.mse = FALSE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
dat <- read.csv(file.path(here, "design_data.csv"), stringsAsFactors = TRUE)

fmt <- function(v) sprintf("%.17g", v)
out <- function(design, estimator, domain, quantity, value) {
  cat(design, estimator, domain, quantity, fmt(value), sep = ","); cat("\n")
}
report <- function(name, d, covmat = TRUE) {
  out(name, "design", "", "df", degf(d))
  m <- svymean(~y, d); out(name, "mean", "", "estimate", coef(m)); out(name, "mean", "", "se", SE(m))
  t <- svytotal(~y, d); out(name, "total", "", "estimate", coef(t)); out(name, "total", "", "se", SE(t))
  r <- svyratio(~y, ~x, d); out(name, "ratio", "", "estimate", coef(r)); out(name, "ratio", "", "se", SE(r))
  p <- svymean(~b, d); out(name, "proportion", "", "estimate", coef(p)); out(name, "proportion", "", "se", SE(p))
  # (covmat=TRUE fails inside R survey 4.1's svyby for calibrated designs)
  bm <- svyby(~y, ~g, d, svymean, covmat = covmat)
  bt <- svyby(~y, ~g, d, svytotal)
  br <- svyby(~y, ~g, d, svyratio, denominator = ~x)
  levs <- levels(dat$g)
  for (i in seq_along(levs)) {
    out(name, "mean", levs[i], "estimate", coef(bm)[i]); out(name, "mean", levs[i], "se", SE(bm)[i])
    out(name, "total", levs[i], "estimate", coef(bt)[i]); out(name, "total", levs[i], "se", SE(bt)[i])
    out(name, "ratio", levs[i], "estimate", coef(br)[i]); out(name, "ratio", levs[i], "se", SE(br)[i])
    if (covmat) for (j in seq_along(levs)) out(name, "mean_cov", paste(levs[i], levs[j], sep = ":"), "value", vcov(bm)[i, j])
  }
}

cat("design,estimator,domain,quantity,value\n")

# jackknife
options(survey.lonely.psu = "fail")
report("jk1", as.svrepdesign(svydesign(ids = ~cluster, weights = ~weight, data = dat), type = "JK1"))
dat$fpc1 <- 60
report("jk1_fpc", as.svrepdesign(svydesign(ids = ~cluster, weights = ~weight, fpc = ~fpc1, data = dat), type = "JK1"))
options(survey.lonely.psu = "certainty")
report("jkn_certainty", as.svrepdesign(svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat), type = "JKn"))
report("jkn_fpc", as.svrepdesign(svydesign(ids = ~cluster, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = dat), type = "JKn"))
options(survey.lonely.psu = "adjust")
report("jkn_adjust", as.svrepdesign(svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat), type = "JKn"))

# BRR and Fay on pairs of clusters, with Sylvester's Hadamard matrix of order 16
pairs <- dat[dat$cluster <= 28, ]
pairs$pair <- factor(sprintf("p%02d", (pairs$cluster - 1) %/% 2))
H <- matrix(1, 1, 1); while (nrow(H) < 16) H <- kronecker(matrix(c(1, 1, 1, -1), 2), H)
options(survey.lonely.psu = "fail")
dp <- svydesign(ids = ~cluster, strata = ~pair, weights = ~weight, data = pairs)
dat_all <- dat; dat <- pairs
report("brr", as.svrepdesign(dp, type = "BRR", hadamard.matrix = H))
report("fay", as.svrepdesign(dp, type = "Fay", fay.rho = 0.3, hadamard.matrix = H))
dat <- dat_all

# calibration on the stratified cluster design (lonely PSU: certainty)
options(survey.lonely.psu = "certainty")
d <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat)
pop_g2 <- data.frame(g2 = c("x", "y"), Freq = c(5000, 6000))
report("poststratify", postStratify(d, ~g2, pop_g2), covmat = FALSE)
ps <- postStratify(d, ~g2, pop_g2)
n2 <- svytotal(~g2, ps)
out("poststratify", "count_g2", "x", "se", SE(n2)[1])
pop_g <- data.frame(g = c("a", "b", "c", "d"), Freq = c(4000, 3500, 2500, 1000))
raked <- rake(d, list(~g2, ~g), list(pop_g2, pop_g), control = list(maxit = 500, epsilon = 1e-14))
report("rake", raked, covmat = FALSE)
w <- weights(raked)
for (i in c(1, 2, 50, 233)) out("rake", "weight", i, "value", w[i])
