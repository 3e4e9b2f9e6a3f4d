# Reference values for the frame path of vpt_monitor.stats, from R survey: designs whose data
# stay inside them (svydesign(data=)), replicate weights supplied with the data
# (svrepdesign), estimation on subsets (subset(design, ...)) and with missing values
# (na.rm=TRUE).
#
# Run:  Rscript tests/reference/frames.R > tests/reference/frames.csv
# Data: frames_data.csv (written by make_frames_data.py). Output lines:
#       design,estimator,domain,quantity,value
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.replicates.mse = FALSE, survey.lonely.psu = "fail")
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
dat <- read.csv(file.path(here, "frames_data.csv"), stringsAsFactors = TRUE, na.strings = "")

fmt <- function(v) sprintf("%.17g", v)
out <- function(design, estimator, domain, quantity, value) {
  cat(design, estimator, domain, quantity, fmt(value), sep = ","); cat("\n")
}
pair <- function(name, estimator, domain, est) {
  out(name, estimator, domain, "estimate", coef(est)); out(name, estimator, domain, "se", SE(est))
}
# whole sample and by g: mean, total, ratio, proportion; the domain covariance of the means
report <- function(name, d, y = "y", x = "x", b = "b", na.rm = FALSE) {
  out(name, "design", "", "df", degf(d))
  fy <- as.formula(paste0("~", y)); fx <- as.formula(paste0("~", x)); fb <- as.formula(paste0("~", b))
  pair(name, "mean", "", svymean(fy, d, na.rm = na.rm))
  pair(name, "total", "", svytotal(fy, d, na.rm = na.rm))
  pair(name, "ratio", "", svyratio(fy, fx, d, na.rm = na.rm))
  pair(name, "proportion", "", svymean(fb, d, na.rm = na.rm))
  # (svyby's covmat=TRUE fails with na.rm=TRUE in R survey 4.1: take the covariance from
  # the subset of rows with a value, which is what na.rm=TRUE estimates on)
  bm <- svyby(fy, ~g, d, svymean, na.rm = na.rm, covmat = !na.rm)
  if (na.rm) bm_cov <- vcov(svyby(fy, ~g, d[!is.na(d$variables[[y]]), ], svymean, covmat = TRUE)) else bm_cov <- vcov(bm)
  bt <- svyby(fy, ~g, d, svytotal, na.rm = na.rm)
  br <- svyby(fy, ~g, d, svyratio, denominator = fx, na.rm = na.rm)
  bp <- svyby(fb, ~g, d, svymean, na.rm = na.rm)
  levs <- as.character(bm$g)
  for (i in seq_along(levs)) {
    out(name, "mean", levs[i], "estimate", coef(bm)[i]); out(name, "mean", levs[i], "se", SE(bm)[i])
    out(name, "total", levs[i], "estimate", coef(bt)[i]); out(name, "total", levs[i], "se", SE(bt)[i])
    out(name, "ratio", levs[i], "estimate", coef(br)[i]); out(name, "ratio", levs[i], "se", SE(br)[i])
    out(name, "proportion", levs[i], "estimate", coef(bp)[i]); out(name, "proportion", levs[i], "se", SE(bp)[i])
    for (j in seq_along(levs)) out(name, "mean_cov", paste(levs[i], levs[j], sep = ":"), "value", bm_cov[i, j])
  }
}
ciprop <- function(name, b, d) {
  for (meth in c("logit", "beta")) {
    ci <- attr(svyciprop(as.formula(paste0("~", b)), d, method = meth), "ci")
    out(name, paste0("proportion_", meth), "", "low", ci[1]); out(name, paste0("proportion_", meth), "", "high", ci[2])
  }
}

cat("design,estimator,domain,quantity,value\n")

# the Taylor design, its data inside it
d <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat)
report("taylor", d)
ciprop("taylor", "b", d)

# missing values: na.rm=TRUE leaves the rows out as a domain
report("taylor_na", d, y = "y_na", x = "x_na", b = "b_na", na.rm = TRUE)
out("taylor_na", "df_answered", "y_na", "value", degf(subset(d, !is.na(y_na))))
ciprop("taylor_na", "b_na", subset(d, !is.na(b_na)))

# subsets keep the whole design for the variance
ds <- subset(d, g == "a")
out("subset_a", "design", "", "df", degf(ds))
pair("subset_a", "mean", "", svymean(~y, ds))
pair("subset_a", "total", "", svytotal(~y, ds))
pair("subset_a", "ratio", "", svyratio(~y, ~x, ds))
pair("subset_a", "proportion", "", svymean(~b, ds))
ciprop("subset_a", "b", ds)
bm <- svyby(~y, ~g2, ds, svymean, covmat = TRUE)
for (i in 1:2) {
  lev <- as.character(bm$g2[i])
  out("subset_a", "mean", lev, "estimate", coef(bm)[i]); out("subset_a", "mean", lev, "se", SE(bm)[i])
  for (j in 1:2) out("subset_a", "mean_cov", paste(lev, as.character(bm$g2[j]), sep = ":"), "value", vcov(bm)[i, j])
}
ds2 <- subset(d, stratum %in% c("s1", "s2") & g2 == "x")
out("subset_s12x", "design", "", "df", degf(ds2))
pair("subset_s12x", "mean", "", svymean(~y, ds2))
pair("subset_s12x", "proportion", "", svymean(~b, ds2))
ciprop("subset_s12x", "b", ds2)

# replicate weights supplied with the data
cols <- function(prefix) grep(paste0("^", prefix, "_[0-9]+$"), names(dat), value = TRUE)
n_h <- table(dat$stratum[!duplicated(dat$cluster)])
stratum_of_cluster <- as.character(dat$stratum[match(1:48, dat$cluster)])
jkn_rscales <- as.numeric((n_h[stratum_of_cluster] - 1) / n_h[stratum_of_cluster])
reps <- list(
  jk1 = svrepdesign(data = dat, repweights = "jk1_[0-9]+", type = "JK1", weights = ~weight, scale = 47 / 48),
  jkn = svrepdesign(data = dat, repweights = "jkn_[0-9]+", type = "JKn", weights = ~weight, rscales = jkn_rscales),
  jkn_mse = svrepdesign(data = dat, repweights = "jkn_[0-9]+", type = "JKn", weights = ~weight, rscales = jkn_rscales, mse = TRUE),
  brr = svrepdesign(data = dat, repweights = "brr_[0-9]+", type = "BRR", weights = ~weight),
  fay = svrepdesign(data = dat, repweights = "fay_[0-9]+", type = "Fay", rho = 0.3, weights = ~weight),
  bootstrap = svrepdesign(data = dat, repweights = "boot_[0-9]+", type = "bootstrap", weights = ~weight),
  sdr = svrepdesign(data = dat, repweights = "boot_[0-9]+", type = "successive-difference", weights = ~weight),
  other = svrepdesign(data = dat, repweights = "boot_[0-9]+", type = "other", weights = ~weight,
                      scale = 0.05, rscales = seq(0.5, 1.5, length.out = 30)),
  jk1_factors = svrepdesign(data = dat, repweights = dat[, cols("jk1")] / dat$weight, type = "JK1",
                            weights = ~weight, scale = 47 / 48, combined.weights = FALSE)
)
for (name in names(reps)) report(name, reps[[name]])
report("jkn_na", reps$jkn, y = "y_na", x = "x_na", b = "b_na", na.rm = TRUE)
rs <- subset(reps$jkn, g == "a")
out("jkn_subset_a", "design", "", "df", degf(rs))
pair("jkn_subset_a", "mean", "", svymean(~y, rs))
pair("jkn_subset_a", "ratio", "", svyratio(~y, ~x, rs))
rs2 <- subset(reps$jkn, stratum %in% c("s1", "s2"))
out("jkn_subset_s12", "design", "", "df", degf(rs2))
pair("jkn_subset_s12", "mean", "", svymean(~y, rs2))
