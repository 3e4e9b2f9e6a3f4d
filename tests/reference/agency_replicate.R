# Reference values for models of the monitor fitted within one wave of a design delivered
# with replicate weights (agency_replicate_respondents.csv, make_agency_replicate_data.py):
# R's svyglm on subset(<svrepdesign>, wave == w & complete) takes the degrees of freedom of
# the rows fitted (degf of the subset: the rank of their replicate weights minus one), not
# those of all waves.
#
# Run:  Rscript tests/reference/agency_replicate.R > tests/reference/agency_replicate.csv
# Output lines: model,quantity,value (a numbered quantity is one element of a vector).
suppressPackageStartupMessages(library(survey))
options(digits = 17)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
r <- read.csv(file.path(here, "agency_replicate_respondents.csv"), na.strings = "",
              stringsAsFactors = FALSE)
rscales <- read.csv(file.path(here, "agency_replicate_rscales.csv"))$rscale
# victimised: yes when any form asked (in the wave, of the group) has incidents, no when
# every form asked was answered 0
forms <- c("verbaal", "bedreiging", "fysiek", "discriminatie", "seksueel")
cols <- paste0("incidents.", forms)
r$group <- factor(ifelse(r$office == "ambtenaar", "medewerker", "politiek-ambtsdrager"),
                  levels = c("politiek-ambtsdrager", "medewerker"))
asked <- function(column) as.logical(ave(!is.na(column), r$wave, r$group, FUN = any))
m <- as.matrix(r[, cols])
on <- sapply(cols, function(k) asked(r[[k]]))
yes <- rowSums(m > 0 & on, na.rm = TRUE) > 0
complete <- rowSums(is.na(m) & on) == 0 & rowSums(on) > 0
r$victim <- ifelse(yes, 1, ifelse(complete, 0, NA))
r$gender <- factor(r$gender, levels = c("m", "v", "x"))
r$training <- r$training == 1
d <- svrepdesign(data = r, repweights = "rep[0-9]+", type = "JKn", scale = 1,
                 rscales = rscales, weights = ~weight, combined.weights = TRUE)
fmt <- function(v) sprintf("%.17g", v)
put <- function(key, q, v) for (i in seq_along(v)) {
  cat(key, paste0(q, if (length(v) > 1) i else ""), fmt(v[[i]]), sep = ","); cat("\n")
}
cat("model,quantity,value\n")
put("design", "df", degf(d))
tight <- glm.control(epsilon = 1e-14, maxit = 100)
fit <- function(key, formula, in_wave, term) {
  keep <- r$wave == in_wave & complete.cases(model.frame(formula, r, na.action = na.pass))
  rows <- d[keep, ]
  g <- svyglm(formula, rows, family = quasibinomial(), control = tight)
  put(key, "coef", coef(g)); put(key, "se", SE(g)); put(key, "df_residual", g$df.residual)
  t <- regTermTest(g, term)
  put(key, "wald_F", t$Ftest); put(key, "wald_p", t$p)
  put(key, "p", summary(g)$coefficients[, 4])
}
fit("gender_training_2018", victim ~ gender + training, 2018, ~gender)
fit("group_training_2016", victim ~ group + training, 2016, ~group)
