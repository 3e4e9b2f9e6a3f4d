# Reference values for the monitor's aggression indicators, from R survey.
#
# Run:  Rscript tests/reference/monitor.R > tests/reference/monitor.csv
# Data: monitor_respondents.csv and monitor_incidents.csv (make_monitor_data.py). Every
# derived variable (victim, capped counts, reported incidents per respondent) is computed
# here from the raw columns, independently of the Python code.
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.lonely.psu = "fail")
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
r <- read.csv(file.path(here, "monitor_respondents.csv"), check.names = FALSE)
inc <- read.csv(file.path(here, "monitor_incidents.csv"), check.names = FALSE)

forms <- c("verbaal", "bedreiging", "fysiek", "discriminatie", "seksueel")
counts <- as.matrix(r[, paste0("incidents:", forms)])
r$victim <- as.numeric(rowSums(counts) > 0)
r$threat <- as.numeric(counts[, "incidents:bedreiging"] > 0)
r$social <- as.numeric(r$victim == 1 & r[["channel:sociale-media"]] == 1)
r$total <- rowSums(counts)
r$capped10 <- rowSums(pmin(counts, 10))
r$adverse <- as.numeric(r[["consequence:minder-werkplezier"]] == 1 | r[["consequence:psychische-klachten"]] == 1 |
                        r[["consequence:gedrag-aangepast"]] == 1)
r$influence <- r[["consequence:besluitvorming-beinvloed"]]
r$political <- as.numeric(r$office != "ambtenaar")
r$aftercare_known <- as.numeric(!is.na(r$aftercare))
r$aftercare_yes <- ifelse(is.na(r$aftercare), 0, r$aftercare)
known <- inc[!is.na(inc$reported_internally), ]
r$answered <- as.numeric(table(factor(known$respondent_id, levels = r$id)))
r$reported <- as.numeric(tapply(known$reported_internally, factor(known$respondent_id, levels = r$id), sum))
r$reported[is.na(r$reported)] <- 0
r$reported_any <- as.numeric(r$reported > 0)
kp <- inc[!is.na(inc$police_report), ]
r$answered_p <- as.numeric(table(factor(kp$respondent_id, levels = r$id)))
r$reported_p <- as.numeric(tapply(kp$police_report, factor(kp$respondent_id, levels = r$id), sum))
r$reported_p[is.na(r$reported_p)] <- 0

d <- svydesign(ids = ~cluster, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = r)
fmt <- function(v) sprintf("%.17g", v)
out <- function(indicator, domain, quantity, value) {
  cat(indicator, domain, quantity, fmt(value), sep = ","); cat("\n")
}
prop_ci <- function(name, formula, design, domain = "") {
  p <- svyciprop(formula, design, method = "logit")
  out(name, domain, "estimate", coef(p)); out(name, domain, "se", SE(p))
  ci <- attr(p, "ci"); out(name, domain, "low", ci[1]); out(name, domain, "high", ci[2])
}
by_table <- function(name, formula, byvar, design, fun = svymean, ...) {
  b <- svyby(formula, byvar, design, fun, ...)
  labels <- apply(b[, all.vars(byvar), drop = FALSE], 1, paste, collapse = ":")
  for (i in seq_len(nrow(b))) {
    out(name, labels[i], "estimate", coef(b)[i]); out(name, labels[i], "se", SE(b)[i])
  }
}

cat("indicator,domain,quantity,value\n")
prop_ci("victimisation", ~victim, d)
prop_ci("victimisation_threat", ~threat, d)
prop_ci("victimisation_social", ~social, d)
by_table("victimisation", ~victim, ~wave, d)
by_table("victimisation", ~victim, ~office, d)
by_table("victimisation", ~victim, ~wave + office, d)
for (w in c(2014, 2016)) prop_ci("victimisation", ~victim, subset(d, wave == w), domain = w)
m <- svymean(~total, d); out("incidence", "", "estimate", coef(m)); out("incidence", "", "se", SE(m))
m <- svymean(~capped10, d); out("incidence_cap10", "", "estimate", coef(m)); out("incidence_cap10", "", "se", SE(m))
by_table("incidence_cap10", ~capped10, ~wave, d)
out("incidence_cap10", "", "capped_respondents", sum(apply(counts > 10, 1, any)))
out("incidence_cap10", "", "incidents_removed", sum(counts - pmin(counts, 10)))
ds <- subset(d, answered > 0)
k <- svyratio(~reported, ~answered, ds); out("reporting_incident", "", "estimate", coef(k)); out("reporting_incident", "", "se", SE(k))
by_table("reporting_incident", ~reported, ~wave, ds, svyratio, denominator = ~answered)
prop_ci("reporting_victim", ~reported_any, ds)
dp <- subset(d, answered_p > 0)
k <- svyratio(~reported_p, ~answered_p, dp); out("reporting_police", "", "estimate", coef(k)); out("reporting_police", "", "se", SE(k))
dv <- subset(d, victim == 1)
prop_ci("consequence_adverse", ~adverse, dv)
by_table("consequence_adverse", ~adverse, ~wave, dv)
prop_ci("aftercare", ~aftercare_yes, subset(d, victim == 1 & aftercare_known == 1))
prop_ci("decision_influence", ~influence, subset(d, political == 1))
by_table("decision_influence", ~influence, ~wave, subset(d, political == 1))
