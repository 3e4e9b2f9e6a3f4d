# Reference values for vpt_monitor.stats.proportion_ci / difference_ci / rate_ci.
#
# Run:  Rscript tests/reference/intervals.R > tests/reference/intervals.csv
#
# Built-in R functions are used where they exist (binom.test, prop.test, poisson.test);
# the other methods are written here from their published definitions, with scalar root
# finding by uniroot() and, for the score intervals of Mee and Miettinen-Nurminen, the
# restricted maximum-likelihood estimates found numerically by optimize() rather than by the
# closed-form cubic that the Python code uses. The two implementations therefore share no code
# and no algorithm.
options(digits = 17)
tol <- 1e-13

z_of <- function(level) qnorm(1 - (1 - level) / 2)

# ---- one proportion -------------------------------------------------------------------
prop_wald <- function(x, n, level) {
  p <- x / n; h <- z_of(level) * sqrt(p * (1 - p) / n); c(p - h, p + h)
}
prop_wilson <- function(x, n, level) as.numeric(prop.test(x, n, conf.level = level, correct = FALSE)$conf.int)
prop_wilson_cc <- function(x, n, level) as.numeric(prop.test(x, n, conf.level = level, correct = TRUE)$conf.int)
prop_ac <- function(x, n, level) {
  z <- z_of(level); nt <- n + z^2; pt <- (x + z^2 / 2) / nt; h <- z * sqrt(pt * (1 - pt) / nt)
  c(pt - h, pt + h)
}
prop_jeffreys <- function(x, n, level) {
  a <- (1 - level) / 2
  c(if (x == 0) 0 else qbeta(a, x + 0.5, n - x + 0.5),
    if (x == n) 1 else qbeta(1 - a, x + 0.5, n - x + 0.5))
}
prop_cp <- function(x, n, level) as.numeric(binom.test(x, n, conf.level = level)$conf.int)
prop_midp <- function(x, n, level) {
  a <- (1 - level) / 2
  lo <- if (x == 0) 0 else uniroot(function(p) pbinom(x, n, p, lower.tail = FALSE) + dbinom(x, n, p) / 2 - a,
                                    c(0, 1), tol = tol)$root
  hi <- if (x == n) 1 else uniroot(function(p) pbinom(x - 1, n, p) + dbinom(x, n, p) / 2 - a,
                                    c(0, 1), tol = tol)$root
  c(lo, hi)
}
prop_lr <- function(x, n, level) {
  z2 <- z_of(level)^2
  ll <- function(p) dbinom(x, n, p, log = TRUE)
  top <- ll(x / n)
  f <- function(p) 2 * (top - ll(p)) - z2
  lo <- if (x == 0) 0 else uniroot(f, c(1e-15, x / n), tol = tol)$root
  hi <- if (x == n) 1 else uniroot(f, c(x / n, 1 - 1e-15), tol = tol)$root
  c(lo, hi)
}
prop_methods <- list(wald = prop_wald, wilson = prop_wilson, wilson_cc = prop_wilson_cc,
                     agresti_coull = prop_ac, jeffreys = prop_jeffreys,
                     clopper_pearson = prop_cp, mid_p = prop_midp, likelihood = prop_lr)

# ---- difference of two proportions ------------------------------------------------------
diff_wald <- function(x1, n1, x2, n2, level) {
  p1 <- x1 / n1; p2 <- x2 / n2
  h <- z_of(level) * sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
  c(p1 - p2 - h, p1 - p2 + h)
}
hybrid <- function(single) function(x1, n1, x2, n2, level) {
  p1 <- x1 / n1; p2 <- x2 / n2; a <- single(x1, n1, level); b <- single(x2, n2, level)
  c(p1 - p2 - sqrt((p1 - a[1])^2 + (b[2] - p2)^2), p1 - p2 + sqrt((a[2] - p1)^2 + (p2 - b[1])^2))
}
diff_ac <- function(x1, n1, x2, n2, level) diff_wald(x1 + 1, n1 + 2, x2 + 1, n2 + 2, level)
restricted <- function(x1, n1, x2, n2, delta) {
  # maximise the binomial log-likelihood over p2 with p1 = p2 + delta
  lo <- max(0, -delta); hi <- min(1, 1 - delta)
  if (hi - lo < 1e-15) return(c(lo + delta, lo))
  negll <- function(p2) -(dbinom(x1, n1, p2 + delta, log = TRUE) + dbinom(x2, n2, p2, log = TRUE))
  p2 <- optimize(negll, c(lo, hi), tol = 1e-15)$minimum
  c(p2 + delta, p2)
}
score_diff <- function(factor_fn) function(x1, n1, x2, n2, level) {
  z <- z_of(level); d <- x1 / n1 - x2 / n2; f <- factor_fn(n1, n2)
  stat <- function(delta) {
    if (abs(delta - d) < 1e-15) return(0)
    q <- restricted(x1, n1, x2, n2, delta)
    (d - delta) / sqrt(f * (q[1] * (1 - q[1]) / n1 + q[2] * (1 - q[2]) / n2))
  }
  eps <- 1e-12
  lo <- if (d <= -1 + eps) -1 else uniroot(function(t) stat(t) - z, c(-1 + eps, d), tol = tol)$root
  hi <- if (d >= 1 - eps) 1 else uniroot(function(t) stat(t) + z, c(d, 1 - eps), tol = tol)$root
  c(lo, hi)
}
diff_methods <- list(wald = diff_wald, newcombe = hybrid(prop_wilson),
                     newcombe_cc = hybrid(prop_wilson_cc), agresti_caffo = diff_ac,
                     mee = score_diff(function(n1, n2) 1),
                     miettinen_nurminen = score_diff(function(n1, n2) (n1 + n2) / (n1 + n2 - 1)))

# ---- Poisson rate (for the count; exposure divides) -------------------------------------
pois_exact <- function(x, level) as.numeric(poisson.test(x, conf.level = level)$conf.int)
pois_midp <- function(x, level) {
  a <- (1 - level) / 2; top <- qchisq(1 - a / 10, 2 * x + 2)
  lo <- if (x == 0) 0 else uniroot(function(m) ppois(x, m, lower.tail = FALSE) + dpois(x, m) / 2 - a,
                                    c(0, top), tol = tol)$root
  hi <- uniroot(function(m) (if (x > 0) ppois(x - 1, m) else 0) + dpois(x, m) / 2 - a,
                c(0, top), tol = tol)$root
  c(lo, hi)
}
pois_byar <- function(x, level) {
  z <- z_of(level)
  lo <- if (x == 0) 0 else x * (1 - 1 / (9 * x) - z / (3 * sqrt(x)))^3
  c(lo, (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * sqrt(x + 1)))^3)
}
pois_wald <- function(x, level) { h <- z_of(level) * sqrt(x); c(max(0, x - h), x + h) }
pois_score <- function(x, level) {
  z <- z_of(level); h <- z * sqrt(x + z^2 / 4); c(x + z^2 / 2 - h, x + z^2 / 2 + h)
}
pois_methods <- list(exact = pois_exact, mid_p = pois_midp, byar = pois_byar,
                     wald = pois_wald, score = pois_score)

# ---- cases ------------------------------------------------------------------------------
levels <- c(0.95, 0.90, 0.99)
props <- list(c(81, 263), c(15, 148), c(0, 20), c(1, 29), c(29, 29), c(7, 12), c(1, 1), c(3, 1000))
diffs <- list(c(56, 70, 48, 80), c(9, 10, 3, 10), c(6, 7, 2, 7), c(5, 56, 0, 29),
              c(0, 10, 0, 20), c(0, 10, 0, 10), c(10, 10, 0, 20), c(10, 10, 0, 10),
              c(13, 40, 21, 35))
counts <- c(0, 1, 2, 5, 12, 100, 1234)

fmt <- function(v) sprintf("%.17g", v)
cat("kind,method,level,x1,n1,x2,n2,low,high\n")
for (level in levels) {
  for (m in names(prop_methods)) for (c in props) {
    ci <- pmin(pmax(prop_methods[[m]](c[1], c[2], level), 0), 1)
    cat("proportion", m, level, c[1], c[2], "", "", fmt(ci[1]), fmt(ci[2]), sep = ",")
    cat("\n")
  }
  for (m in names(diff_methods)) for (c in diffs) {
    ci <- pmin(pmax(diff_methods[[m]](c[1], c[2], c[3], c[4], level), -1), 1)
    cat("difference", m, level, c[1], c[2], c[3], c[4], fmt(ci[1]), fmt(ci[2]), sep = ",")
    cat("\n")
  }
  for (m in names(pois_methods)) for (x in counts) {
    ci <- pmax(pois_methods[[m]](x, level), 0)
    cat("rate", m, level, x, 1, "", "", fmt(ci[1]), fmt(ci[2]), sep = ",")
    cat("\n")
  }
}
