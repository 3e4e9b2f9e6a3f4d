# Reference values for svyciprop's "logit" and "xlogit" intervals on replicate designs.
#
# Run:  Rscript tests/reference/replicate_logit.R > tests/reference/replicate_logit.csv
# Data: design_data.csv (make_design_data.py). On a replicate design R's "logit" refits
#       svyglm(b ~ 1, family=quasibinomial) on every replicate, so its standard error is the
#       replicate spread of the log-odds; "xlogit" is the delta method on the proportion.
#       Only deterministic replicate types (no bootstrap). Domains: svyby(..., svyciprop)
#       with svyciprop's own df, degf of each domain's subset (the rank of its rows'
#       replicate weights minus one), as the library gives a domain. svyglm stops at glm's
#       convergence tolerance, so "logit_exact" also gives the same interval from the exact
#       log-odds of each replicate's share, through R's own svrVar.
# Output lines: design,estimator,domain,quantity,value
suppressPackageStartupMessages(library(survey))
options(digits = 17)
invisible(Sys.setlocale("LC_COLLATE", "C"))
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
dat <- read.csv(file.path(here, "design_data.csv"), stringsAsFactors = TRUE)
# svyglm.svyrep.design evaluates its own call object, named g, with the data attached:
# a data column named g hides it, so the domain column is renamed dom for R
names(dat)[names(dat) == "g"] <- "dom"

fmt <- function(v) sprintf("%.17g", v)
out <- function(design, estimator, domain, quantity, value) {
  cat(design, estimator, domain, quantity, fmt(value), sep = ","); cat("\n")
}

pairs <- dat[dat$cluster <= 28, ]
pairs$pair <- factor(sprintf("p%02d", (pairs$cluster - 1) %/% 2))
make <- list(
  jk1 = function() as.svrepdesign(svydesign(ids = ~cluster, weights = ~weight, data = dat), type = "JK1"),
  jkn = function() as.svrepdesign(svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat), type = "JKn"),
  jkn_mse = function() as.svrepdesign(svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat), type = "JKn", mse = TRUE),
  brr = function() as.svrepdesign(svydesign(ids = ~cluster, strata = ~pair, weights = ~weight, data = pairs), type = "BRR"),
  fay = function() as.svrepdesign(svydesign(ids = ~cluster, strata = ~pair, weights = ~weight, data = pairs), type = "Fay", fay.rho = 0.3)
)
options(survey.lonely.psu = "certainty")
cat("design,estimator,domain,quantity,value\n")
for (name in names(make)) {
  d <- make[[name]]()
  out(name, "design", "", "df", degf(d))
  for (method in c("logit", "xlogit")) for (level in c(0.95, 0.9)) {
    ci <- attr(svyciprop(~b, d, method = method, level = level), "ci")
    out(name, paste0("proportion_", method, "_", level), "", "low", ci[1])
    out(name, paste0("proportion_", method, "_", level), "", "high", ci[2])
  }
  W <- weights(d, "analysis")
  shares <- colSums(W * d$variables$b) / colSums(W)
  p <- sum(weights(d, "sampling") * d$variables$b) / sum(weights(d, "sampling"))
  v <- svrVar(qlogis(shares), d$scale, d$rscales, mse = d$mse, coef = qlogis(p))
  ci <- plogis(qlogis(p) + c(-1, 1) * qt(0.975, degf(d)) * sqrt(as.numeric(v)))
  out(name, "proportion_logit_exact_0.95", "", "low", ci[1])
  out(name, "proportion_logit_exact_0.95", "", "high", ci[2])
  for (lev in c("a", "b", "c")) out(name, "domain_df", lev, "value", degf(subset(d, dom == lev)))
  for (method in c("logit", "xlogit")) {
    cp <- svyby(~b, ~dom, subset(d, dom != "d"), svyciprop, vartype = "ci", method = method)
    for (lev in c("a", "b", "c")) {
      out(name, paste0("proportion_", method, "_0.95"), lev, "low", cp[lev, "ci_l"])
      out(name, paste0("proportion_", method, "_0.95"), lev, "high", cp[lev, "ci_u"])
    }
  }
}
