# Reference values for indicators by respondent attributes, from R survey's svyby.
#
# Run:  Rscript tests/reference/attributes.R > tests/reference/attributes.csv
# Data: monitor_respondents.csv (make_monitor_data.py) and monitor_attributes.csv
# (make_attribute_data.py), joined by id.
#
# The design is monitor.R's: strata and first-stage units are (wave, label) pairs, two
# stages with fpc2. An estimate by wave and attribute is svyby(~y, ~wave + attribute,
# subset(d, !is.na(y) & !is.na(attribute)), svymean): respondents whose attribute is
# unknown are in none of its domains, and the subset keeps the full design (domain
# estimation). Output: indicator,domain,quantity,value with domain "<wave>:<value>" and
# quantities estimate, se, df (degf of the domain's subset) and n.
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.lonely.psu = "fail")
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
r <- read.csv(file.path(here, "monitor_respondents.csv"), check.names = FALSE,
              na.strings = "", stringsAsFactors = FALSE)
a <- read.csv(file.path(here, "monitor_attributes.csv"), check.names = FALSE,
              na.strings = "", stringsAsFactors = FALSE, colClasses = "character")
r <- merge(r, a, by = "id", sort = FALSE)
r$team_size <- as.integer(r$team_size)
r$works_shifts <- ifelse(is.na(r$works_shifts), NA, r$works_shifts == "ja")

forms <- c("verbaal", "bedreiging", "fysiek", "discriminatie", "seksueel")
count_cols <- paste0("incidents:", forms)
asked <- function(column) as.logical(ave(!is.na(column), r$wave, FUN = any))
m <- as.matrix(r[, count_cols])
on <- sapply(count_cols, function(k) asked(r[[k]]))
yes <- rowSums(m > 0 & on, na.rm = TRUE) > 0
complete <- rowSums(is.na(m) & on) == 0 & rowSums(on) > 0
r$victim <- ifelse(yes, 1, ifelse(complete, 0, NA))
r$total <- ifelse(complete, rowSums(m, na.rm = TRUE), NA)

r$psu <- paste(r$wave, r$cluster)
r$stratum_w <- paste(r$wave, r$stratum)
d <- svydesign(ids = ~psu + id, strata = ~stratum_w, fpc = ~fpc + fpc2, weights = ~weight,
               data = r)
fmt <- function(v) sprintf("%.17g", v)
out <- function(indicator, domain, quantity, value) {
  cat(indicator, domain, quantity, fmt(value), sep = ","); cat("\n")
}

cat("indicator,domain,quantity,value\n")
for (y in c("victim", "total")) {
  for (attribute in c("gender", "region", "team_size", "works_shifts")) {
    keep <- !is.na(r[[y]]) & !is.na(r[[attribute]])
    sub <- d[keep, ]
    b <- svyby(as.formula(paste0("~", y)), as.formula(paste0("~wave + ", attribute)), sub,
               svymean)
    for (i in seq_len(nrow(b))) {
      value <- b[[attribute]][i]
      label <- paste(b$wave[i], if (is.logical(value)) tolower(value) else value, sep = ":")
      rows <- keep & r$wave == b$wave[i] & r[[attribute]] == value
      out(paste(y, attribute, sep = "_"), label, "estimate", coef(b)[i])
      out(paste(y, attribute, sep = "_"), label, "se", SE(b)[i])
      out(paste(y, attribute, sep = "_"), label, "df", degf(d[rows, ]))
      out(paste(y, attribute, sep = "_"), label, "n", sum(rows))
    }
    out(paste(y, attribute, sep = "_"), "", "unknown_domain", sum(!is.na(r[[y]]) & is.na(r[[attribute]])))
  }
}
