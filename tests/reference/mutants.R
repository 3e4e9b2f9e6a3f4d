# Reference values for the corners of the variance formulas that hand-made mutation testing
# of vpt_monitor.stats found unchecked, on an agency-shaped sample (mutants_data.csv,
# make_mutants_data.py): word strata, PSU labels reused in every stratum (nest = TRUE), a
# census stratum of one PSU ("Caribisch", fpc = 1), a census of three ("Rijk"), a lonely
# sampled PSU ("Eiland", one of five).
#
# Run:  Rscript tests/reference/mutants.R > tests/reference/mutants.csv
# Output lines: key,quantity,value (a numbered quantity is one element of a vector).
suppressPackageStartupMessages(library(survey))
options(digits = 17)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
dat <- read.csv(file.path(here, "mutants_data.csv"), stringsAsFactors = FALSE)
fmt <- function(v) sprintf("%.17g", v)
put <- function(key, q, v) for (i in seq_along(v)) {
  cat(key, paste0(q, if (length(v) > 1) i else ""), fmt(v[[i]]), sep = ","); cat("\n")
}
cat("key,quantity,value\n")

report <- function(key, d) {
  m <- svymean(~y, d); put(key, "mean", coef(m)); put(key, "mean_se", SE(m))
  # R's svytotal leaves the rows of census strata out of a jackknife's replicate totals but
  # not out of the full-sample total (survey.drop.replicates; svymean keeps them): under
  # "adjust" the lonely stratum's replicate scales those rows by H / (H - 1), so that changes
  # the standard error (docs/validation.md, "Where R is wrong"); the option is set for it only
  # after the design is made, as as.svrepdesign reads it too
  op <- options(survey.drop.replicates = FALSE)
  t <- svytotal(~x, d); options(op); put(key, "total", coef(t)); put(key, "total_se", SE(t))
  # domains in R's order: man, vrouw, x. Their standard errors from svyby's covariance
  # (under "average" the SE column counts only the strata holding the domain's rows, which
  # the library does not follow: documented in SurveyDesign's lonely_psu), and its SE
  # column (replicates: a replicate without rows of "x" leaves out of the covariance of all
  # domains, but only out of the SE of "x")
  b <- svyby(~y, ~dom, d, svymean, covmat = TRUE)
  put(key, "dom", coef(b)); put(key, "dom_cov_se", sqrt(diag(vcov(b))))
  put(key, "dom_se", SE(svyby(~y, ~dom, d, svymean)))
  put(key, "df", degf(d))
}

# every lonely-PSU policy, with the fpc (two census strata) and, for "average", without it
# (then "Caribisch" is a second lonely PSU rather than a census)
for (policy in c("adjust", "average", "certainty", "remove")) {
  options(survey.lonely.psu = policy)
  one <- svydesign(ids = ~psu, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = dat,
                   nest = TRUE)
  report(policy, one)
  report(paste0(policy, "_jkn"), as.svrepdesign(one, type = "JKn"))
}
options(survey.lonely.psu = "average")
report("average_nofpc", svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, data = dat,
                                  nest = TRUE))

# replicate weights supplied with the data: the default scales of svrepdesign's types
options(survey.lonely.psu = "fail")
report("fay", svrepdesign(weights = ~weight, repweights = "fay_[0-9]+", type = "Fay",
                          rho = 0.3, data = dat, combined.weights = TRUE))
report("bootstrap", svrepdesign(weights = ~weight, repweights = "boot_[0-9]+",
                                type = "bootstrap", data = dat, combined.weights = TRUE))
report("jk1", svrepdesign(weights = ~weight, repweights = "boot_[0-9]+", type = "JK1",
                          data = dat, combined.weights = TRUE))

# degrees of freedom of a domain that misses one PSU of a replicate design: R's degf of its
# subset (the rank of its rows' replicate weights minus one), not the design's
for (policy in c("adjust", "certainty")) {
  options(survey.lonely.psu = policy)
  one <- svydesign(ids = ~psu, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = dat,
                   nest = TRUE)
  jk <- as.svrepdesign(one, type = "JKn")
  put(paste0(policy, "_jkn"), "df_without_noord1",
      degf(subset(jk, !(stratum == "Noord" & psu == "1"))))
  # a model on a subset that drops a whole stratum: residual df = degf(subset) - p + 1
  g <- svyglm(y ~ x, subset(one, stratum != "Zuid"), family = quasibinomial(),
              control = glm.control(epsilon = 1e-14, maxit = 100))
  put(paste0(policy, "_glm_subset"), "coef", coef(g))
  put(paste0(policy, "_glm_subset"), "se", SE(g))
  put(paste0(policy, "_glm_subset"), "df_residual", g$df.residual)
}

# JK1 on the PSUs without strata: a domain that misses one PSU has rank one below the design's
options(survey.lonely.psu = "fail")
dat$pw <- paste(dat$stratum, dat$psu)
jk1 <- as.svrepdesign(svydesign(ids = ~pw, weights = ~weight, data = dat), type = "JK1")
put("jk1_psus", "df", degf(jk1))
put("jk1_psus", "df_without_noord1", degf(subset(jk1, pw != "Noord 1")))
