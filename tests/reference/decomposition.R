# Reference values for the decomposition of a change between two waves (Kitagawa 1955),
# from R survey: svytotal of y and of the population in each class and wave, jointly, then
# svycontrast of the composition and rate effects written out as expressions.
#
# Run:  Rscript tests/reference/decomposition.R > tests/reference/decomposition.csv
# Data: monitor_respondents.csv and monitor_attributes.csv (see attributes.R); the design is
# monitor.R's (strata and PSUs crossed with the wave, two stages with fpc2).
#
# With classes k of a factor, shares s_wk = N_wk / N_w and rates r_wk = Y_wk / N_wk in wave w,
# the change r_b - r_a of the overall rate is the sum of
#   composition = sum_k (s_bk - s_ak) (r_ak + r_bk) / 2
#   rate        = sum_k (r_bk - r_ak) (s_ak + s_bk) / 2,
# both smooth functions of the totals (Y_wk, N_wk), whose joint covariance one svytotal call
# gives. The population: respondents with a known victimisation and a known factor value.
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.lonely.psu = "fail")
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
r <- read.csv(file.path(here, "monitor_respondents.csv"), check.names = FALSE,
              na.strings = "", stringsAsFactors = FALSE)
a <- read.csv(file.path(here, "monitor_attributes.csv"), check.names = FALSE,
              na.strings = "", stringsAsFactors = FALSE, colClasses = "character")
r <- merge(r, a, by = "id", sort = FALSE)

forms <- c("verbaal", "bedreiging", "fysiek", "discriminatie", "seksueel")
count_cols <- paste0("incidents:", forms)
asked <- function(column) as.logical(ave(!is.na(column), r$wave, FUN = any))
m <- as.matrix(r[, count_cols])
on <- sapply(count_cols, function(k) asked(r[[k]]))
yes <- rowSums(m > 0 & on, na.rm = TRUE) > 0
complete <- rowSums(is.na(m) & on) == 0 & rowSums(on) > 0
r$victim <- ifelse(yes, 1, ifelse(complete, 0, NA))
r$psu <- paste(r$wave, r$cluster)
r$stratum_w <- paste(r$wave, r$stratum)

fmt <- function(v) sprintf("%.17g", v)
out <- function(key, part, quantity, value) {
  cat(key, part, quantity, fmt(value), sep = ","); cat("\n")
}
cat("key,part,quantity,value\n")

decompose <- function(key, factor, classes, among = rep(TRUE, nrow(r))) {
  keep <- among & !is.na(r$victim) & !is.na(r[[factor]])
  names <- c()
  for (w in c(2014, 2016)) for (k in seq_along(classes)) {
    cell <- keep & r$wave == w & r[[factor]] == classes[k]
    r[[paste0("y", w, "_", k)]] <<- ifelse(cell, r$victim, 0)
    r[[paste0("n", w, "_", k)]] <<- as.numeric(cell)
    names <- c(names, paste0("y", w, "_", k), paste0("n", w, "_", k))
  }
  d <- svydesign(ids = ~psu + id, strata = ~stratum_w, fpc = ~fpc + fpc2, weights = ~weight,
                 data = r)
  totals <- svytotal(as.formula(paste("~", paste(names, collapse = " + "))), d)
  K <- seq_along(classes)
  sum_of <- function(terms) paste0("(", paste(terms, collapse = " + "), ")")
  N <- function(w) sum_of(paste0("n", w, "_", K))
  Y <- function(w) sum_of(paste0("y", w, "_", K))
  s <- function(w, k) paste0("(n", w, "_", k, " / ", N(w), ")")
  rt <- function(w, k) paste0("(y", w, "_", k, " / n", w, "_", k, ")")
  comp_k <- function(k) paste0("(", s(2016, k), " - ", s(2014, k), ") * (", rt(2014, k), " + ",
                              rt(2016, k), ") / 2")
  rate_k <- function(k) paste0("(", rt(2016, k), " - ", rt(2014, k), ") * (", s(2014, k), " + ",
                              s(2016, k), ") / 2")
  expressions <- list(
    total = paste0(Y(2016), " / ", N(2016), " - ", Y(2014), " / ", N(2014)),
    composition = paste(sapply(K, comp_k), collapse = " + "),
    rate = paste(sapply(K, rate_k), collapse = " + ")
  )
  for (k in K) {
    expressions[[paste0("composition:", classes[k])]] <- comp_k(k)
    expressions[[paste0("rate:", classes[k])]] <- rate_k(k)
  }
  for (part in names(expressions)) {
    est <- svycontrast(totals, parse(text = expressions[[part]])[[1]])
    out(key, part, "estimate", coef(est)[[1]]); out(key, part, "se", SE(est)[[1]])
  }
  out(key, "", "df", degf(d[keep & r$wave %in% c(2014, 2016), ]))
}
decompose("victim_region", "region", c("noord", "zuid", "west"))
decompose("victim_gender_employees", "gender", c("m", "v", "x"), among = r$office == "ambtenaar")
