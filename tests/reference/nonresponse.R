# Reference values for adjust_nonresponse in vpt_monitor.stats, from R survey.
#
# A weighting-class adjustment multiplies the weights of the respondents in each class by
# the class's sum of weights over the sample divided by its sum over the respondents; the
# adjusted design keeps the sample's strata, clusters and fpc for the respondents, with the
# adjusted weights taken as given (R: svydesign on the respondents with those weights).
#
# Run:  Rscript tests/reference/nonresponse.R > tests/reference/nonresponse.csv
# Data: design_data.csv (see make_design_data.py); respondents: every row but each fifth.
# Output lines: case,estimator,domain,quantity,value
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.lonely.psu = "certainty")
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
dat <- read.csv(file.path(here, "design_data.csv"), stringsAsFactors = TRUE)
fmt <- function(v) sprintf("%.17g", v)
out <- function(case, estimator, domain, quantity, value) {
  cat(case, estimator, domain, quantity, fmt(value), sep = ","); cat("\n")
}
cat("case,estimator,domain,quantity,value\n")

responded <- (seq_len(nrow(dat)) %% 5) != 0
sample_sum <- tapply(dat$weight, dat$g, sum)
respondent_sum <- tapply(dat$weight[responded], dat$g[responded], sum)
factor <- sample_sum / respondent_sum
resp <- dat[responded, ]
resp$adjusted <- resp$weight * factor[as.character(resp$g)]
for (i in c(1, 2, 50, 120, nrow(resp))) out("nonresponse", "weight", i, "value", resp$adjusted[i])
out("nonresponse", "weight", "sum", "value", sum(resp$adjusted))

for (case in c("plain", "fpc")) {
  d <- if (case == "plain") {
    svydesign(ids = ~cluster, strata = ~stratum, weights = ~adjusted, data = resp)
  } else {
    svydesign(ids = ~cluster, strata = ~stratum, fpc = ~fpc, weights = ~adjusted, data = resp)
  }
  m <- svymean(~y, d); out(case, "mean", "", "estimate", coef(m)); out(case, "mean", "", "se", SE(m))
  t <- svytotal(~y, d); out(case, "total", "", "estimate", coef(t)); out(case, "total", "", "se", SE(t))
  bm <- svyby(~y, ~g, d, svymean)
  for (i in seq_len(nrow(bm))) {
    out(case, "mean", as.character(bm$g[i]), "estimate", coef(bm)[i])
    out(case, "mean", as.character(bm$g[i]), "se", SE(bm)[i])
  }
}
