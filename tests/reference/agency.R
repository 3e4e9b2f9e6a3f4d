# Reference values on an agency-shaped sample (agency_data.csv, make_agency_data.py) for the
# weighting steps beyond calibrate/rake, trend() and predictions of a glm, from R survey.
#
# Run:  Rscript tests/reference/agency.R > tests/reference/agency.csv
# Output lines: key,quantity,value (a numbered quantity is one element of a vector).
#
# The designs: waves are independent samples whose stratum and PSU labels are reused, so
# strata are wave x stratum and PSUs wave x stratum x psu; stratum A is a census of its PSUs
# (fpc = 3), stratum B has one PSU (survey.lonely.psu = "adjust"). "two" has the second
# stage (fpc2, people within PSUs), "one" only the first (calibration needs it).
# A share among those who answered is svyratio(~y0, ~a) on the full design, y0 the answer
# with NA as 0 and a the indicator of an answer: the domain estimator. (R 4.1's svymean on
# subset(<postStratify design>, !is.na(y)) returns NA with SE 0, and svyby(covmat = TRUE)
# stops on the domain of one row, so neither is used.)
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.lonely.psu = "adjust")
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
dat <- read.csv(file.path(here, "agency_data.csv"), stringsAsFactors = FALSE)
dat$sw <- paste(dat$wave, dat$stratum)
dat$pw <- paste(dat$wave, dat$stratum, dat$psu)
dat$cls <- factor(dat$cls, levels = c("a", "b", "c", "r"))
dat$y0 <- ifelse(is.na(dat$y), 0, dat$y)
dat$a <- as.numeric(!is.na(dat$y))
dat$inc0 <- ifelse(is.na(dat$incidents), 0, dat$incidents)
fmt <- function(v) sprintf("%.17g", v)
put <- function(key, q, v) for (i in seq_along(v)) {
  cat(key, paste0(q, if (length(v) > 1) i else ""), fmt(v[[i]]), sep = ","); cat("\n")
}
cat("key,quantity,value\n")

# share, total, incidents per respondent and the share in each domain (one, p, q)
est <- function(key, d) {
  m <- svyratio(~y0, ~a, d); put(key, "mean", coef(m)); put(key, "mean_se", SE(m))
  t <- svytotal(~y0, d); put(key, "total", coef(t)); put(key, "total_se", SE(t))
  r <- svyratio(~inc0, ~a, d); put(key, "ratio", coef(r)); put(key, "ratio_se", SE(r))
  b <- svyby(~y0, ~dom, d, svyratio, denominator = ~a)
  put(key, "dom", coef(b)); put(key, "dom_se", SE(b))
  put(key, "wsum", sum(weights(d)))
}
two <- svydesign(ids = ~pw + id, strata = ~sw, fpc = ~fpc + fpc2, weights = ~weight, data = dat,
                 nest = TRUE)
one <- svydesign(ids = ~pw, strata = ~sw, fpc = ~fpc, weights = ~weight, data = dat, nest = TRUE)
est("two_plain", two)
est("one_plain", one)
est("two_trim", trimWeights(two, upper = 60, lower = 8))
est("one_trim", trimWeights(one, upper = 60, lower = 8))
est("one_trim_upper", trimWeights(one, upper = 50))
ps <- postStratify(one, ~post, data.frame(post = c("m", "v"), Freq = c(3100, 2700)))
est("one_ps", ps)
est("one_ps_trim", trimWeights(ps, upper = 70, lower = 10))
population <- c(`(Intercept)` = 5900, postv = 2500, x = 36000)
for (f in c("linear", "raking", "logit")) {
  est(paste0("one_cal_", f), calibrate(one, ~post + x, population, calfun = f, bounds = c(0.6, 1.6)))
}

# trend(): the least-squares slope through the waves' shares, a contrast of svyby's
# covariance with centred waves (-2, 0, 2) / 8; its df are those of the waves it uses
cw <- c(-2, 0, 2) / 8
for (v in c("y0", "inc0")) {
  b <- svyby(as.formula(paste0("~", v)), ~wave, two, svyratio, denominator = ~a, covmat = TRUE)
  s <- svycontrast(b, cw)
  put(paste0("trend_", v), "slope", coef(s)); put(paste0("trend_", v), "se", SE(s))
}
put("trend", "df", degf(subset(two, wave != 2016)))
# svyglm of the answers on the wave (another estimand: waves weighted by their populations)
g <- svyglm(y ~ wave, subset(two, !is.na(y)))
put("trend_glm", "slope", coef(g)[2]); put("trend_glm", "se", SE(g)[2])

# a logistic model in 2018 with the rare category "r": predictions and predictive margins
d18 <- subset(one, wave == 2018 & !is.na(y))
tight <- glm.control(epsilon = 1e-14, maxit = 100)
m <- svyglm(y ~ cls + x, d18, family = quasibinomial(), control = tight)
put("glm", "coef", coef(m)); put("glm", "se", SE(m))
nd <- data.frame(cls = factor(c("a", "r", "c"), levels = levels(dat$cls)), x = c(2, 6, 10))
p <- predict(m, newdata = nd, type = "response", vcov = TRUE)
put("glm", "response", coef(p)); put("glm", "response_se", SE(p))
p <- predict(m, newdata = nd, type = "link")
put("glm", "link", coef(p)); put("glm", "link_se", SE(p))
# svypredmeans adds the group to the adjustment model; it orders the groups as they appear
pm <- svypredmeans(svyglm(y ~ x, d18, family = quasibinomial(), control = tight), ~cls)
o <- order(names(coef(pm)))
put("glm", "margin", coef(pm)[o]); put("glm", "margin_se", SE(pm)[o])
