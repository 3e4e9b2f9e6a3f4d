# Reference values for the organisation survey (policy coverage, maturity, Cronbach's alpha,
# registered violations) and for change between waves, from R survey, one wave at a time.
#
# Run:  Rscript tests/reference/policy.R > tests/reference/policy.csv
# Data: organisations.csv and violations.csv (make_organisation_data.py).
#
# Independent of the Python code: the maturity schemes are typed in from their published
# definition (the weights below), violations are counted per organisation here, and an
# empty cell is NA: a score with an unanswered item is NA (R's own NA arithmetic), and every
# estimate is made on subset(design, <domain> & !is.na(y)).
#
# The design: waves are independent samples whose stratum labels are reused, so the strata
# are the pairs (wave, stratum) and the fpc is that wave's population of organisations:
#   svydesign(ids = ~1, strata = ~stratum_w, fpc = ~fpc, weights = ~weight)
#
# Output: indicator,domain,quantity,value as monitor.R (domains "<wave>" and
# "<wave>:<layer>"; estimate, se, df, n, low, high, missing, not_measured).
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.lonely.psu = "fail")
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
o <- read.csv(file.path(here, "organisations.csv"), check.names = FALSE, na.strings = "",
              stringsAsFactors = FALSE)
v <- read.csv(file.path(here, "violations.csv"), check.names = FALSE, na.strings = "",
              stringsAsFactors = FALSE)
fmt <- function(x) sprintf("%.17g", x)
out <- function(indicator, domain, quantity, value) {
  cat(indicator, domain, quantity, fmt(value), sep = ","); cat("\n")
}
waves <- c(2014, 2016)
layers <- c("rijk", "provincie", "gemeente", "waterschap")

# ---- derived variables ---------------------------------------------------------------------

measures <- c("integriteitsbeleid", "gedragscode", "eed-belofte", "kwetsbare-functies",
              "risicoanalyse", "functiescheiding", "vog", "nevenwerkzaamheden",
              "financiele-belangen", "vertrouwenspersoon", "meldprocedure",
              "registratie-schendingen", "training-integriteit", "agressiebeleid",
              "norm-gecommuniceerd", "registratie-incidenten", "aangifte-werkgever", "nazorg",
              "training-agressie", "schadeverhaal")
integrity <- c(gedragscode = 2, `eed-belofte` = 2, `kwetsbare-functies` = 2, nevenwerkzaamheden = 2,
               `financiele-belangen` = 2, meldprocedure = 2, vertrouwenspersoon = 1.5,
               `registratie-schendingen` = 1.5, integriteitsbeleid = 1, risicoanalyse = 1,
               functiescheiding = 1, vog = 1, `training-integriteit` = 1)
aggression <- c(`norm-gecommuniceerd` = 2, `registratie-incidenten` = 2, `aangifte-werkgever` = 2,
                nazorg = 2, agressiebeleid = 1, `training-agressie` = 1, schadeverhaal = 1)
schemes <- list(integrity = integrity, aggression = aggression)
items <- function(w) as.matrix(o[, paste0("measure:", names(w))])
for (name in names(schemes)) {
  w <- schemes[[name]]
  o[[paste0("score_", name)]] <- as.vector(100 * items(w) %*% w / sum(w))  # NA if any item is
}
for (m in measures) o[[paste0("m_", m)]] <- o[[paste0("measure:", m)]]
key <- paste(o$wave, o$id)
o$viol <- as.numeric(table(factor(paste(v$wave, v$organisation_id), levels = key)))
confirmed <- v$status == "vastgesteld"
o$viol_confirmed <- as.numeric(table(factor(paste(v$wave, v$organisation_id)[confirmed],
                                            levels = key)))
o$emp_k <- o$employees / 1000  # rates per 1,000 employees
o$stratum_w <- paste(o$wave, o$stratum)
d <- svydesign(ids = ~1, strata = ~stratum_w, fpc = ~fpc, weights = ~weight, data = o)

# ---- estimates per wave and domain ---------------------------------------------------------

# svyciprop(method = "logit") with the glm converged to 1e-12 (see monitor.R)
logit_ci <- function(y, sub, df) {
  m <- svyglm(as.formula(paste0("`", y, "` ~ 1")), sub, family = quasibinomial,
              control = glm.control(epsilon = 1e-12, maxit = 50))
  ci <- as.numeric(plogis(confint(m, 1, level = 0.95, method = "Wald", ddf = df)))
  loose <- attr(svyciprop(as.formula(paste0("~`", y, "`")), sub, method = "logit"), "ci")
  stopifnot(all(abs(ci / loose - 1) < 1e-6))
  ci
}

one_domain <- function(key, label, kind, y, rows, x = NULL) {
  if (!any(rows)) return(invisible())
  answered <- rows & !is.na(o[[y]])
  out(key, label, "missing", sum(rows & !answered))
  if (!any(answered)) { out(key, label, "not_measured", 1); return(invisible()) }
  sub <- d[answered, ]
  df <- degf(sub)
  if (kind == "ratio") {
    e <- svyratio(as.formula(paste0("~`", y, "`")), as.formula(paste0("~`", x, "`")), sub)
  } else {
    e <- svymean(as.formula(paste0("~`", y, "`")), sub)
  }
  value <- coef(e)[[1]]; se <- SE(e)[[1]]
  out(key, label, "estimate", value); out(key, label, "se", se)
  out(key, label, "df", df); out(key, label, "n", sum(answered))
  if (df < 1) return(invisible())
  if (kind == "prop") {
    if (value > 1e-12 && value < 1 - 1e-12) {  # a share of 0 or 1 has no logit interval
      ci <- logit_ci(y, sub, df)
      out(key, label, "low", ci[[1]]); out(key, label, "high", ci[[2]])
    }
  } else {
    q <- qt(0.975, df)
    out(key, label, "low", value - q * se); out(key, label, "high", value + q * se)
  }
}

domains <- function(key, kind, y, x = NULL) {
  for (w in waves) {
    one_domain(key, w, kind, y, o$wave == w, x)
    for (layer in layers) one_domain(key, paste(w, layer, sep = ":"), kind, y,
                                     o$wave == w & o$layer == layer, x)
  }
}

cat("indicator,domain,quantity,value\n")
for (w in waves) out("design_df", w, "df", degf(subset(d, wave == w)))
out("design_df", "", "df", degf(d))
for (m in measures) domains(paste0("coverage_", m), "prop", paste0("m_", m))
for (name in names(schemes)) domains(paste0("maturity_", name), "mean", paste0("score_", name))
domains("violation_rate", "ratio", "viol", x = "emp_k")
domains("violation_rate_confirmed", "ratio", "viol_confirmed", x = "emp_k")

# Cronbach's alpha per wave over the organisations that answered every item of the scheme,
# from R's own (weighted) covariance matrix: k / (k - 1) * (1 - trace(S) / sum(S))
alpha <- function(x, weights) {
  s <- cov.wt(x, wt = weights / sum(weights))$cov
  k <- ncol(x)
  k / (k - 1) * (1 - sum(diag(s)) / sum(s))
}
for (name in names(schemes)) for (w in waves) {
  x <- items(schemes[[name]])
  keep <- o$wave == w & complete.cases(x)
  out(paste0("alpha_", name), w, "unweighted", alpha(x[keep, ], rep(1, sum(keep))))
  out(paste0("alpha_", name), w, "weighted", alpha(x[keep, ], o$weight[keep]))
}

# registered violations as Poisson counts over the organisations in the data (Garwood)
poisson_rate <- function(key, count, label, rows) {
  x <- sum(o[[count]][rows]); exposure <- sum(o$emp_k[rows])
  ci <- poisson.test(x, exposure)$conf.int
  out(key, label, "events", x); out(key, label, "exposure", exposure)
  out(key, label, "estimate", x / exposure)
  out(key, label, "low", ci[[1]]); out(key, label, "high", ci[[2]])
}
for (w in waves) {
  poisson_rate("violation_poisson", "viol", w, o$wave == w)
  poisson_rate("violation_poisson_confirmed", "viol_confirmed", w, o$wave == w)
  for (layer in layers) poisson_rate("violation_poisson", "viol", paste(w, layer, sep = ":"),
                                     o$wave == w & o$layer == layer)
}

# ---- change between the waves: svycontrast on svyby(..., covmat = TRUE) ----------------

contrast_out <- function(key, label, b, names, part) {
  contrast <- setNames(rep(0, nrow(b)), rownames(b))
  contrast[names] <- c(-1, 1)
  k <- svycontrast(b, contrast)
  out(key, label, "estimate", coef(k)[[1]]); out(key, label, "se", SE(k)[[1]])
  # degrees of freedom of the comparison: PSUs minus strata among the rows of both domains
  out(key, label, "df", degf(part))
}
change <- function(key, y, fun = svymean, ...) {
  keep <- !is.na(o[[y]])
  sub <- d[keep, ]
  formula <- as.formula(paste0("~`", y, "`"))
  b <- svyby(formula, ~wave, sub, fun, covmat = TRUE, ...)
  contrast_out(key, "", b, c("2014", "2016"), sub)
  bl <- svyby(formula, ~wave + layer, sub, fun, covmat = TRUE, ...)
  for (layer in layers) contrast_out(key, layer, bl, paste0(waves, ".", layer),
                                     sub[o$layer[keep] == layer, ])
}
for (name in names(schemes)) change(paste0("change_maturity_", name), paste0("score_", name))
change("change_coverage_functiescheiding", "m_functiescheiding")
change("change_violation_rate", "viol", svyratio, denominator = ~emp_k)

# multiplicity adjustment as R's p.adjust
p <- c(0.01, 0.04, 0.03, 0.2, 0.005, 0.5)
for (method in c("holm", "bonferroni", "BH")) {
  adjusted <- p.adjust(p, method)
  for (i in seq_along(p)) out(paste0("p_adjust_", method), i, "value", adjusted[i])
}
