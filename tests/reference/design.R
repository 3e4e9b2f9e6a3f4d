# Reference values for vpt_monitor.stats designs and estimators, from R survey.
#
# Run:  Rscript tests/reference/design.R > tests/reference/design.csv
# Data: design_data.csv (written by make_design_data.py). Output: one value per line,
#       design,estimator,domain,quantity,value
suppressPackageStartupMessages(library(survey))
options(digits = 17)
dat <- read.csv(file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))),
                          "design_data.csv"), stringsAsFactors = TRUE)
dat$fpc_frac <- ave(dat$cluster, dat$stratum, FUN = function(v) length(unique(v))) / dat$fpc

fmt <- function(v) sprintf("%.17g", v)
out <- function(design, estimator, domain, quantity, value) {
  cat(design, estimator, domain, quantity, fmt(value), sep = ",")
  cat("\n")
}

designs <- list(
  srs = list(lonely = "fail", make = function() svydesign(ids = ~1, weights = ~weight, data = dat)),
  strat = list(lonely = "fail", make = function() svydesign(ids = ~1, strata = ~stratum, weights = ~weight, data = dat)),
  clus_only = list(lonely = "fail", make = function() svydesign(ids = ~cluster, weights = ~weight, data = dat)),
  clus_adjust = list(lonely = "adjust", make = function() svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat)),
  clus_certainty = list(lonely = "certainty", make = function() svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat)),
  clus_remove = list(lonely = "remove", make = function() svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat)),
  fpc = list(lonely = "certainty", make = function() svydesign(ids = ~cluster, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = dat)),
  fpc_frac = list(lonely = "adjust", make = function() svydesign(ids = ~cluster, strata = ~stratum, fpc = ~fpc_frac, weights = ~weight, data = dat))
)
methods <- c("logit", "xlogit", "likelihood", "asin", "beta", "mean")

cat("design,estimator,domain,quantity,value\n")
for (name in names(designs)) {
  options(survey.lonely.psu = designs[[name]]$lonely)
  d <- designs[[name]]$make()
  out(name, "design", "", "df", degf(d))

  m <- svymean(~y, d, deff = TRUE)
  out(name, "mean", "", "estimate", coef(m)); out(name, "mean", "", "se", SE(m)); out(name, "mean", "", "deff", deff(m))
  t <- svytotal(~y, d, deff = TRUE)
  out(name, "total", "", "estimate", coef(t)); out(name, "total", "", "se", SE(t)); out(name, "total", "", "deff", deff(t))
  r <- svyratio(~y, ~x, d, deff = TRUE)
  out(name, "ratio", "", "estimate", coef(r)); out(name, "ratio", "", "se", SE(r)); out(name, "ratio", "", "deff", deff(r))
  p <- svymean(~b, d, deff = TRUE)
  out(name, "proportion", "", "estimate", coef(p)); out(name, "proportion", "", "se", SE(p)); out(name, "proportion", "", "deff", deff(p))
  for (level in c(0.95, 0.9)) for (meth in methods) {
    ci <- attr(svyciprop(~b, d, method = meth, level = level), "ci")
    out(name, paste0("proportion_", meth, "_", level), "", "low", ci[1])
    out(name, paste0("proportion_", meth, "_", level), "", "high", ci[2])
  }

  # domains
  for (lev in levels(dat$g)) out(name, "design", lev, "df", degf(subset(d, g == lev)))
  bm <- svyby(~y, ~g, d, svymean, deff = TRUE, covmat = TRUE)
  bt <- svyby(~y, ~g, d, svytotal, deff = TRUE)
  br <- svyby(~y, ~g, d, svyratio, denominator = ~x, deff = TRUE)
  bp <- svyby(~b, ~g, d, svymean, deff = TRUE, covmat = TRUE)
  for (i in seq_along(levels(dat$g))) {
    lev <- levels(dat$g)[i]
    out(name, "mean", lev, "estimate", coef(bm)[i]); out(name, "mean", lev, "se", SE(bm)[i]); out(name, "mean", lev, "deff", deff(bm)[i])
    out(name, "total", lev, "estimate", coef(bt)[i]); out(name, "total", lev, "se", SE(bt)[i]); out(name, "total", lev, "deff", deff(bt)[i])
    out(name, "ratio", lev, "estimate", coef(br)[i]); out(name, "ratio", lev, "se", SE(br)[i]); out(name, "ratio", lev, "deff", deff(br)[i])
    out(name, "proportion", lev, "estimate", coef(bp)[i]); out(name, "proportion", lev, "se", SE(bp)[i]); out(name, "proportion", lev, "deff", deff(bp)[i])
    for (j in seq_along(levels(dat$g))) {
      out(name, "mean_cov", paste(lev, levels(dat$g)[j], sep = ":"), "value", vcov(bm)[i, j])
      out(name, "proportion_cov", paste(lev, levels(dat$g)[j], sep = ":"), "value", vcov(bp)[i, j])
    }
  }
  for (meth in methods) {
    cp <- svyby(~b, ~g, subset(d, g != "d"), svyciprop, vartype = "ci", method = meth)
    for (lev in c("a", "b", "c")) {
      out(name, paste0("proportion_", meth, "_0.95"), lev, "low", cp[lev, "ci_l"])
      out(name, paste0("proportion_", meth, "_0.95"), lev, "high", cp[lev, "ci_u"])
    }
  }
  k <- svycontrast(bm, c(a = 1, b = -1))
  out(name, "contrast_mean_a_minus_b", "", "estimate", coef(k)); out(name, "contrast_mean_a_minus_b", "", "se", SE(k))
  k <- svycontrast(bp, c(a = 0.5, b = 0.5, c = -1))
  out(name, "contrast_prop_ab_minus_c", "", "estimate", coef(k)); out(name, "contrast_prop_ab_minus_c", "", "se", SE(k))

  bx <- svyby(~y, ~g + g2, d, svymean)
  for (i in seq_len(nrow(bx))) {
    lab <- paste(bx$g[i], bx$g2[i], sep = ":")
    out(name, "mean", lab, "estimate", coef(bx)[i]); out(name, "mean", lab, "se", SE(bx)[i])
  }
}

# two-stage designs: persons (rows) within clusters, and groups within clusters
dat$row <- seq_len(nrow(dat))
dat$fpc2 <- ave(dat$cluster, dat$cluster, FUN = length) * 3
dat$ssu <- paste(dat$cluster, dat$g2)
dat$fpc2g <- 4
twostage <- list(
  two_stage = list(lonely = "certainty", make = function() svydesign(ids = ~cluster + row, strata = ~stratum, fpc = ~fpc + fpc2, weights = ~weight, data = dat)),
  two_stage_ssu = list(lonely = "certainty", make = function() svydesign(ids = ~cluster + ssu, strata = ~stratum, fpc = ~fpc + fpc2g, weights = ~weight, data = dat))
)
for (name in names(twostage)) {
  options(survey.lonely.psu = twostage[[name]]$lonely)
  d <- twostage[[name]]$make()
  m <- svymean(~y, d); out(name, "mean", "", "estimate", coef(m)); out(name, "mean", "", "se", SE(m))
  t <- svytotal(~y, d); out(name, "total", "", "se", SE(t))
  r <- svyratio(~y, ~x, d); out(name, "ratio", "", "se", SE(r))
  bm <- svyby(~y, ~g, d, svymean, covmat = TRUE)
  for (i in seq_along(levels(dat$g))) {
    lev <- levels(dat$g)[i]
    out(name, "mean", lev, "se", SE(bm)[i])
    for (j in seq_along(levels(dat$g))) out(name, "mean_cov", paste(lev, levels(dat$g)[j], sep = ":"), "value", vcov(bm)[i, j])
  }
}
