# Reference values for the integrity and policy indicators and for change between waves.
#
# Run:  Rscript tests/reference/policy.R > tests/reference/policy.csv
# Data: organisations.csv, violations.csv (make_organisation_data.py) and the monitor's
# respondents (make_monitor_data.py). The maturity score is computed here from its published
# definition (weights typed in below), independently of the Python code.
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.lonely.psu = "fail")
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
o <- read.csv(file.path(here, "organisations.csv"), check.names = FALSE)
v <- read.csv(file.path(here, "violations.csv"), check.names = FALSE)
fmt <- function(x) sprintf("%.17g", x)
out <- function(indicator, domain, quantity, value) {
  cat(indicator, domain, quantity, fmt(value), sep = ","); cat("\n")
}

integrity <- c(gedragscode = 2, `eed-belofte` = 2, `kwetsbare-functies` = 2, nevenwerkzaamheden = 2,
               `financiele-belangen` = 2, meldprocedure = 2, vertrouwenspersoon = 1.5,
               `registratie-schendingen` = 1.5, integriteitsbeleid = 1, risicoanalyse = 1,
               functiescheiding = 1, vog = 1, `training-integriteit` = 1)
aggression <- c(`norm-gecommuniceerd` = 2, `registratie-incidenten` = 2, `aangifte-werkgever` = 2,
                nazorg = 2, agressiebeleid = 1, `training-agressie` = 1, schadeverhaal = 1)
score <- function(w) 100 * as.matrix(o[, paste0("measure:", names(w))]) %*% w / sum(w)
o$integrity <- as.vector(score(integrity))
o$aggression <- as.vector(score(aggression))
o$separation <- o[["measure:functiescheiding"]]
o$adviser <- o[["measure:vertrouwenspersoon"]]

d <- svydesign(ids = ~1, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = o)
cat("indicator,domain,quantity,value\n")
for (name in c("separation", "adviser")) {
  p <- svyciprop(as.formula(paste0("~", name)), d, method = "logit")
  out(paste0("coverage_", name), "", "estimate", coef(p)); out(paste0("coverage_", name), "", "se", SE(p))
  ci <- attr(p, "ci"); out(paste0("coverage_", name), "", "low", ci[1]); out(paste0("coverage_", name), "", "high", ci[2])
  b <- svyby(as.formula(paste0("~", name)), ~layer, d, svymean)
  for (i in seq_len(nrow(b))) {
    out(paste0("coverage_", name), b$layer[i], "estimate", coef(b)[i]); out(paste0("coverage_", name), b$layer[i], "se", SE(b)[i])
  }
}
for (name in c("integrity", "aggression")) {
  m <- svymean(as.formula(paste0("~", name)), d)
  out(paste0("maturity_", name), "", "estimate", coef(m)); out(paste0("maturity_", name), "", "se", SE(m))
  b <- svyby(as.formula(paste0("~", name)), ~wave + layer, d, svymean)
  for (i in seq_len(nrow(b))) {
    lab <- paste(b$wave[i], b$layer[i], sep = ":")
    out(paste0("maturity_", name), lab, "estimate", coef(b)[i]); out(paste0("maturity_", name), lab, "se", SE(b)[i])
  }
  bw <- svyby(as.formula(paste0("~", name)), ~wave, d, svymean, covmat = TRUE)
  k <- svycontrast(bw, c(`2014` = -1, `2016` = 1))
  out(paste0("change_", name), "", "estimate", coef(k)); out(paste0("change_", name), "", "se", SE(k))
  bl <- svyby(as.formula(paste0("~", name)), ~wave + layer, d, svymean, covmat = TRUE)
  for (layer in c("rijk", "provincie", "gemeente", "waterschap")) {
    contrast <- setNames(rep(0, nrow(bl)), rownames(bl))
    contrast[paste0("2014.", layer)] <- -1; contrast[paste0("2016.", layer)] <- 1
    k <- svycontrast(bl, contrast)
    out(paste0("change_", name), layer, "estimate", coef(k)); out(paste0("change_", name), layer, "se", SE(k))
  }
}
# Cronbach's alpha of the integrity items, unweighted and with the survey weights
items <- as.matrix(o[, paste0("measure:", names(integrity))])
alpha <- function(x, w) {
  w <- w / sum(w)
  wvar <- function(z) sum(w * (z - sum(w * z))^2)
  k <- ncol(x)
  k / (k - 1) * (1 - sum(apply(x, 2, wvar)) / wvar(rowSums(x)))
}
out("alpha_integrity", "", "unweighted", alpha(items, rep(1, nrow(items))))
out("alpha_integrity", "", "weighted", alpha(items, o$weight))
# registered violations per 1,000 employees by layer (all waves): Garwood via poisson.test
for (layer in c("rijk", "provincie", "gemeente", "waterschap")) {
  ids <- paste(o$id, o$wave)[o$layer == layer]
  x <- sum(paste(v$organisation_id, v$wave) %in% ids)
  t <- sum(o$employees[o$layer == layer]) / 1000
  ci <- poisson.test(x, t)$conf.int
  out("violation_rate", layer, "events", x); out("violation_rate", layer, "estimate", x / t)
  out("violation_rate", layer, "low", ci[1]); out("violation_rate", layer, "high", ci[2])
}

# change of victimisation between waves on the respondent survey
r <- read.csv(file.path(here, "monitor_respondents.csv"), check.names = FALSE)
counts <- as.matrix(r[, grep("^incidents:", names(r))])
r$victim <- as.numeric(rowSums(counts) > 0)
dr <- svydesign(ids = ~cluster, strata = ~stratum, fpc = ~fpc, weights = ~weight, data = r)
bw <- svyby(~victim, ~wave, dr, svymean, covmat = TRUE)
k <- svycontrast(bw, c(`2014` = -1, `2016` = 1))
out("change_victimisation", "", "estimate", coef(k)); out("change_victimisation", "", "se", SE(k))
bo <- svyby(~victim, ~wave + office, dr, svymean, covmat = TRUE)
for (office in c("burgemeester", "raadslid", "wethouder")) {
  contrast <- setNames(rep(0, nrow(bo)), rownames(bo))
  contrast[paste0("2014.", office)] <- -1; contrast[paste0("2016.", office)] <- 1
  k <- svycontrast(bo, contrast)
  out("change_victimisation", office, "estimate", coef(k)); out("change_victimisation", office, "se", SE(k))
}

# multiplicity adjustment as R's p.adjust
p <- c(0.01, 0.04, 0.03, 0.2, 0.005, 0.5)
for (method in c("holm", "bonferroni", "BH")) {
  adjusted <- p.adjust(p, method)
  for (i in seq_along(p)) out(paste0("p_adjust_", method), i, "value", adjusted[i])
}
