# Reference values for contrasts of domains in vpt_monitor.stats: degrees of freedom of the
# domains involved, and nonlinear contrasts by the delta method, from R survey.
#
# Run:  Rscript tests/reference/contrasts.R > tests/reference/contrasts.csv
# Data: panel_data.csv (make_panel_data.py), a panel of organisations surveyed in several
#       waves with the same cluster labels, and design_data.csv (make_design_data.py).
# Output lines: design,estimator,domain,quantity,value
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.replicates.mse = FALSE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))

fmt <- function(v) sprintf("%.17g", v)
out <- function(design, estimator, domain, quantity, value) {
  cat(design, estimator, domain, quantity, fmt(value), sep = ","); cat("\n")
}
bq <- function(label) as.name(label)  # a domain label as a name for svycontrast

cat("design,estimator,domain,quantity,value\n")

# ---- the panel ------------------------------------------------------------------------
options(survey.lonely.psu = "fail")
panel <- read.csv(file.path(here, "panel_data.csv"))
d <- svydesign(ids = ~org, strata = ~layer, fpc = ~fpc, weights = ~weight, data = panel)
out("panel", "design", "", "df", degf(d))
for (variable in c("victim", "score")) {
  f <- as.formula(paste0("~", variable))
  p <- svyby(f, ~wave, d, svymean, covmat = TRUE)
  waves <- as.character(p$wave)
  for (i in seq_along(waves)) {
    out("panel", variable, waves[i], "estimate", coef(p)[i])
    out("panel", variable, waves[i], "se", SE(p)[i])
    for (j in seq_along(waves)) out("panel", paste0(variable, "_cov"), paste(waves[i], waves[j], sep = ":"), "value", vcov(p)[i, j])
  }
  for (pair in list(c("2014", "2016"), c("2012", "2014"), c("2012", "2016"))) {
    a <- pair[1]; b <- pair[2]; key <- paste(b, a, sep = "-")
    sub_df <- degf(subset(d, wave %in% as.integer(pair)))
    out("panel", "df", key, "value", sub_df)
    k <- svycontrast(p, setNames(c(1, -1), c(b, a)))
    out("panel", paste0(variable, "_difference"), key, "estimate", coef(k))
    out("panel", paste0(variable, "_difference"), key, "se", SE(k))
    k <- svycontrast(p, bquote(.(bq(b)) / .(bq(a))))
    out("panel", paste0(variable, "_ratio"), key, "estimate", coef(k))
    out("panel", paste0(variable, "_ratio"), key, "se", SE(k))
    # the interval of the ratio on the log scale: exp of the t interval of log(b / a)
    k <- svycontrast(p, bquote(log(.(bq(b)) / .(bq(a)))))
    ci <- exp(confint(k, df = sub_df))
    out("panel", paste0(variable, "_ratio_log_ci"), key, "low", ci[1])
    out("panel", paste0(variable, "_ratio_log_ci"), key, "high", ci[2])
    if (variable == "victim") {
      k <- svycontrast(p, bquote(log((.(bq(b)) / (1 - .(bq(b)))) / (.(bq(a)) / (1 - .(bq(a)))))))
      out("panel", "victim_log_odds_ratio", key, "estimate", coef(k))
      out("panel", "victim_log_odds_ratio", key, "se", SE(k))
    }
  }
}
# wave crossed with layer: a change within one layer, and its subset's df
p <- svyby(~victim, ~wave + layer, d, svymean, covmat = TRUE)
k <- svycontrast(p, c("2016.gemeente" = 1, "2014.gemeente" = -1))
out("panel", "victim_difference_gemeente", "2016-2014", "estimate", coef(k))
out("panel", "victim_difference_gemeente", "2016-2014", "se", SE(k))
out("panel", "df_gemeente", "2016-2014", "value", degf(subset(d, wave %in% c(2014, 2016) & layer == "gemeente")))
# by layer: the census layer "rijk" has no sampling variance
p <- svyby(~victim, ~layer, d, svymean)
for (i in seq_len(nrow(p))) {
  out("panel", "victim_by_layer", as.character(p$layer[i]), "estimate", coef(p)[i])
  out("panel", "victim_by_layer", as.character(p$layer[i]), "se", SE(p)[i])
}

# ---- design_data: pairs of domains ---------------------------------------------------
dat <- read.csv(file.path(here, "design_data.csv"), stringsAsFactors = TRUE)
# svycontrast evaluates an expression among the coefficients, and its derivative code calls
# c(): a domain named "c" breaks it, so the domains are renamed ga, gb, gc, gd for R
dat$gg <- factor(paste0("g", dat$g))
designs <- list(
  clus_certainty = list(lonely = "certainty", make = function() svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat)),
  fpc = list(lonely = "certainty", make = function() svydesign(ids = ~cluster, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = dat))
)
pairs <- list(c("a", "b"), c("a", "d"), c("b", "c"), c("c", "d"), c("a", "b", "c"))
for (name in names(designs)) {
  options(survey.lonely.psu = designs[[name]]$lonely)
  d <- designs[[name]]$make()
  for (pair in pairs) out(name, "df", paste(pair, collapse = "+"), "value", degf(subset(d, g %in% pair)))
  out(name, "df_crossed", "a.x+b.y", "value", degf(subset(d, (g == "a" & g2 == "x") | (g == "b" & g2 == "y"))))
  bp <- svyby(~b, ~gg, d, svymean, covmat = TRUE)
  k <- svycontrast(bp, quote(ga / gb))
  out(name, "proportion_ratio", "a/b", "estimate", coef(k)); out(name, "proportion_ratio", "a/b", "se", SE(k))
  k <- svycontrast(bp, quote(log((ga / (1 - ga)) / (gc / (1 - gc)))))
  out(name, "proportion_log_odds_ratio", "a:c", "estimate", coef(k)); out(name, "proportion_log_odds_ratio", "a:c", "se", SE(k))
  bm <- svyby(~y, ~gg, d, svymean, covmat = TRUE)
  k <- svycontrast(bm, quote(exp(ga - gb) * gc / gd))
  out(name, "mean_smooth", "exp(a-b)*c/d", "estimate", coef(k)); out(name, "mean_smooth", "exp(a-b)*c/d", "se", SE(k))
  jk <- as.svrepdesign(d, type = "JKn")
  bp <- svyby(~b, ~gg, jk, svymean, covmat = TRUE)
  k <- svycontrast(bp, quote(ga / gb))
  out(paste0(name, "_jkn"), "proportion_ratio", "a/b", "estimate", coef(k)); out(paste0(name, "_jkn"), "proportion_ratio", "a/b", "se", SE(k))
}
