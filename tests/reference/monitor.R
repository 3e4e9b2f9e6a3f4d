# Reference values for the monitor's aggression and integrity-perception indicators, from R
# survey, one wave at a time.
#
# Run:  Rscript tests/reference/monitor.R > tests/reference/monitor.csv
# Data: monitor_respondents.csv and monitor_incidents.csv (make_monitor_data.py).
#
# Independent of the Python code: every derived variable is computed here from the raw
# columns, vocabulary codes are typed in, and item non-response is handled by R itself: an
# empty cell is NA, and each estimate is made on subset(design, <domain> & !is.na(y)), which
# for a survey.design2 keeps the full design's PSU counts, i.e. estimation in a domain of the
# full design (as svymean(..., na.rm = TRUE)).
#
# The design: waves are independent samples whose stratum and cluster labels are reused, so
# strata and first-stage units are the pairs (wave, label); employees are sampled in two
# stages (organisation, then person; fpc2 = employees of the organisation), political office
# holders are their own first-stage units (fpc2 = 1):
#   svydesign(ids = ~psu + id, strata = ~stratum_w, fpc = ~fpc + fpc2, weights = ~weight)
#
# Output: indicator,domain,quantity,value. Domains are "<wave>" or "<wave>:<label>[:<label>]";
# quantities estimate, se, df (degf of the domain's subset design), n (rows used), low and
# high (95%: svyciprop(method = "logit") for proportions inside (0, 1) by more than 1e-12; the
# logit interval of the linearised SE for ratios that are shares of incidents; coef +/-
# qt(0.975, df) * SE for means), missing (rows of the domain's population without
# an answer), not_measured (1 when the domain has rows but none answered).
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.lonely.psu = "fail")
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
r <- read.csv(file.path(here, "monitor_respondents.csv"), check.names = FALSE,
              na.strings = "", stringsAsFactors = FALSE)
inc <- read.csv(file.path(here, "monitor_incidents.csv"), check.names = FALSE,
                na.strings = "", stringsAsFactors = FALSE)
fmt <- function(v) sprintf("%.17g", v)
out <- function(indicator, domain, quantity, value) {
  cat(indicator, domain, quantity, fmt(value), sep = ","); cat("\n")
}
waves <- c(2014, 2016)

# ---- derived variables, from the raw columns --------------------------------------------

forms <- c("verbaal", "bedreiging", "fysiek", "discriminatie", "seksueel")
channels <- c("persoonlijk", "telefoon-post", "sociale-media")
# adverse consequences as the library documents them (consequence_share): less work
# pleasure, mental-health complaints, changed behaviour, physical injury, absence
adverse <- c("minder-werkplezier", "psychische-klachten", "gedrag-aangepast",
             "lichamelijk-letsel", "verzuim")
violations <- c("belangenverstrengeling", "vertrouwelijke-informatie", "stemmen-eigen-belang",
                "adviseur-geschil", "geschenken", "nevenfuncties", "fraude",
                "misbruik-middelen", "ongewenst-gedrag")

# whether anyone of the row's wave answered the column: a question asked in that wave
asked <- function(column) as.logical(ave(!is.na(column), r$wave, FUN = any))
# "yes to any": yes if any member asked in the wave is yes (> 0), no if every member asked
# in the wave was answered no, NA otherwise
any_yes <- function(columns) {
  m <- as.matrix(r[, columns])
  on <- sapply(columns, function(k) asked(r[[k]]))
  yes <- rowSums(m > 0 & on, na.rm = TRUE) > 0
  complete <- rowSums(is.na(m) & on) == 0 & rowSums(on) > 0
  ifelse(yes, 1, ifelse(complete, 0, NA))
}
count_cols <- paste0("incidents:", forms)
counts <- as.matrix(r[, count_cols])
counts_asked <- sapply(count_cols, function(k) asked(r[[k]]))
complete_counts <- rowSums(is.na(counts) & counts_asked) == 0 & rowSums(counts_asked) > 0

r$victim <- any_yes(count_cols)
for (f in forms) r[[paste0("v_", f)]] <- as.numeric(r[[paste0("incidents:", f)]] > 0)
for (ch in channels) {
  answer <- r[[paste0("channel:", ch)]]
  r[[paste0("c_", ch)]] <- ifelse(!asked(answer) | is.na(r$victim), NA,
                                  ifelse(r$victim == 0, 0,
                                         ifelse(is.na(answer), NA, as.numeric(answer == 1))))
}
r$total <- ifelse(complete_counts, rowSums(counts, na.rm = TRUE), NA)
r$capped10 <- ifelse(complete_counts, rowSums(pmin(counts, 10), na.rm = TRUE), NA)
r$adverse <- any_yes(paste0("consequence:", adverse))
for (k in adverse) r[[paste0("q_", k)]] <- r[[paste0("consequence:", k)]]
r$influence <- r[["consequence:besluitvorming-beinvloed"]]
r$perceived <- any_yes(paste0("violation:", violations))
r$conflict <- r[["violation:belangenverstrengeling"]]
r$political <- r$office != "ambtenaar"
r$group <- ifelse(r$political, "politiek-ambtsdrager", "medewerker")
r$victims <- !is.na(r$victim) & r$victim == 1

# incidents: per respondent, the records with an answer and how many were reported
per_respondent <- function(answer) {
  known <- !is.na(answer)
  id <- factor(inc$respondent_id[known], levels = r$id)
  list(answered = as.numeric(table(id)),
       reported = as.numeric(tapply(answer[known], id, sum, default = 0)))
}
r$described <- r$id %in% inc$respondent_id
# the victims of the reporting indicators: those victimisation counts (every wave of these
# data asks counts), never a record of a respondent whose counts leave it unknown
r$reporters <- r$described & r$victims
employer <- per_respondent(inc$reported_internally)
r$answered_e <- employer$answered
r$reported_e <- employer$reported
r$reported_e_any <- ifelse(r$answered_e > 0, as.numeric(r$reported_e > 0), NA)
police <- per_respondent(inc$police_report)
r$answered_p <- police$answered
r$reported_p <- police$reported
r$reported_p_any <- ifelse(r$answered_p > 0, as.numeric(r$reported_p > 0), NA)

r$psu <- paste(r$wave, r$cluster)
r$stratum_w <- paste(r$wave, r$stratum)
d <- svydesign(ids = ~psu + id, strata = ~stratum_w, fpc = ~fpc + fpc2, weights = ~weight,
               data = r)

# ---- estimates per wave and domain ---------------------------------------------------------

# svyciprop(method = "logit") as survey 4.1 computes it (an intercept-only quasibinomial
# svyglm, Wald interval with the design's df, expit), with the glm converged to 1e-12
# instead of 1e-8: at the default tolerance its intercept is off by up to 2e-9, more than
# the tests' rtol of 1e-8 allows on small proportions. Checked against svyciprop itself.
logit_ci <- function(y, sub, df) {
  formula <- as.formula(paste0("`", y, "` ~ 1"))
  m <- svyglm(formula, sub, family = quasibinomial,
              control = glm.control(epsilon = 1e-12, maxit = 50))
  ci <- as.numeric(plogis(confint(m, 1, level = 0.95, method = "Wald", ddf = df)))
  loose <- attr(svyciprop(as.formula(paste0("~`", y, "`")), sub, method = "logit"), "ci")
  stopifnot(all(abs(ci / loose - 1) < 1e-6))
  ci
}

# One domain: the rows of `rows` in the population `pop`; those with an answer are used.
one_domain <- function(key, label, kind, y, pop, rows, x = NULL, design = d) {
  popd <- pop & rows
  if (!any(popd)) return(invisible())  # no rows: an empty domain
  answered <- popd & !is.na(r[[y]])
  if (!is.null(x)) answered <- answered & r[[x]] > 0
  out(key, label, "missing", sum(popd & !answered))
  if (!any(answered)) { out(key, label, "not_measured", 1); return(invisible()) }
  sub <- design[answered, ]
  df <- degf(sub)
  if (kind == "ratio") {
    e <- svyratio(as.formula(paste0("~`", y, "`")), as.formula(paste0("~`", x, "`")), sub)
    value <- coef(e)[[1]]; se <- SE(e)[[1]]
  } else {
    e <- svymean(as.formula(paste0("~`", y, "`")), sub)
    value <- coef(e)[[1]]; se <- SE(e)[[1]]
  }
  out(key, label, "estimate", value); out(key, label, "se", se)
  out(key, label, "df", df); out(key, label, "n", sum(answered))
  if (df < 1) return(invisible())
  if (kind == "prop") {
    if (value > 1e-12 && value < 1 - 1e-12) {  # a share of 0 or 1 has no logit interval
      ci <- logit_ci(y, sub, df)
      out(key, label, "low", ci[[1]]); out(key, label, "high", ci[[2]])
    }
  } else if (kind == "ratio") {
    # a share of incidents: the logit interval on the ratio's linearised SE (the delta method
    # on the logit scale, as svyciprop's "xlogit" does for a mean)
    if (value > 1e-12 && value < 1 - 1e-12) {
      half <- qt(0.975, df) * se / (value * (1 - value))
      out(key, label, "low", plogis(qlogis(value) - half))
      out(key, label, "high", plogis(qlogis(value) + half))
    }
  } else {
    q <- qt(0.975, df)
    out(key, label, "low", value - q * se); out(key, label, "high", value + q * se)
  }
}

# Every wave, and every wave crossed with the levels of `by` (names of columns of r).
domains <- function(key, kind, y, pop = rep(TRUE, nrow(r)), by = list(), x = NULL) {
  for (w in waves) {
    in_wave <- r$wave == w
    one_domain(key, w, kind, y, pop, in_wave, x)
    for (vars in by) {
      cells <- unique(r[in_wave, vars, drop = FALSE])
      for (i in seq_len(nrow(cells))) {
        rows <- in_wave
        for (v in vars) rows <- rows & r[[v]] == cells[i, v]
        one_domain(key, paste(c(w, unlist(cells[i, ])), collapse = ":"), kind, y, pop, rows, x)
      }
    }
  }
}

cat("indicator,domain,quantity,value\n")
for (w in waves) out("design_df", w, "df", degf(subset(d, wave == w)))
out("design_df", "", "df", degf(d))

everyone <- rep(TRUE, nrow(r))
domains("victimisation", "prop", "victim",
        by = list("office", "layer", "group", c("layer", "office")))
for (f in forms) domains(paste0("victimisation_", f), "prop", paste0("v_", f), by = list("group"))
for (ch in channels) domains(paste0("channel_", ch), "prop", paste0("c_", ch), by = list("group"))
domains("channel_sociale-media_office", "prop", "c_sociale-media", by = list("office"))
domains("incidence", "mean", "total", by = list("group"))
domains("incidence_cap10", "mean", "capped10", by = list("office"))
for (w in waves) {
  used <- complete_counts & r$wave == w
  capped <- counts[used, , drop = FALSE]
  out("incidence_cap10", w, "capped_respondents", sum(rowSums(capped > 10, na.rm = TRUE) > 0))
  out("incidence_cap10", w, "incidents_removed", sum(capped - pmin(capped, 10), na.rm = TRUE))
}
domains("reporting_incident", "ratio", "reported_e", pop = r$reporters, by = list("group", "office"),
        x = "answered_e")
domains("reporting_police", "ratio", "reported_p", pop = r$reporters, by = list("group"),
        x = "answered_p")
domains("reporting_victim", "prop", "reported_e_any", pop = r$reporters, by = list("group"))
domains("reporting_victim_police", "prop", "reported_p_any", pop = r$reporters)
domains("consequence_adverse", "prop", "adverse", pop = r$victims, by = list("group", "office"))
for (k in adverse) domains(paste0("consequence_", k), "prop", paste0("q_", k), pop = r$victims)
domains("aftercare", "prop", "aftercare", pop = r$victims, by = list("group"))
domains("decision_influence", "prop", "influence", pop = r$political, by = list("office"))
domains("perception", "prop", "perceived", by = list("group", "office"))
domains("perception_belangenverstrengeling", "prop", "conflict", by = list("group"))

# ---- change between the waves: svycontrast on svyby(..., covmat = TRUE) ----------------

change <- function(key, y, pop, by = NULL) {
  sub <- d[pop & !is.na(r[[y]]), ]
  formula <- as.formula(paste0("~`", y, "`"))
  b <- svyby(formula, ~wave, sub, svymean, covmat = TRUE)
  k <- svycontrast(b, c(`2014` = -1, `2016` = 1))
  out(key, "", "estimate", coef(k)[[1]]); out(key, "", "se", SE(k)[[1]])
  # degrees of freedom of the comparison: PSUs minus strata among the rows of both domains
  out(key, "", "df", degf(sub))
  # the change as a ratio, by the delta method
  q <- svycontrast(b, quote(`2016` / `2014`))
  out(paste0(key, "_ratio"), "", "estimate", coef(q)[[1]]); out(paste0(key, "_ratio"), "", "se", SE(q)[[1]])
  if (is.null(by)) return(invisible())
  bb <- svyby(formula, as.formula(paste0("~wave + ", by)), sub, svymean, covmat = TRUE)
  for (level in sort(unique(r[[by]]))) {
    names <- paste0(waves, ".", level)
    if (!all(names %in% rownames(bb))) next
    contrast <- setNames(rep(0, nrow(bb)), rownames(bb))
    contrast[names] <- c(-1, 1)
    k <- svycontrast(bb, contrast)
    out(key, level, "estimate", coef(k)[[1]]); out(key, level, "se", SE(k)[[1]])
    out(key, level, "df", degf(sub[r[[by]][pop & !is.na(r[[y]])] == level, ]))
  }
}
change("change_victimisation", "victim", everyone, by = "office")
change("change_decision_influence", "influence", r$political, by = "office")
change("change_adverse", "adverse", r$victims, by = "group")

# ---- what pooling the waves, or leaving out the second stage, would give -----------------

# the labels as delivered, pooled over the waves (no fpc: it differs between the waves)
pooled <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = r)
b <- svyby(~victim, ~wave, subset(pooled, !is.na(victim)), svymean)
for (i in seq_len(nrow(b))) {
  out("pooled_victimisation", b$wave[i], "estimate", coef(b)[[i]])
  out("pooled_victimisation", b$wave[i], "se", SE(b)[[i]])
}
# one stage only (no fpc2): a census of provinces and water boards has no sampling variance
one_stage <- svydesign(ids = ~psu, strata = ~stratum_w, fpc = ~fpc, weights = ~weight, data = r)
for (w in waves) for (layer in c("provincie", "waterschap")) {
  label <- paste(w, layer, "ambtenaar", sep = ":")
  sub <- one_stage[r$wave == w & r$layer == layer & r$office == "ambtenaar" & !is.na(r$victim), ]
  m <- svymean(~victim, sub)
  out("one_stage_victimisation", label, "estimate", coef(m)[[1]])
  out("one_stage_victimisation", label, "se", SE(m)[[1]])
}
