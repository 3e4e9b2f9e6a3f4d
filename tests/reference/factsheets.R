# Reference values for the factsheets' comparison of a province with the national figure,
# from R survey.
#
# Run:  Rscript tests/reference/factsheets.R > tests/reference/factsheets.csv
# Data: monitor_respondents.csv, monitor_incidents.csv (make_monitor_data.py) and
# factsheet_provinces.csv (make_factsheet_data.py), joined by id.
#
# The design is monitor.R's: strata and first-stage units are (wave, label) pairs, two
# stages with fpc2 (svydesign(ids = ~psu + id, strata = ~stratum_w, fpc = ~fpc + fpc2)).
# For an indicator y (a ratio of weighted totals y / x; x = 1 for a share), wave w and
# province p, the rows used are those of the wave in the indicator's population with an
# answer, as a domain of the full design: sub <- d[keep & wave == w, ]. The province is
# in_d = (province == p); an unknown province is in the rest of the country.
#
#   contrast:  svyby(~y, ~in_d, sub, svymean (svyratio), covmat = TRUE), then
#              svycontrast(., c(-1, 1)): the province minus the rest of the country;
#              its p-value with the t distribution on degf(sub) degrees of freedom
#   national:  svymean(~y, sub) (svyratio)
#   full:      the difference from the national figure linearised in full,
#              svycontrast(svytotal(~yd + xd + y + x, sub), quote(yd / xd - y / x))
#              with yd = y * in_d and xd = x * in_d (the share of the province included)
#
#   within a group (what the factsheets publish: political office holders of a province
#   against political office holders nationally, employees against employees):
#              b <- svyby(~yd + xd + y + x, ~group, sub, svytotal, covmat = TRUE), then
#              svycontrast(b, list(g = quote(`g:yd` / `g:xd` - `g:y` / `g:x`))) for each
#              group g: the full linearisation of the province-in-group minus the
#              group's national figure, on the full design; its p-value with the t
#              distribution on degf(sub[group == g, ]) degrees of freedom (the PSUs of the
#              rows of the group, as the comparison's df)
#
# Output: indicator,domain,quantity,value with domain "<wave>:<province>" and quantities
# estimate, rest, national, contrast, contrast_se, df, p_value (of the contrast),
# difference, full_se and full_p_value (of the fully linearised difference); and with
# domain "<wave>:<province>:<group>" the quantities group_estimate, group_national,
# group_difference, group_se, group_df and group_p_value (within the group).
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.lonely.psu = "fail")
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
r <- read.csv(file.path(here, "monitor_respondents.csv"), check.names = FALSE,
              na.strings = "", stringsAsFactors = FALSE)
inc <- read.csv(file.path(here, "monitor_incidents.csv"), check.names = FALSE,
                na.strings = "", stringsAsFactors = FALSE)
prov <- read.csv(file.path(here, "factsheet_provinces.csv"), na.strings = "",
                 stringsAsFactors = FALSE, colClasses = "character")
r <- merge(r, prov, by = "id", sort = FALSE)

# ---- the indicators' variables, from the raw columns ------------------------------------
asked <- function(column) as.logical(ave(!is.na(column), r$wave, FUN = any))
any_yes <- function(columns) {
  m <- as.matrix(r[, columns])
  on <- sapply(columns, function(k) asked(r[[k]]))
  yes <- rowSums(m > 0 & on, na.rm = TRUE) > 0
  complete <- rowSums(is.na(m) & on) == 0 & rowSums(on) > 0
  ifelse(yes, 1, ifelse(complete, 0, NA))
}
forms <- c("verbaal", "bedreiging", "fysiek", "discriminatie", "seksueel")
violations <- c("belangenverstrengeling", "vertrouwelijke-informatie", "stemmen-eigen-belang",
                "adviseur-geschil", "geschenken", "nevenfuncties", "fraude",
                "misbruik-middelen", "ongewenst-gedrag")
r$victim <- any_yes(paste0("incidents:", forms))
r$threat <- as.numeric(r[["incidents:bedreiging"]] > 0)
r$perceived <- any_yes(paste0("violation:", violations))
r$influence <- r[["consequence:besluitvorming-beinvloed"]]
r$political <- r$office != "ambtenaar"
r$group <- ifelse(r$political, "politiek-ambtsdrager", "medewerker")
r$one <- 1
known <- !is.na(inc$reported_internally)
id <- factor(inc$respondent_id[known], levels = r$id)
r$answered_e <- as.numeric(table(id))
r$reported_e <- as.numeric(tapply(inc$reported_internally[known], id, sum, default = 0))
r$described <- r$id %in% inc$respondent_id

r$psu <- paste(r$wave, r$cluster)
r$stratum_w <- paste(r$wave, r$stratum)
d <- svydesign(ids = ~psu + id, strata = ~stratum_w, fpc = ~fpc + fpc2, weights = ~weight,
               data = r)
provinces <- c("groningen", "fryslan", "drenthe", "overijssel", "flevoland", "gelderland",
               "utrecht", "noord-holland", "zuid-holland", "zeeland", "noord-brabant",
               "limburg")
fmt <- function(v) sprintf("%.17g", v)
out <- function(indicator, domain, quantity, value) {
  cat(indicator, domain, quantity, fmt(value), sep = ","); cat("\n")
}

# indicator: y over x, among the rows of keep
indicators <- list(
  victimisation = list(y = "victim", x = "one", keep = !is.na(r$victim)),
  threat = list(y = "threat", x = "one", keep = !is.na(r$threat)),
  perceived = list(y = "perceived", x = "one", keep = !is.na(r$perceived)),
  influence = list(y = "influence", x = "one", keep = r$political & !is.na(r$influence)),
  # victims (as victimisation counts them) with an incident record
  reporting = list(y = "reported_e", x = "answered_e",
                   keep = r$described & r$victim %in% 1 & r$answered_e > 0)
)

cat("indicator,domain,quantity,value\n")
for (name in names(indicators)) {
  spec <- indicators[[name]]
  for (w in c(2014, 2016)) {
    rows <- spec$keep & r$wave == w
    for (p in provinces) {
      inside <- as.numeric(!is.na(r$province) & r$province == p)
      d2 <- update(d, in_d = factor(inside == 1, levels = c(FALSE, TRUE)),
                   yd = r[[spec$y]] * inside, xd = r[[spec$x]] * inside)
      sub <- d2[rows, ]
      label <- paste(w, p, sep = ":")
      if (sum(rows & inside == 1) == 0) next
      fy <- as.formula(paste0("~", spec$y))
      fx <- as.formula(paste0("~", spec$x))
      b <- svyby(fy, ~in_d, sub, svyratio, denominator = fx, covmat = TRUE)
      national <- coef(svyratio(fy, fx, sub))
      con <- svycontrast(b, c(-1, 1))
      df <- degf(sub)
      tot <- svytotal(as.formula(paste0("~yd + xd + ", spec$y, " + ", spec$x)), sub)
      full <- svycontrast(tot, list(d = parse(text = paste0("yd / xd - ", spec$y, " / ",
                                                             spec$x))[[1]]))
      out(name, label, "estimate", coef(b)[2])
      out(name, label, "rest", coef(b)[1])
      out(name, label, "national", national)
      out(name, label, "contrast", coef(con))
      out(name, label, "contrast_se", SE(con))
      out(name, label, "df", df)
      out(name, label, "p_value", 2 * pt(-abs(coef(con) / SE(con)), df))
      out(name, label, "difference", coef(full))
      out(name, label, "full_se", SE(full))
      out(name, label, "full_p_value", 2 * pt(-abs(coef(full) / SE(full)), df))
      within <- svyby(as.formula(paste0("~yd + xd + ", spec$y, " + ", spec$x)), ~group, sub,
                      svytotal, covmat = TRUE)
      groups <- as.character(within$group)
      for (g in groups) {
        if (sum(rows & inside == 1 & r$group == g) == 0) next
        term <- function(v) paste0("`", g, ":", v, "`")
        expr <- parse(text = paste0(term("yd"), " / ", term("xd"), " - ", term(spec$y),
                                    " / ", term(spec$x)))[[1]]
        con_g <- svycontrast(within, list(d = expr))
        ratio_g <- function(a, b) coef(within)[paste0(g, ":", a)] / coef(within)[paste0(g, ":", b)]
        df_g <- degf(sub[r$group[rows] == g, ])
        label_g <- paste(w, p, g, sep = ":")
        out(name, label_g, "group_estimate", ratio_g("yd", "xd"))
        out(name, label_g, "group_national", ratio_g(spec$y, spec$x))
        out(name, label_g, "group_difference", coef(con_g))
        out(name, label_g, "group_se", SE(con_g))
        out(name, label_g, "group_df", df_g)
        out(name, label_g, "group_p_value", 2 * pt(-abs(coef(con_g) / SE(con_g)), df_g))
      }
    }
  }
}
