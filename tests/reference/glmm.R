# tests/reference/glmm.R: reference values for bin/glmm, computed by R's glm() and lme4::glmer().
#
# Run from the root of the repository, after tests/reference/datasets.R has written data/:
#
#     Rscript tests/reference/glmm.R
#
# It writes
#   - the test inputs tests/data/glmm/*.csv that are not embedded data sets (always the same bytes:
#     the simulated ones come from fixed seeds, their numbers are multiples of 1/64);
#   - tests/reference/glmm/CASE.json for every case below: what `bin/glmm --json OPTIONS FORMULA DATA`
#     must print (the JSON contract of the book's output appendix), as R computes it.  A formula with
#     no random-effect term is a logistic regression, fitted by glm(family = binomial) (model "glm");
#     one with random-effect terms is fitted by glmer(family = binomial) (model "glmm");
#   - tests/reference/glmm/cases.tsv: one line per case, "case<TAB>formula<TAB>data<TAB>options";
#   - tests/reference/glmm/glmer-default.tsv: glmer's default and tight fits beside the exact optimum
#     (for the book's table of glmer's accuracy);
#   - tests/reference/glmm/print/CASE.txt: R's printed summaries of five cases, which the
#     command-line tests compare with bin/glmm's, character for character.
#
# R is a development tool only: these files are committed and the tests never call R.
#
# Three choices need a word.
#   - The reference values of a mixed model are glmer's fit, polished.  glmer() evaluates the
#     Laplace approximation (and adaptive quadrature) at conditional modes found by PIRLS, which it
#     stops when the penalized deviance changes by less than tolPwrss (1e-7 by default) of itself,
#     and with the Cholesky factor of the step before.  The deviance it reports, and so the optimum
#     it finds, is off by what that leaves: on cbpp the default fit's deviance is 5.7e-4 above the
#     optimum of the Laplace approximation, its fixed effects are off by 4e-4 of their size and its
#     standard errors by 1.3%; on VerbAgg with two crossed terms, even with tolPwrss = 1e-10 (1e-11
#     can no longer be met in floating point there) the deviance is 7.5e-4 above the exact value at
#     the same parameters.  Those are more than the tolerances of the comparison.  So we fit with
#     glmer (tolPwrss = 1e-10), then evaluate glmer's own criterion exactly -- Newton's method for the
#     modes to convergence, the factor at the modes (polish_glmer below, sparse matrices from lme4's
#     getME) -- and minimize it from glmer's estimates with BOBYQA to tight tolerances; the standard
#     errors come from the Hessian of that criterion by lme4's own finite differences (deriv12), as
#     vcov() computes them.  The log shows how far the polish moved each fit, and
#     glmm/glmer-default.tsv records glmer's default and tight fits beside the polished one, for the
#     book.  Where glmer is accurate the polish changes nothing that is compared.
#   - Intervals are Wald intervals, estimate -/+ qnorm(1 - (1 - level)/2) * std_error, for glm as
#     for glmer (confint.default), because those are the intervals bin/glmm computes; confint() on
#     a glm fit would give profile-likelihood intervals instead.
#   - For nAGQ > 1, lme4 reports a log-likelihood that leaves out, for each observation, the
#     log-likelihood of the saturated model: its quadrature sums deviance residuals, not -2 log f(y|u).
#     For a binary response that term is zero; for binomial counts it is not (cbpp: about 84 units
#     of deviance).  bin/glmm reports the true log-likelihood whatever nAGQ is, so here we add the
#     saturated term back, and check the result against a direct numerical integration in R.

invisible(Sys.setlocale("LC_COLLATE", "C"))
suppressPackageStartupMessages(library(lme4))

if (!file.exists("data/cbpp.csv")) stop("run from the repository root, after tests/reference/datasets.R")
cat(R.version.string, "\n")
cat("lme4", format(packageVersion("lme4")), "\n")

ref_dir  <- "tests/reference/glmm"
data_dir <- "tests/data/glmm"
dir.create(ref_dir, recursive = TRUE, showWarnings = FALSE)
dir.create(data_dir, recursive = TRUE, showWarnings = FALSE)

# ---------------------------------------------------------------------------------------------
# 1. The test inputs that are not embedded data sets.

q64 <- function(x) round(x * 64) / 64                 # exact short decimals, read alike by R and C
write_sim <- function(d, file) {
  for (v in names(d)) if (is.double(d[[v]])) d[[v]] <- sprintf("%.15g", d[[v]])
  write.csv(d, file.path(data_dir, file), row.names = FALSE, quote = FALSE)
}

# slope.csv: 60 subjects, 20 binary responses each at x = 0, 0.1, ..., 1.9 (as multiples of 1/64),
# with a random intercept and a random slope that are correlated (rho = 0.4).
set.seed(20240611)
G <- 60; per <- 20
g <- rep(sprintf("s%02d", 1:G), each = per)
x <- q64(rep(seq(0, 1.9, by = 0.1), G))
S <- matrix(c(1.0, 0.32, 0.32, 0.64), 2)
b <- MASS::mvrnorm(G, c(0, 0), S)
eta <- -0.5 + 1.2 * x + b[as.integer(factor(g)), 1] + b[as.integer(factor(g)), 2] * x
write_sim(data.frame(y = rbinom(length(eta), 1, plogis(eta)), x = x, g = g), "slope.csv")

# clusters.csv: 320 clusters of 3 to 12 binary responses (2488 rows), a numeric and a three-level
# covariate, and clusters nested in 32 regions (region r01 holds clusters c001..c010, and so on).
set.seed(20240612)
G <- 320
sz <- sample(3:12, G, replace = TRUE)
cl <- rep(sprintf("c%03d", 1:G), sz)
n <- length(cl)
x1 <- q64(rnorm(n))
x2 <- sample(c("lo", "mid", "hi"), n, replace = TRUE)
u <- rnorm(G, 0, 0.9)
eta <- 0.3 + 0.8 * x1 + c(hi = 0.5, lo = -0.4, mid = 0)[x2] + u[as.integer(factor(cl))]
region <- sprintf("r%02d", (as.integer(factor(cl)) - 1) %/% 10 + 1)
eta <- eta + rnorm(32, 0, 0.5)[as.integer(factor(region))]
write_sim(data.frame(y = rbinom(n, 1, plogis(eta)), x1 = x1, x2 = x2, cluster = cl,
                     region = region), "clusters.csv")

# counts.csv: binomial counts with a failures column, and missing values (NA, empty fields) in
# the columns that the formulas use, so that rows are dropped as na.omit drops them.
set.seed(20240613)
G <- 12; per <- 6
grp <- rep(sprintf("g%02d", 1:G), each = per)
x <- q64(runif(G * per, -1, 1))
trials <- sample(5:20, G * per, replace = TRUE)
eta <- -0.3 + 0.9 * x + rnorm(G, 0, 0.7)[as.integer(factor(grp))]
succ <- rbinom(G * per, trials, plogis(eta))
d <- data.frame(s = succ, f = trials - succ, x = x, grp = grp)
d$x <- sprintf("%.15g", d$x)
d$s[c(5, 40)] <- NA
d$x[c(17, 63)] <- "NA"
d$x[30] <- ""
d$grp[51] <- NA
write.csv(d, file.path(data_dir, "counts.csv"), row.names = FALSE, quote = FALSE, na = "NA")

# flat.csv: 8 groups of 12 binary responses with no group effect at all: glmer's estimate of
# the variance is zero, a singular fit.
set.seed(20240614)
write_sim(data.frame(y = rbinom(96, 1, 0.4), x = q64(rnorm(96)),
                     batch = rep(sprintf("b%d", 1:8), each = 12)), "flat.csv")

# separated.csv: a response that x separates completely (y is 1 exactly when x > 6), in three
# groups; for the command-line tests of the separation warning, not for comparison with R (whose
# estimates under separation depend on where its iteration stops).
writeLines(c("y,x,g", sprintf("%d,%d,%s", as.integer(1:12 > 6), 1:12, rep(c("a", "b", "c"), 4))),
           file.path(data_dir, "separated.csv"))

# cbpp_obs.csv: cbpp with an observation number, for the classic over-dispersion model with an
# observation-level random effect, (1 | obs): one level per row, which glmer fits (it checks levels
# < observations only for lmer).
cb <- read.csv("data/cbpp.csv")
cb$obs <- seq_len(nrow(cb))
write.csv(cb, file.path(data_dir, "cbpp_obs.csv"), row.names = FALSE)
# scale.csv (issue 15, scale-invariant rank decisions): a binary y, x and z of order 1, and x
# again multiplied by 1e200 and by 1e-200; glm keeps the rescaled x (coefficient of order 1e-200
# and 1e200, the other coefficients unchanged).  Written with 17 significant digits.
set.seed(1515)
x <- round(rnorm(60), 2); z <- round(rnorm(60), 2)
sc <- data.frame(y = rbinom(60, 1, plogis(0.3 + x - 0.5 * z)), x = x, z = z,
                 x_e200 = x * 1e200, x_em200 = x * 1e-200)
for (v in c("x", "z", "x_e200", "x_em200")) sc[[v]] <- sprintf("%.17g", sc[[v]])
write.csv(sc, file.path(data_dir, "scale.csv"), row.names = FALSE, quote = FALSE)

# ---------------------------------------------------------------------------------------------
# 2. The cases: name, formula, data (an embedded data set's name or a path from the repository
#    root), options for bin/glmm.

cases <- read.table(header = TRUE, sep = ";", strip.white = TRUE, stringsAsFactors = FALSE,
                    quote = "", comment.char = "", text = "
  case                ; formula                                                             ; data                          ; options
  glm_binary          ; am ~ wt + hp                                                        ; mtcars                        ;
  glm_binary_one      ; vs ~ mpg                                                            ; mtcars                        ;
  glm_intercept_only  ; am ~ 1                                                              ; mtcars                        ;
  glm_no_intercept    ; am ~ 0 + wt + hp                                                    ; mtcars                        ;
  glm_trials          ; cbind(incidence, size - incidence) ~ factor(period)                 ; cbpp                          ;
  glm_factor_response ; supp ~ len + dose                                                   ; ToothGrowth                   ;
  glm_factor_large    ; r2 ~ Anger + Gender + btype * situ                                  ; VerbAgg                       ;
  glm_counts_missing  ; cbind(s, f) ~ x                                                     ; tests/data/glmm/counts.csv    ;
  glm_level_90        ; am ~ wt                                                             ; mtcars                        ; --level 0.9
  glm_scale_invariant_rank_e200  ; y ~ x_e200 + z                                            ; tests/data/glmm/scale.csv     ;
  glm_scale_invariant_rank_em200 ; y ~ x_em200 + z                                           ; tests/data/glmm/scale.csv     ;
  glm_scale_invariant_rank_mtcars ; am ~ I(wt * 1e154) + hp                                  ; mtcars                        ;
  cbpp_laplace        ; cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)    ; cbpp                          ;
  cbpp_agq5           ; cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)    ; cbpp                          ; --nagq 5
  cbpp_agq25          ; cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)    ; cbpp                          ; --nagq 25
  counts_missing      ; cbind(s, f) ~ x + (1 | grp)                                         ; tests/data/glmm/counts.csv    ;
  verbagg_item        ; r2 ~ btype + situ + (1 | item)                                      ; VerbAgg                       ;
  verbagg_crossed     ; r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)          ; VerbAgg                       ;
  slope_correlated    ; y ~ x + (x | g)                                                     ; tests/data/glmm/slope.csv     ;
  slope_uncorrelated  ; y ~ x + (x || g)                                                    ; tests/data/glmm/slope.csv     ;
  clusters_320        ; y ~ x1 + x2 + (1 | cluster)                                         ; tests/data/glmm/clusters.csv  ;
  clusters_320_agq9   ; y ~ x1 + x2 + (1 | cluster)                                         ; tests/data/glmm/clusters.csv  ; --nagq 9
  clusters_nested     ; y ~ x1 + (1 | region/cluster)                                       ; tests/data/glmm/clusters.csv  ;
  flat_singular       ; y ~ x + (1 | batch)                                                 ; tests/data/glmm/flat.csv      ;
  cbpp_level_99       ; cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)    ; cbpp                          ; --level 0.99
  cbpp_obs_level      ; cbind(incidence, size - incidence) ~ factor(period) + (1 | herd) + (1 | obs) ; tests/data/glmm/cbpp_obs.csv ;
")

option_value <- function(options, name, default) {
  w <- strsplit(trimws(options), "[ =]+")[[1]]
  k <- match(paste0("--", name), w)
  if (is.na(k)) default else as.numeric(w[k + 1])
}

# ---------------------------------------------------------------------------------------------
# 3. JSON, written by hand (no packages needed).

source("tests/reference/json.R")    # num, int, str_json, field, bool, coef_json, p_normal, glm_json

# The saturated model's -2 log-likelihood, which lme4's quadrature leaves out (see the top).
saturated <- function(fit) {
  y <- getME(fit, "y"); m <- weights(fit)
  -2 * sum(dbinom(round(m * y), round(m), y, log = TRUE))
}

# The log-likelihood by direct integration, for one scalar random intercept: a check of the
# correction above, independent of lme4's quadrature.
loglik_by_integration <- function(fit, pol) {
  y <- getME(fit, "y"); m <- weights(fit)
  eta0 <- drop(getME(fit, "X") %*% pol$beta)
  sd <- pol$theta[[1]]
  grp <- getME(fit, "flist")[[1]]
  sum(vapply(split(seq_along(y), grp), function(i) {
    f <- function(z) vapply(z, function(zz)
      exp(sum(dbinom(round(m[i] * y[i]), m[i], plogis(eta0[i] + sd * zz), log = TRUE))), 0) * dnorm(z)
    log(integrate(f, -Inf, Inf, rel.tol = 1e-12)$value)
  }, 0))
}

# glmer's criterion, evaluated exactly: -2 log-likelihood (binomial coefficients included) by the
# Laplace approximation, or by adaptive Gauss-Hermite quadrature with nagq nodes for one scalar
# term, at parameters par = c(theta, beta).  The conditional modes come from Newton's method
# (PIRLS) run until the largest step is below 1e-11, with step halving; the Cholesky factor is
# the one at the modes.  Everything else is what glmer uses: Z, Lambda and its mapping Lind from
# theta, X, y and the prior weights, all taken from the fit by getME.
exact_criterion <- function(fit, nagq) {
  X <- getME(fit, "X"); y <- getME(fit, "y"); m <- weights(fit); k <- round(m * y)
  Zt <- getME(fit, "Zt"); Lind <- getME(fit, "Lind"); Lambdat <- getME(fit, "Lambdat")
  nth <- length(getME(fit, "theta")); q <- nrow(Zt)
  GQ <- if (nagq > 1) GHrule(nagq) else NULL
  fac <- getME(fit, "flist")[[1]]
  u <- getME(fit, "u")                                  # warm start; the result does not depend on it
  minus2logf <- function(eta) -2 * dbinom(k, m, plogis(eta), log = TRUE)
  function(par) {
    Lambdat@x <- par[seq_len(nth)][Lind]
    LZt <- Lambdat %*% Zt                               # (Z Lambda)'
    off <- drop(X %*% par[-seq_len(nth)])
    pdev <- function(u) sum(minus2logf(off + drop(crossprod(LZt, u)))) + sum(u^2)
    uu <- u; old <- pdev(uu)
    for (it in 1:100) {
      mu <- plogis(off + drop(crossprod(LZt, uu))); w <- m * mu * (1 - mu)
      H <- tcrossprod(LZt %*% Diagonal(x = sqrt(w))) + Diagonal(q)
      step <- drop(solve(H, drop(LZt %*% (m * (y - mu))) - uu))
      if (max(abs(step)) < 1e-11) {                    # converged: take the last Newton step
        uu <- uu + step
        break
      }
      for (h in 0:20) {                                 # step halving, blind to rounding
        new <- pdev(uu + step)
        if (new <= old + 1e-12 * abs(old)) break
        step <- step / 2
      }
      uu <- uu + step; old <- new
    }
    u <<- uu
    eta <- off + drop(crossprod(LZt, uu)); mu <- plogis(eta); w <- m * mu * (1 - mu)
    H <- tcrossprod(LZt %*% Diagonal(x = sqrt(w))) + Diagonal(q)
    if (nagq <= 1)
      return(sum(minus2logf(eta)) + sum(uu^2) + as.numeric(determinant(H)$modulus))
    sd <- 1 / sqrt(diag(H))                             # one scalar term: H is diagonal
    lam <- par[1]; z <- drop(Zt[1, ] * 0 + colSums(Zt))  # the term's column of Z, by observation
    lev <- as.integer(fac)
    devc <- function(v) {                               # per level: v^2 + sum of -2 log f
      r <- tapply(minus2logf(off + z * lam * v[lev]), fac, sum)
      as.numeric(r) + v^2
    }
    base <- devc(uu)
    mult <- 0
    for (j in seq_len(nrow(GQ)))
      mult <- mult + GQ[j, "w"] * exp(-0.5 * (devc(uu + GQ[j, "z"] * sd) - base) + GQ[j, "z"]^2 / 2)
    sum(base) + sum(log(diag(H))) - 2 * sum(log(mult))
  }
}

# Minimize the exact criterion from glmer's estimates, and take the Hessian as lme4 does.
polish_glmer <- function(fit, nagq) {
  f <- exact_criterion(fit, nagq)
  th <- getME(fit, "theta"); nth <- length(th)
  start <- c(th, fixef(fit))
  lower <- c(getME(fit, "lower"), rep(-Inf, length(fixef(fit))))
  opt <- nloptr::nloptr(start, f, lb = lower,
                        opts = list(algorithm = "NLOPT_LN_BOBYQA", xtol_rel = 1e-12,
                                    ftol_abs = 1e-13, maxeval = 20000))
  par <- opt$solution
  if (any(b <- lower == 0 & par > 0 & par < 1e-5)) {     # glmer's boundary check
    p0 <- par; p0[b] <- 0
    if (f(p0) < f(par)) par <- p0
  }
  dev <- f(par)
  h <- lme4:::deriv12(f, par, fx = dev)$Hessian
  hi <- solve(h)[-seq_len(nth), -seq_len(nth), drop = FALSE]
  list(theta = par[seq_len(nth)], beta = setNames(par[-seq_len(nth)], names(fixef(fit))),
       deviance = dev, vcov = hi + t(hi), status = opt$status)
}

glmm_json <- function(fit, pol, formula, level, nagq) {
  est <- pol$beta
  se <- sqrt(diag(pol$vcov)); names(se) <- names(est)
  ll <- -pol$deviance / 2
  if (nagq > 1) {
    direct <- loglik_by_integration(fit, pol)
    cat(sprintf("    log-likelihood %.10f, by direct integration %.10f\n", ll, direct))
    if (nagq >= 25) stopifnot(abs(ll - direct) < 1e-6)
  }
  k <- length(est) + length(pol$theta)
  n <- nobs(fit)
  cnms <- getME(fit, "cnms")
  re <- character(0); co <- character(0); t0 <- 0
  for (t in seq_along(cnms)) {
    grp <- names(cnms)[t]; terms <- cnms[[t]]; q <- length(terms)
    L <- matrix(0, q, q); L[lower.tri(L, diag = TRUE)] <- pol$theta[t0 + seq_len(q * (q + 1) / 2)]
    t0 <- t0 + q * (q + 1) / 2
    V <- L %*% t(L)                                     # the covariance: sigma = 1
    for (a in seq_along(terms)) {
      re <- c(re, paste0("    {\"group\": ", str_json(grp), ", \"term\": ", str_json(terms[a]),
                         ", \"variance\": ", num(V[a, a]), ", \"std_dev\": ", num(sqrt(V[a, a])), "}"))
      for (b in seq_len(a - 1))
        co <- c(co, paste0("    {\"group\": ", str_json(grp), ", \"term1\": ", str_json(terms[b]),
                           ", \"term2\": ", str_json(terms[a]), ", \"correlation\": ",
                           num(V[a, b] / sqrt(V[a, a] * V[b, b])), "}"))
    }
  }
  ng <- ngrps(fit)
  ng <- ng[!duplicated(names(getME(fit, "flist")))]
  n_dropped <- if (is.null(attr(fit@frame, "na.action"))) 0L else length(attr(fit@frame, "na.action"))
  singular <- any(pol$theta[getME(fit, "lower") == 0] < 1e-4)   # isSingular's rule
  converged <- pol$status > 0 && all(eigen(pol$vcov, only.values = TRUE)$values > 0)
  paste0("{\n", paste(c(
    field("model", str_json("glmm")),
    field("formula", str_json(formula)),
    field("n_obs", int(n)),
    field("n_dropped", int(n_dropped)),
    paste0("  \"coefficients\": [\n", paste(coef_json(est, se, level, p_normal), collapse = ",\n"),
           "\n  ]"),
    field("log_lik", num(ll)),
    field("aic", num(-2 * ll + 2 * k)),
    field("bic", num(-2 * ll + log(n) * k)),
    field("converged", bool(converged)),
    field("deviance", num(-2 * ll)),
    field("theta", paste0("[", paste(vapply(pol$theta, num, ""), collapse = ", "), "]")),
    paste0("  \"random_effects\": [\n", paste(re, collapse = ",\n"), "\n  ]"),
    if (length(co)) paste0("  \"correlations\": [\n", paste(co, collapse = ",\n"), "\n  ]")
    else field("correlations", "[]"),
    field("n_groups", paste0("{", paste(sprintf("%s: %d", vapply(names(ng), str_json, ""), ng),
                                      collapse = ", "), "}")),
    field("singular", bool(singular)),
    field("nagq", int(nagq))
  ), collapse = ",\n"), "\n}\n")
}

# ---------------------------------------------------------------------------------------------
# 4. Fit every case and write its JSON file and its line of cases.tsv.

defaults <- paste("case\tdeviance_default\tdeviance_tight\tdeviance_exact\tbeta_default\tse_default",
                  "beta_tight\tse_tight", sep = "\t")
tsv <- paste("# case\tformula\tdata\toptions   (reference values from R's glm() and lme4::glmer();",
             "regenerate with Rscript tests/reference/glmm.R)")
for (i in seq_len(nrow(cases))) {
  cs <- cases[i, ]
  d <- read.csv(csv_path(cs$data), stringsAsFactors = TRUE)
  level <- option_value(cs$options, "level", 0.95)
  nagq <- option_value(cs$options, "nagq", 1)
  f <- as.formula(cs$formula)
  if (is.null(findbars(f))) {
    fit <- glm(f, family = binomial, data = d)
    json <- glm_json(fit, cs$formula, level)
    info <- sprintf("glm: deviance %.6f, %d iterations", deviance(fit), fit$iter)
  } else {
    fit <- withCallingHandlers(glmer(f, family = binomial, data = d, nAGQ = nagq,
                                     control = glmerControl(tolPwrss = 1e-10)),
                               warning = function(w) cat("    warning:", conditionMessage(w), "\n"))
    pol <- polish_glmer(fit, nagq)
    json <- glmm_json(fit, pol, cs$formula, level, nagq)
    default <- suppressMessages(suppressWarnings(glmer(f, family = binomial, data = d, nAGQ = nagq)))
    corr <- if (nagq > 1) saturated(fit) else 0
    se_p <- sqrt(diag(pol$vcov))
    moved <- function(g) c(-2 * as.numeric(logLik(g)) + corr,
                           max(abs(fixef(g) - pol$beta) / pmax(abs(pol$beta), se_p)),
                           max(abs(sqrt(diag(as.matrix(vcov(g)))) / se_p - 1)))
    md <- moved(default); mt <- moved(fit)
    defaults <- c(defaults, paste(cs$case, sprintf("%.10f", md[1]), sprintf("%.10f", mt[1]),
                                  sprintf("%.10f", pol$deviance), sprintf("%.3g", md[2]),
                                  sprintf("%.3g", md[3]), sprintf("%.3g", mt[2]),
                                  sprintf("%.3g", mt[3]), sep = "\t"))
    info <- sprintf("polished -2 logLik %.6f (glmer %.6f, default %.6f)%s", pol$deviance, mt[1], md[1],
                    if (grepl("true", json) && grepl("\"singular\": true", json)) " (singular)" else "")
  }
  writeLines(json, file.path(ref_dir, paste0(cs$case, ".json")), sep = "")
  tsv <- c(tsv, paste(cs$case, cs$formula, cs$data, cs$options, sep = "\t"))
  cat(sprintf("%-20s %-62s n=%5d %s\n", cs$case, cs$formula, nobs(fit), info))
}
writeLines(tsv, file.path(ref_dir, "cases.tsv"))

# ---------------------------------------------------------------------------------------------
# 5. Printed summaries, for the command-line tests that compare bin/glmm's text with R's: the
#    output of print(summary(fit)) for a few cases on embedded data sets, with the call (glm) or
#    the Data line (glmer) naming the data set as the command line does.  The glmer fit is the one
#    with tolPwrss = 1e-10, whose printed digits are those of the exact optimum; its Control line,
#    which bin/glmm has no reason to print, is left out.

print_dir <- file.path(ref_dir, "print")
dir.create(print_dir, showWarnings = FALSE)
printed <- c(glm_binary = "glm", glm_trials = "glm", glm_factor_response = "glm",
             glm_intercept_only = "glm", cbpp_laplace = "glmer")
for (case in names(printed)) {
  cs <- cases[cases$case == case, ]
  d <- read.csv(csv_path(cs$data), stringsAsFactors = TRUE)
  if (printed[[case]] == "glm") {
    fit <- glm(as.formula(cs$formula), family = binomial, data = d)
    fit$call <- call("glm", formula = as.formula(cs$formula), family = quote(binomial),
                     data = as.name(cs$data))
  } else {
    fit <- glmer(as.formula(cs$formula), family = binomial, data = d,
                 control = glmerControl(tolPwrss = 1e-10))
    fit@call <- call("glmer", formula = as.formula(cs$formula), data = as.name(cs$data),
                     family = quote(binomial))
  }
  writeLines(capture.output(print(summary(fit))), file.path(print_dir, paste0(case, ".txt")))
}
writeLines(defaults, file.path(ref_dir, "glmer-default.tsv"))
cat(sprintf("%d cases written to %s\n", nrow(cases), ref_dir))
