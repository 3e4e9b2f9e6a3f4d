# Reference values for vpt_monitor.stats.chisq_test and t_test, from R survey's svychisq
# (statistics "F", "Chisq", "Wald", "adjWald") and svyttest.
#
# Run:  Rscript tests/reference/hypothesis_tests.R > tests/reference/hypothesis_tests.csv
# Data: design_data.csv (make_design_data.py).
# Output lines: design,test,item,quantity,value.
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.replicates.mse = FALSE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
dat <- read.csv(file.path(here, "design_data.csv"), stringsAsFactors = TRUE)
# svyglm (inside svyttest) on a replicate design evaluates its own call among the data's
# columns, so a column named "g" hides it (survey 4.1): the domain variable is "grp" here
names(dat)[names(dat) == "g"] <- "grp"
dat$band <- factor(ifelse(dat$y < 9, "low", ifelse(dat$y < 12, "mid", "high")), levels = c("high", "low", "mid"))
dat$bf <- factor(dat$b)
dat$yc <- dat$y - 10
dat$row <- seq_len(nrow(dat))
dat$fpc2 <- ave(dat$cluster, dat$cluster, FUN = length) * 3

fmt <- function(v) sprintf("%.17g", v)
out <- function(design, test, item, quantity, value) {
  cat(design, test, item, quantity, fmt(value), sep = ","); cat("\n")
}

cat("design,test,item,quantity,value\n")
options(survey.lonely.psu = "certainty")
fpc <- svydesign(ids = ~cluster, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = dat)
designs <- list(
  fpc = list(lonely = "certainty", d = fpc),
  adjust = list(lonely = "adjust", d = svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat)),
  two_stage = list(lonely = "certainty", d = svydesign(ids = ~cluster + row, strata = ~stratum, fpc = ~fpc + fpc2, weights = ~weight, data = dat)),
  poststrat = list(lonely = "certainty", d = postStratify(
    svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = dat),
    ~g2, data.frame(g2 = c("x", "y"), Freq = c(30000, 50000)))),
  subset = list(lonely = "certainty", d = subset(fpc, grp != "d")),
  jkn = list(lonely = "certainty", d = as.svrepdesign(fpc, type = "JKn")),
  jk1 = list(lonely = "certainty", d = as.svrepdesign(svydesign(ids = ~cluster, weights = ~weight, data = dat), type = "JK1"))
)
tables <- list(g_g2 = ~grp + g2, g_band = ~grp + band, band_bf = ~band + bf)
statistics <- c(F = "F", Chisq = "Chisq", Wald = "Wald", adjWald = "adjWald")
for (dname in names(designs)) {
  options(survey.lonely.psu = designs[[dname]]$lonely)
  d <- designs[[dname]]$d
  # without the empty level of the subset (R's svytable would keep it and give NaN)
  if (dname == "subset") d$variables$grp <- droplevels(d$variables$grp)
  for (tname in names(tables)) {
    for (s in names(statistics)) {
      x <- svychisq(tables[[tname]], d, statistic = statistics[[s]])
      item <- paste(tname, s, sep = ":")
      out(dname, "chisq", item, "statistic", x$statistic)
      for (k in seq_along(x$parameter)) out(dname, "chisq", item, names(x$parameter)[k], x$parameter[k])
      out(dname, "chisq", item, "p", x$p.value)
    }
  }
  for (f in c("y ~ g2", "y ~ b", "yc ~ 0")) {
    t <- svyttest(as.formula(f), d)
    out(dname, "ttest", f, "statistic", t$statistic)
    out(dname, "ttest", f, "df", t$parameter)
    out(dname, "ttest", f, "estimate", t$estimate)
    out(dname, "ttest", f, "p", t$p.value)
    out(dname, "ttest", f, "low", t$conf.int[1]); out(dname, "ttest", f, "high", t$conf.int[2])
  }
}
