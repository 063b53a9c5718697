# tests/reference/family.R: reference values for bin/glmm's other families and links
# (--family poisson, --link probit|cloglog), computed by R's glm() and lme4::glmer().
#
# Run from the root of the repository, after tests/reference/datasets.R has written data/:
#
#     Rscript tests/reference/family.R
#
# It writes tests/reference/glmm/fam_*.json (what `bin/glmm --json OPTIONS FORMULA DATA` must print)
# and tests/reference/glmm/cases-family.tsv (one line per case, as cases.tsv; tests/run reads every
# cases*.tsv of a program's directory).  The method is that of tests/reference/glmm.R, with the
# family's functions in place of the logit's: a formula without random-effect terms is fitted by
# glm(family = ...); one with them by glmer(family = ..., tolPwrss = 1e-10), and then polished: the
# exact Laplace (or adaptive Gauss-Hermite) criterion -- conditional modes by Fisher scoring to
# convergence, with the weights m (dmu/deta)^2 / V(mu) that glmer's PIRLS and its Laplace
# approximation use, the factor at the modes, -2 log f with the constants of the family's aic() --
# minimized from glmer's estimates by BOBYQA, and the standard errors from lme4's deriv12 Hessian
# of that criterion, as vcov() computes them.  R is a development tool only: the tests never call it.

invisible(Sys.setlocale("LC_COLLATE", "C"))
suppressPackageStartupMessages(library(lme4))
if (!file.exists("data/cbpp.csv")) stop("run from the repository root, after tests/reference/datasets.R")
cat(R.version.string, "\n")
cat("lme4", format(packageVersion("lme4")), "\n")
ref_dir <- "tests/reference/glmm"

cases <- read.table(header = TRUE, sep = ";", strip.white = TRUE, stringsAsFactors = FALSE,
                    quote = "", comment.char = "", text = "
  case                  ; formula                                                                   ; data        ; options
  fam_glm_pois_grouse   ; TICKS ~ factor(YEAR) + HEIGHT                                             ; grouseticks ; --family poisson
  fam_glm_pois_warp     ; breaks ~ wool + tension                                                   ; warpbreaks  ; --family poisson
  fam_glm_pois_noint    ; breaks ~ 0 + wool + tension                                               ; warpbreaks  ; --family poisson
  fam_glm_probit_cbpp   ; cbind(incidence, size - incidence) ~ factor(period)                       ; cbpp        ; --link probit
  fam_glm_probit_binary ; am ~ wt + hp                                                              ; mtcars      ; --link probit
  fam_glm_probit_noint  ; am ~ 0 + wt                                                               ; mtcars      ; --link probit
  fam_glm_cloglog_cbpp  ; cbind(incidence, size - incidence) ~ factor(period)                       ; cbpp        ; --link cloglog
  fam_glm_cloglog_bin   ; vs ~ mpg                                                                  ; mtcars      ; --link cloglog
  fam_glm_cloglog_noint ; am ~ 0 + wt                                                               ; mtcars      ; --link cloglog
  fam_grouse            ; TICKS ~ factor(YEAR) + HEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION) ; grouseticks ; --family poisson
  fam_grouse_centred    ; TICKS ~ factor(YEAR) + cHEIGHT + (1 | BROOD) + (1 | INDEX)                ; grouseticks ; --family poisson
  fam_grouse_agq        ; TICKS ~ factor(YEAR) + cHEIGHT + (1 | BROOD)                              ; grouseticks ; --family poisson --nagq 9
  fam_warp_pois         ; breaks ~ tension + (1 | wool)                                             ; warpbreaks  ; --family poisson
  fam_cbpp_probit       ; cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)          ; cbpp        ; --link probit
  fam_cbpp_probit_agq   ; cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)          ; cbpp        ; --link probit --nagq 7
  fam_verbagg_probit    ; r2 ~ btype + situ + (1 | item)                                            ; VerbAgg     ; --link probit
  fam_cbpp_cloglog      ; cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)          ; cbpp        ; --link cloglog
  fam_cbpp_cloglog_agq  ; cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)          ; cbpp        ; --link cloglog --nagq 7
  fam_verbagg_cloglog   ; r2 ~ btype + situ + (1 | item)                                            ; VerbAgg     ; --link cloglog
  off_glm_pois_cbpp     ; incidence ~ factor(period) + offset(log(size))                            ; cbpp        ; --family poisson
  off_glm_pois_noint    ; incidence ~ 0 + factor(period) + offset(log(size))                        ; cbpp        ; --family poisson
  off_glm_logit_cbpp    ; cbind(incidence, size - incidence) ~ factor(period) + offset(size/10)     ; cbpp        ;
  off_glm_probit_two    ; am ~ wt + offset(qsec/20) + offset(-gear/4)                               ; mtcars      ; --link probit
  off_pois_cbpp         ; incidence ~ factor(period) + offset(log(size)) + (1 | herd)               ; cbpp        ; --family poisson
  off_pois_cbpp_agq     ; incidence ~ factor(period) + offset(log(size)) + (1 | herd)               ; cbpp        ; --family poisson --nagq 9
  off_logit_cbpp        ; cbind(incidence, size - incidence) ~ factor(period) + offset(size/10) + (1 | herd) ; cbpp ;
  wt_glm_binary         ; am ~ wt                                                                   ; mtcars      ; --weights carb
  wt_glm_zero           ; am ~ wt + hp                                                              ; mtcars      ; --weights vs
  wt_glm_counts         ; cbind(incidence, size - incidence) ~ factor(period)                       ; cbpp        ; --weights herd
  wt_glm_pois           ; carb ~ wt                                                                 ; mtcars      ; --family poisson --weights gear
  wt_glm_probit         ; cbind(incidence, size - incidence) ~ factor(period)                       ; cbpp        ; --link probit --weights period
  wt_cbpp               ; cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)          ; cbpp        ; --weights period
  wt_cbpp_agq           ; cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)          ; cbpp        ; --weights period --nagq 5
  wt_pois_mtcars        ; carb ~ wt + (1 | cyl)                                                     ; mtcars      ; --family poisson --weights gear
")

option_word <- function(options, name, default) {
  w <- strsplit(trimws(options), "[ =]+")[[1]]
  k <- match(paste0("--", name), w)
  if (is.na(k)) default else w[k + 1]
}
family_of <- function(options) {
  if (option_word(options, "family", "binomial") == "poisson") poisson()
  else binomial(link = option_word(options, "link", "logit"))
}

source("tests/reference/json.R")    # the JSON writers, coef_json and glm_json as glmm.R writes them

# -2 log f(y | mu) with the constants of the family's aic(), for prior weights m (the trials of a
# binomial proportion, 1 for a Poisson count).
minus2logf_of <- function(family, y, m, n = m) {
  if (family$family == "poisson") return(function(mu) -2 * m * dpois(y, mu, log = TRUE))
  # the binomial family's aic(): trials n, prior weights m; weights are trials when every n is 1
  mm <- if (any(n > 1)) n else m
  f <- ifelse(mm > 0, m / mm, 0); k <- round(mm * y)
  function(mu) -2 * f * dbinom(k, round(mm), mu, log = TRUE)
}

# glmer's criterion, evaluated exactly (see glmm.R's exact_criterion, of which this is the
# family-general version).
exact_criterion <- function(fit, nagq) {
  family <- fit@resp$family
  X <- getME(fit, "X"); y <- getME(fit, "y"); m <- weights(fit)
  Zt <- getME(fit, "Zt"); Lind <- getME(fit, "Lind"); Lambdat <- getME(fit, "Lambdat")
  nth <- length(getME(fit, "theta")); q <- nrow(Zt)
  GQ <- if (nagq > 1) GHrule(nagq) else NULL
  fac <- getME(fit, "flist")[[1]]
  u <- getME(fit, "u")
  m2lf <- minus2logf_of(family, y, m, fit@resp$n)
  m2lf_at <- function(eta) m2lf(family$linkinv(eta))
  weights_at <- function(eta) {
    mu <- family$linkinv(eta); d <- family$mu.eta(eta)
    list(mu = mu, d = d, w = m * d^2 / family$variance(mu), v = family$variance(mu))
  }
  function(par) {
    Lambdat@x <- par[seq_len(nth)][Lind]
    LZt <- Lambdat %*% Zt
    off <- drop(X %*% par[-seq_len(nth)]) + getME(fit, "offset")
    pdev <- function(u) sum(m2lf_at(off + drop(crossprod(LZt, u)))) + sum(u^2)
    uu <- u; old <- pdev(uu)
    for (it in 1:200) {
      a <- weights_at(off + drop(crossprod(LZt, uu)))
      H <- tcrossprod(LZt %*% Diagonal(x = sqrt(a$w))) + Diagonal(q)
      step <- drop(solve(H, drop(LZt %*% (m * (y - a$mu) * a$d / a$v)) - uu))
      if (max(abs(step)) < 1e-11) { uu <- uu + step; break }
      for (h in 0:30) {
        new <- pdev(uu + step)
        if (new <= old + 1e-12 * abs(old)) break
        step <- step / 2
      }
      uu <- uu + step; old <- new
    }
    u <<- uu
    eta <- off + drop(crossprod(LZt, uu)); a <- weights_at(eta)
    H <- tcrossprod(LZt %*% Diagonal(x = sqrt(a$w))) + Diagonal(q)
    if (nagq <= 1)
      return(sum(m2lf_at(eta)) + sum(uu^2) + as.numeric(determinant(H)$modulus))
    sd <- 1 / sqrt(diag(H))
    lam <- par[1]; z <- drop(colSums(Zt))
    lev <- as.integer(fac)
    devc <- function(v) as.numeric(tapply(m2lf_at(off + z * lam * v[lev]), fac, sum)) + v^2
    base <- devc(uu)
    mult <- 0
    for (j in seq_len(nrow(GQ)))
      mult <- mult + GQ[j, "w"] * exp(-0.5 * (devc(uu + GQ[j, "z"] * sd) - base) + GQ[j, "z"]^2 / 2)
    sum(base) + sum(log(diag(H))) - 2 * sum(log(mult))
  }
}

polish_glmer <- function(fit, nagq) {
  f <- exact_criterion(fit, nagq)
  th <- getME(fit, "theta"); nth <- length(th)
  start <- c(th, fixef(fit))
  lower <- c(getME(fit, "lower"), rep(-Inf, length(fixef(fit))))
  opt <- nloptr::nloptr(start, f, lb = lower,
                        opts = list(algorithm = "NLOPT_LN_BOBYQA", xtol_rel = 1e-12,
                                    ftol_abs = 1e-13, maxeval = 20000))
  par <- opt$solution
  if (any(b <- lower == 0 & par > 0 & par < 1e-5)) {
    p0 <- par; p0[b] <- 0
    if (f(p0) < f(par)) par <- p0
  }
  dev <- f(par)
  h <- lme4:::deriv12(f, par, fx = dev)$Hessian
  hi <- solve(h)[-seq_len(nth), -seq_len(nth), drop = FALSE]
  list(theta = par[seq_len(nth)], beta = setNames(par[-seq_len(nth)], names(fixef(fit))),
       deviance = dev, vcov = hi + t(hi), status = opt$status)
}

glmm_json <- function(fit, pol, formula, nagq) {
  est <- pol$beta
  se <- sqrt(diag(pol$vcov)); names(se) <- names(est)
  ll <- -pol$deviance / 2
  k <- length(est) + length(pol$theta)
  n <- nobs(fit)
  cnms <- getME(fit, "cnms")
  re <- character(0); co <- character(0); t0 <- 0
  for (t in seq_along(cnms)) {
    grp <- names(cnms)[t]; terms <- cnms[[t]]; q <- length(terms)
    L <- matrix(0, q, q); L[lower.tri(L, diag = TRUE)] <- pol$theta[t0 + seq_len(q * (q + 1) / 2)]
    t0 <- t0 + q * (q + 1) / 2
    V <- L %*% t(L)
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
  singular <- any(pol$theta[getME(fit, "lower") == 0] < 1e-4)
  converged <- pol$status > 0 && all(eigen(pol$vcov, only.values = TRUE)$values > 0)
  paste0("{\n", paste(c(
    field("model", str_json("glmm")),
    field("formula", str_json(formula)),
    field("n_obs", int(n)),
    field("n_dropped", int(n_dropped)),
    paste0("  \"coefficients\": [\n", paste(coef_json(est, se, 0.95), collapse = ",\n"), "\n  ]"),
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
    field("nagq", int(nagq)),
    field("family", str_json(fit@resp$family$family)),
    field("link", str_json(fit@resp$family$link))
  ), collapse = ",\n"), "\n}\n")
}

only <- commandArgs(trailingOnly = TRUE)   # case names: refit only these (all are listed in the tsv)
tsv <- paste("# case\tformula\tdata\toptions   (reference values from R's glm() and lme4::glmer()",
             "with other families and links; regenerate with Rscript tests/reference/family.R)")
for (i in seq_len(nrow(cases))) {
  cs <- cases[i, ]
  tsv <- c(tsv, paste(cs$case, cs$formula, cs$data, cs$options, sep = "\t"))
  if (length(only) && !(cs$case %in% only)) next
  d <- read.csv(csv_path(cs$data), stringsAsFactors = TRUE)
  lev_file <- file.path("data", paste0(cs$data, ".levels"))   # an embedded set's levels in R's order
  if (!grepl("/", cs$data) && file.exists(lev_file))
    for (line in strsplit(readLines(lev_file), "\t"))
      d[[line[1]]] <- factor(d[[line[1]]], levels = line[-1])
  fam <- family_of(cs$options)
  nagq <- as.numeric(option_word(cs$options, "nagq", "1"))
  f <- as.formula(cs$formula)
  wcol <- option_word(cs$options, "weights", NA)
  d$.w <- if (is.na(wcol)) 1 else d[[wcol]]
  if (is.null(findbars(f))) {
    fit <- glm(f, family = fam, data = d, weights = .w)
    json <- glm_json(fit, cs$formula, family = TRUE)
    info <- sprintf("glm: deviance %.6f, %d iterations", deviance(fit), fit$iter)
  } else {
    fit <- withCallingHandlers(glmer(f, family = fam, data = d, nAGQ = nagq, weights = .w,
                                     control = glmerControl(tolPwrss = 1e-10)),
                               warning = function(w) cat("    warning:", conditionMessage(w), "\n"))
    pol <- polish_glmer(fit, nagq)
    json <- glmm_json(fit, pol, cs$formula, nagq)
    corr <- if (nagq > 1) sum(minus2logf_of(fam, getME(fit, "y"), weights(fit), fit@resp$n)(getME(fit, "y"))) else 0
    info <- sprintf("polished -2 logLik %.6f (glmer %.6f; beta moved %.3g)", pol$deviance,
                    -2 * as.numeric(logLik(fit)) + corr,
                    max(abs(fixef(fit) - pol$beta) / pmax(abs(pol$beta), sqrt(diag(pol$vcov)))))
  }
  writeLines(json, file.path(ref_dir, paste0(cs$case, ".json")), sep = "")
  cat(sprintf("%-22s %-60s n=%5d %s\n", cs$case, cs$formula, nobs(fit), info))
}
writeLines(tsv, file.path(ref_dir, "cases-family.tsv"))
cat(sprintf("%d cases written to %s\n", nrow(cases), ref_dir))
