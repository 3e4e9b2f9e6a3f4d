# Reference values for vpt_monitor.stats.glm and its result (coefficients, covariance,
# residual df, regTermTest, predict, confint, svypredmeans), from R survey's svyglm.
#
# Run:  Rscript tests/reference/models.R > tests/reference/models.csv
# Data: design_data.csv (make_design_data.py).
# Output lines: design,model,item,quantity,value. Coefficients are written in R's order,
# which is formulaic's; "cov" items are "i|j" (1-based positions). The fits use
# glm.control(epsilon = 1e-14) so that R's coefficients are the limit of the iterations
# (the "default" models use R's default epsilon = 1e-8, to show what its stopping does).
suppressPackageStartupMessages(library(survey))
options(digits = 17, survey.replicates.mse = FALSE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
dat <- read.csv(file.path(here, "design_data.csv"), stringsAsFactors = TRUE)
dat$xc <- dat$x - 1           # a count for the Poisson models
dat$x2 <- 2 * dat$x           # aliased with x
dat$row <- seq_len(nrow(dat))
# svyglm on a replicate design evaluates its own call among the data's columns, so a column
# named "g" hides it (survey 4.1): the models use the domain variable under the name "grp"
names(dat)[names(dat) == "g"] <- "grp"
dat$fpc2 <- ave(dat$cluster, dat$cluster, FUN = length) * 3

fmt <- function(v) sprintf("%.17g", v)
out <- function(design, model, item, quantity, value) {
  cat(design, model, item, quantity, fmt(value), sep = ","); cat("\n")
}
tight <- glm.control(epsilon = 1e-14, maxit = 100)

matrix_out <- function(design, model, item, v) {
  for (i in seq_len(nrow(v))) for (j in seq_len(ncol(v))) {
    out(design, model, paste0(item, i, "|", j), "cov", v[i, j])
  }
}

newdata <- data.frame(y = c(8, 12, 10.5), x = c(1, 4, 2), grp = factor(c("a", "c", "d"), levels = levels(dat$grp)),
                      g2 = factor(c("x", "y", "y"), levels = levels(dat$g2)))

# predictive margins with the covariance between the mean of the predictions and the
# coefficients (the full delta method), from R's own svyrecvar and svrVar
margins_full <- function(m, d, group) {
  mf <- model.frame(d)
  levs <- levels(mf[[group]])
  w <- weights(d, "sampling"); W <- sum(w)
  X <- model.matrix(m)
  fam <- m$family
  est <- NULL; Z <- NULL; Xs <- list()
  if (inherits(d, "svyrep.design")) {
    beta0 <- coef(m)
    repw <- weights(d, "analysis")
    thetas <- matrix(nrow = ncol(repw), ncol = length(levs))
    for (l in levs) {
      nd <- mf; nd[[group]] <- factor(l, levels = levs)
      Xs[[l]] <- model.matrix(terms(m), nd)
      est <- c(est, sum(w * fam$linkinv(drop(Xs[[l]] %*% beta0))) / W)
    }
    for (r in seq_len(ncol(repw))) {
      wr <- repw[, r]
      br <- glm.fit(X, m$y, weights = wr / sum(wr), start = beta0, family = fam, control = tight)$coefficients
      thetas[r, ] <- sapply(levs, function(l) sum(wr * fam$linkinv(drop(Xs[[l]] %*% br))) / sum(wr))
    }
    V <- svrVar(thetas, d$scale, d$rscales, mse = d$mse, coef = est)
    return(list(est = est, V = V, levels = levs))
  }
  Ainv <- m$naive.cov  # summary() of a svyglm gives the design-based vcov instead
  zb <- (X * resid(m, "working") * m$weights) %*% Ainv
  for (l in levs) {
    nd <- mf; nd[[group]] <- factor(l, levels = levs)
    Xc <- model.matrix(terms(m), nd)
    eta <- drop(Xc %*% coef(m)); mu <- fam$linkinv(eta)
    mc <- sum(w * mu) / W
    g <- colSums(w * fam$mu.eta(eta) * Xc) / W
    Z <- cbind(Z, w * (mu - mc) / W + zb %*% g)
    est <- c(est, mc)
  }
  V <- svyrecvar(Z, d$cluster, d$strata, d$fpc, postStrata = d$postStrata)
  list(est = est, V = V, levels = levs)
}

cat("design,model,item,quantity,value\n")
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
models <- list(
  gauss = list(f = y ~ x + grp, family = gaussian(), test = list(grp = ~grp, x = ~x), margins = list(adjust = y ~ x, group = "grp")),
  logit = list(f = b ~ y + x + g2, family = quasibinomial(), test = list(g2 = ~g2, yx = ~y + x), margins = list(adjust = b ~ y + x, group = "g2")),
  binom = list(f = b ~ y + x + g2, family = binomial(), test = list(g2 = ~g2), margins = NULL),
  poisson = list(f = xc ~ y + g2, family = quasipoisson(), test = list(g2 = ~g2), margins = list(adjust = xc ~ y, group = "g2")),
  inter = list(f = y ~ x * g2 + grp, family = gaussian(), test = list(xg2 = ~x:g2), margins = NULL)
)
for (dname in names(designs)) {
  options(survey.lonely.psu = designs[[dname]]$lonely)
  d <- designs[[dname]]$d
  for (mname in names(models)) {
    if (dname == "subset" && mname != "gauss" && mname != "logit") next
    spec <- models[[mname]]
    m <- suppressWarnings(svyglm(spec$f, d, family = spec$family, control = tight))
    b <- coef(m)
    for (i in seq_along(b)) out(dname, mname, names(b)[i], "coef", b[i])
    matrix_out(dname, mname, "", vcov(m))
    out(dname, mname, "", "df_residual", m$df.residual)
    for (tname in names(spec$test)) {
      t <- regTermTest(m, spec$test[[tname]])
      out(dname, mname, tname, "F", t$Ftest); out(dname, mname, tname, "df", t$df)
      out(dname, mname, tname, "ddf", t$ddf); out(dname, mname, tname, "p", t$p)
      t <- regTermTest(m, spec$test[[tname]], df = Inf)
      out(dname, mname, tname, "chisq", t$chisq); out(dname, mname, tname, "p_chisq", t$p)
    }
    ci <- confint(m, level = 0.9)
    for (i in seq_along(b)) { out(dname, mname, names(b)[i], "low90", ci[i, 1]); out(dname, mname, names(b)[i], "high90", ci[i, 2]) }
    if (dname != "subset") for (type in c("response", "link")) {
      p <- predict(m, newdata = newdata, type = type, vcov = TRUE)
      for (i in seq_along(p)) out(dname, mname, paste0("predict_", type, i), "estimate", coef(p)[i])
      matrix_out(dname, mname, paste0("predict_", type), vcov(p))
    }
    if (!is.null(spec$margins) && dname != "subset") {
      # svypredmeans refits the model through a subset that R 4.1 cannot take of a
      # replicate design; there only the full delta method is written
      if (!inherits(d, "svyrep.design")) {
        adjust <- suppressWarnings(svyglm(spec$margins$adjust, d, family = spec$family, control = tight))
        pm <- svypredmeans(adjust, as.formula(paste0("~", spec$margins$group)))
        for (i in seq_along(coef(pm))) out(dname, mname, paste0("margin_", names(coef(pm))[i]), "estimate", coef(pm)[i])
        # svypredmeans orders the groups as they first appear; write them in level order
        v <- vcov(pm); dimnames(v) <- list(names(coef(pm)), names(coef(pm)))
        ordered <- sort(names(coef(pm)))
        v <- v[ordered, ordered]; dimnames(v) <- NULL
        matrix_out(dname, mname, "margins_r", v)
      }
      full <- margins_full(m, d, spec$margins$group)
      for (i in seq_along(full$est)) out(dname, mname, paste0("margin_full_", full$levels[i]), "estimate", full$est[i])
      matrix_out(dname, mname, "margins_full", full$V)
    }
  }
  if (dname %in% c("fpc", "jkn")) {
    # R's default stopping rule, epsilon = 1e-8
    m <- svyglm(b ~ y + x + g2, d, family = quasibinomial())
    for (i in seq_along(coef(m))) out(dname, "logit_default", names(coef(m))[i], "coef", coef(m)[i])
    matrix_out(dname, "logit_default", "", vcov(m))
    # an aliased column: R reports NA and leaves it out of vcov (a replicate design refuses it)
    if (dname == "jkn") next
    m <- svyglm(y ~ x + x2 + grp, d)  # R finds aliasing with its default tolerance only
    b <- coef(m)
    for (i in seq_along(b)) out(dname, "alias", names(b)[i], "coef", b[i])
    matrix_out(dname, "alias", "", vcov(m))
    out(dname, "alias", "", "df_residual", m$df.residual)
  }
}
