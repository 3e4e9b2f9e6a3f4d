# Reference values for vpt_monitor.stats.quantile and var, from R survey's svyquantile
# (qrule "math", Woodruff intervals of the four interval types) and svyvar, overall and in
# domains (svyby), on Taylor and replicate designs.
#
# Run:  Rscript tests/reference/quantiles.R > tests/reference/quantiles.csv
# Data: design_data.csv (make_design_data.py).
# Output lines: design,statistic,item,quantity,value.
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.replicates.mse = FALSE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
dat <- read.csv(file.path(here, "design_data.csv"), stringsAsFactors = TRUE)
dat$row <- seq_len(nrow(dat))
dat$fpc2 <- ave(dat$cluster, dat$cluster, FUN = length) * 3

fmt <- function(v) sprintf("%.17g", v)
out <- function(design, statistic, item, quantity, value) {
  cat(design, statistic, item, quantity, fmt(value), sep = ","); cat("\n")
}

cat("design,statistic,item,quantity,value\n")
options(survey.lonely.psu = "certainty")
fpc <- svydesign(ids = ~cluster, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = dat)
designs <- list(
  fpc = list(lonely = "certainty", d = fpc),
  adjust = list(lonely = "adjust", d = svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat)),
  two_stage = list(lonely = "certainty", d = svydesign(ids = ~cluster + row, strata = ~stratum, fpc = ~fpc + fpc2, weights = ~weight, data = dat)),
  poststrat = list(lonely = "certainty", d = postStratify(
    svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat),
    ~g2, data.frame(g2 = c("x", "y"), Freq = c(30000, 50000)))),
  jkn = list(lonely = "certainty", d = as.svrepdesign(fpc, type = "JKn")),
  jk1 = list(lonely = "certainty", d = as.svrepdesign(svydesign(ids = ~cluster, weights = ~weight, data = dat), type = "JK1"))
)
probabilities <- c(0.1, 0.25, 0.5, 0.75, 0.9)
for (dname in names(designs)) {
  options(survey.lonely.psu = designs[[dname]]$lonely)
  d <- designs[[dname]]$d
  for (type in c("mean", "xlogit", "asin", "beta")) {
    for (level in c(0.95, 0.9)) {
      for (v in c("y", "x")) {
        q <- svyquantile(as.formula(paste0("~", v)), d, probabilities, ci = TRUE,
                         interval.type = type, alpha = 1 - level)[[v]]
        for (i in seq_along(probabilities)) {
          item <- paste(v, type, level, probabilities[i], sep = ":")
          out(dname, "quantile", item, "estimate", q[i, 1])
          out(dname, "quantile", item, "low", q[i, 2]); out(dname, "quantile", item, "high", q[i, 3])
          out(dname, "quantile", item, "se", q[i, 4])
        }
      }
    }
  }
  if (!inherits(d, "svyrep.design")) {
    b <- svyby(~y, ~g, d, svyquantile, quantiles = 0.5, ci = TRUE, vartype = c("se", "ci"))
    for (i in seq_len(nrow(b))) {
      item <- paste("y", "mean", 0.95, 0.5, b$g[i], sep = ":")
      out(dname, "quantile_by_g", item, "estimate", b$y[i]); out(dname, "quantile_by_g", item, "se", b$se.y[i])
      out(dname, "quantile_by_g", item, "low", b$ci_l[i]); out(dname, "quantile_by_g", item, "high", b$ci_u[i])
    }
    b <- svyby(~y, ~g, d, svyvar)
    for (i in seq_len(nrow(b))) {
      out(dname, "var_by_g", as.character(b$g[i]), "estimate", b$y[i]); out(dname, "var_by_g", as.character(b$g[i]), "se", b$se[i])
    }
  }
  v <- svyvar(~y, d)
  out(dname, "var", "y", "estimate", coef(v)); out(dname, "var", "y", "se", SE(v))
}
