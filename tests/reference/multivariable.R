# Reference values for several variables at once in vpt_monitor.stats (total, mean, ratio and
# proportion of a list of variables, by domain, with the joint covariance), from R survey:
# svytotal(~y + x), svyby(~y + x, ~g, design, svytotal, covmat = TRUE) and svycontrast of a
# nonlinear expression across variables and domains.
#
# Run:  Rscript tests/reference/multivariable.R > tests/reference/multivariable.csv
# Data: design_data.csv (make_design_data.py).
# Output lines: design,estimator,domain,quantity,value; a covariance is written with the
# domain "row|column", labels "g:variable" as R names them.
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.replicates.mse = FALSE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
dat <- read.csv(file.path(here, "design_data.csv"), stringsAsFactors = TRUE)
dat$b2 <- as.numeric(dat$y > 11)  # a second 0/1 variable
# domain totals as totals of products, for the calibrated design (R 4.1's svyby cannot give
# the covariance of a post-stratified design's domains)
for (v in c("y", "x")) for (g in c("a", "b")) dat[[paste0(v, "_", g)]] <- dat[[v]] * (dat$g == g)

fmt <- function(v) sprintf("%.17g", v)
out <- function(design, estimator, domain, quantity, value) {
  cat(design, estimator, domain, quantity, fmt(value), sep = ","); cat("\n")
}
stat <- function(name, estimator, s) {
  v <- vcov(s)
  for (i in seq_along(coef(s))) {
    out(name, estimator, names(coef(s))[i], "estimate", coef(s)[i])
    for (j in seq_along(coef(s))) {
      out(name, estimator, paste(names(coef(s))[i], names(coef(s))[j], sep = "|"), "cov", v[i, j])
    }
  }
}
scalar <- function(name, estimator, k) {
  out(name, estimator, "", "estimate", coef(k)); out(name, estimator, "", "se", SE(k))
}

cat("design,estimator,domain,quantity,value\n")
options(survey.lonely.psu = "certainty")
taylor <- svydesign(ids = ~cluster, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = dat)
designs <- list(
  fpc = taylor,
  fpc_jkn = as.svrepdesign(taylor, type = "JKn"),
  poststrat = postStratify(
    svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat),
    ~g2, data.frame(g2 = c("x", "y"), Freq = c(30000, 50000))
  )
)
for (name in names(designs)) {
  d <- designs[[name]]
  stat(name, "total", svytotal(~y + x, d))
  stat(name, "mean", svymean(~y + x + b, d))
  stat(name, "total_products", svytotal(~y_a + y_b + x_a + x_b, d))
  r <- svyratio(~y + b, ~x, d)
  for (i in 1:2) {
    out(name, "ratio", names(coef(r))[i], "estimate", coef(r)[i])
    out(name, "ratio", names(coef(r))[i], "se", SE(r)[i])
  }
  if (name == "poststrat") next
  stat(name, "total_by_g", svyby(~y + x, ~g, d, svytotal, covmat = TRUE))
  stat(name, "mean_by_g", svyby(~y + x, ~g, d, svymean, covmat = TRUE))
  stat(name, "proportion_by_g", svyby(~b + b2, ~g, d, svymean, covmat = TRUE))
  stat(name, "mean_by_g_g2", svyby(~y + x, ~g + g2, d, svymean, covmat = TRUE))
  bt <- svyby(~y + x, ~g, d, svytotal, covmat = TRUE)
  scalar(name, "contrast_log_ratio_ab", svycontrast(bt, quote(log(`a:y` / `a:x`) - log(`b:y` / `b:x`))))
  bm <- svyby(~y + x, ~g, d, svymean, covmat = TRUE)
  scalar(name, "contrast_mean_ratio_c", svycontrast(bm, quote(`c:y` / `c:x`)))
  scalar(name, "contrast_linear", svycontrast(bm, c("a:y" = 1, "a:x" = -2, "d:y" = 0.5)))
}
