# Reference values for BRR and Fay replicate designs with R survey's default Hadamard matrices.
#
# Run:  Rscript tests/reference/brr_defaults.R > tests/reference/brr_defaults.csv
# Also writes scd.csv (R survey's own `scd` data, six ambulance services in three strata).
# Data: scd, and pairs of clusters from design_data.csv with integer stratum labels (R sorts
#       them as text: 1, 10, 2, ...). No hadamard.matrix is given: R picks its own, order 4
#       for scd's 3 strata, 8 (Sylvester) for 6 strata and 12 (Paley) for 10 strata.
# Output lines: design,estimator,domain,quantity,value; "hadamard" lines give the order and
#       a fingerprint sum(H * ((7 i + 13 j) %% 97 + 1)) of R's hadamard(n), 0-based i and j.
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.replicates.mse = FALSE, survey.lonely.psu = "fail")
invisible(Sys.setlocale("LC_COLLATE", "C"))
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))

fmt <- function(v) sprintf("%.17g", v)
out <- function(design, estimator, domain, quantity, value) {
  cat(design, estimator, domain, quantity, fmt(value), sep = ","); cat("\n")
}

data(scd)
write.csv(scd, file.path(here, "scd.csv"), row.names = FALSE)

cat("design,estimator,domain,quantity,value\n")
scd_design <- svydesign(data = scd, prob = ~1, id = ~ambulance, strata = ~ESA, nest = TRUE)
for (type in c("BRR", "Fay")) {
  name <- paste0("scd_", tolower(type))
  d <- if (type == "BRR") as.svrepdesign(scd_design, type = "BRR") else
    as.svrepdesign(scd_design, type = "Fay", fay.rho = 0.3)
  out(name, "design", "", "replicates", ncol(weights(d, "replication")))
  r <- svyratio(~alive, ~arrests, d)
  out(name, "ratio", "", "estimate", coef(r)); out(name, "ratio", "", "se", SE(r))
  m <- svymean(~alive, d); out(name, "mean", "", "se", SE(m))
  t <- svytotal(~alive, d); out(name, "total", "", "se", SE(t))
}

dat <- read.csv(file.path(here, "design_data.csv"), stringsAsFactors = TRUE)
for (k in c(6, 10)) {
  pairs <- dat[dat$cluster <= 2 * k, ]
  pairs$pair <- as.integer((pairs$cluster - 1) %/% 2 + 1)
  dp <- svydesign(ids = ~cluster, strata = ~pair, weights = ~weight, data = pairs)
  for (type in c("BRR", "Fay")) {
    name <- paste0("pairs", k, "_", tolower(type))
    d <- if (type == "BRR") as.svrepdesign(dp, type = "BRR") else
      as.svrepdesign(dp, type = "Fay", fay.rho = 0.3)
    out(name, "design", "", "replicates", ncol(weights(d, "replication")))
    out(name, "design", "", "df", degf(d))
    m <- svymean(~y, d); out(name, "mean", "", "estimate", coef(m)); out(name, "mean", "", "se", SE(m))
    r <- svyratio(~y, ~x, d); out(name, "ratio", "", "estimate", coef(r)); out(name, "ratio", "", "se", SE(r))
    p <- svymean(~b, d); out(name, "proportion", "", "se", SE(p))
    bm <- svyby(~y, ~g, d, svymean)
    for (i in seq_len(nrow(bm))) out(name, "mean", as.character(bm$g[i]), "se", SE(bm)[i])
  }
}

for (n in 1:130) {
  H <- hadamard(n)
  i <- row(H) - 1
  j <- col(H) - 1
  out("hadamard", n, "", "order", nrow(H))
  out("hadamard", n, "", "fingerprint", sum(H * ((7 * i + 13 * j) %% 97 + 1)))
}
