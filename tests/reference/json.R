# tests/reference/json.R: the JSON writers that the reference scripts share (lmm.R, glmm.R,
# offset.R and family.R source() it; run them from the repository root).  JSON is written by hand,
# with no package: numbers with 17 significant digits, NA, NaN and infinities as null.

csv_path <- function(data) if (grepl("/", data)) data else file.path("data", paste0(data, ".csv"))
num <- function(x) if (length(x) == 0 || is.na(x) || !is.finite(x)) "null" else sprintf("%.17g", x)
int <- function(x) sprintf("%d", as.integer(x))
str_json <- function(s) paste0("\"", gsub("\"", "\\\"", gsub("\\", "\\\\", s, fixed = TRUE), fixed = TRUE), "\"")
bool <- function(b) if (isTRUE(b)) "true" else "false"
field <- function(name, value) paste0("  ", str_json(name), ": ", value)
records <- function(name, recs) {
  if (length(recs) == 0) return(field(name, "[]"))
  paste0(field(name, "[\n"), paste0("    ", unlist(recs), collapse = ",\n"), "\n  ]")
}
record <- function(...) {
  kv <- list(...)
  paste0("{", paste(sprintf("%s: %s", vapply(names(kv), str_json, ""), unlist(kv)), collapse = ", "), "}")
}

# The coefficient records: Wald statistics and intervals from estimates and standard errors, with
# the p-value of the statistic by pfun (the normal distribution's unless told).
p_normal <- function(z) 2 * pnorm(-abs(z))
coef_json <- function(est, se, level, pfun = p_normal) {
  z <- qnorm(1 - (1 - level) / 2)
  vapply(names(est), function(term) {
    b <- est[[term]]; s <- se[[term]]
    vals <- if (is.na(b)) rep("null", 6) else
      c(num(b), num(s), num(b / s), num(pfun(b / s)), num(b - z * s), num(b + z * s))
    paste0("    {\"term\": ", str_json(term),
           ", \"estimate\": ", vals[1], ", \"std_error\": ", vals[2], ", \"statistic\": ", vals[3],
           ", \"p_value\": ", vals[4], ", \"conf_low\": ", vals[5], ", \"conf_high\": ", vals[6], "}")
  }, "")
}

# bin/glmm's JSON of a glm() fit (a model with no random-effects term); with family, the family
# and link are written too.
glm_json <- function(fit, formula, level = 0.95, family = FALSE) {
  est <- coef(fit)
  se <- rep(NA_real_, length(est)); names(se) <- names(est)
  tab <- summary(fit)$coefficients
  se[rownames(tab)] <- tab[, "Std. Error"]
  n_dropped <- if (is.null(fit$na.action)) 0L else length(fit$na.action)
  paste0("{\n", paste(c(
    field("model", str_json("glm")),
    field("formula", str_json(formula)),
    field("n_obs", int(nobs(fit))),
    field("n_dropped", int(n_dropped)),
    paste0("  \"coefficients\": [\n", paste(coef_json(est, se, level, p_normal), collapse = ",\n"),
           "\n  ]"),
    field("log_lik", num(as.numeric(logLik(fit)))),
    field("aic", num(AIC(fit))),
    field("bic", num(BIC(fit))),
    field("converged", bool(fit$converged)),
    field("deviance", num(deviance(fit))),
    field("null_deviance", num(fit$null.deviance)),
    field("df_residual", int(fit$df.residual)),
    field("df_null", int(fit$df.null)),
    field("iterations", int(fit$iter)),
    if (family) field("family", str_json(fit$family$family)),
    if (family) field("link", str_json(fit$family$link))
  ), collapse = ",\n"), "\n}\n")
}

# bin/lmm's JSON of an lmer() fit.
lmm_json <- function(m, formula, n_dropped) {
  beta <- fixef(m, add.dropped = TRUE)
  se <- rep(NA_real_, length(beta)); names(se) <- names(beta)
  kept <- names(fixef(m))
  se[kept] <- sqrt(diag(as.matrix(vcov(m))))
  ci <- confint(m, method = "Wald", level = 0.95)
  coefs <- lapply(names(beta), function(t) {
    est <- if (t %in% kept) beta[[t]] else NA
    record(term = str_json(t), estimate = num(est), std_error = num(se[[t]]),
           statistic = num(est / se[[t]]), p_value = "null",
           conf_low = num(if (t %in% kept) ci[t, 1] else NA),
           conf_high = num(if (t %in% kept) ci[t, 2] else NA))
  })
  vc <- VarCorr(m)
  groups <- names(m@cnms)
  re <- list(); co <- list()
  for (k in seq_along(m@cnms)) {
    v <- vc[[k]]
    sd <- attr(v, "stddev")
    nm <- m@cnms[[k]]
    for (c in seq_along(nm))
      re[[length(re) + 1]] <- record(group = str_json(groups[k]), term = str_json(nm[c]),
                                     variance = num(v[c, c]), std_dev = num(sd[[c]]))
    if (length(nm) > 1) {
      cr <- attr(v, "correlation")
      for (a in 1:(length(nm) - 1)) for (c in (a + 1):length(nm))
        co[[length(co) + 1]] <- record(group = str_json(groups[k]), term1 = str_json(nm[a]),
                                       term2 = str_json(nm[c]), correlation = num(cr[a, c]))
    }
  }
  ng <- ngrps(m)
  reml <- isREML(m)
  lines <- c(
    field("model", str_json("lmm")),
    field("formula", str_json(formula)),
    field("n_obs", sprintf("%d", nobs(m))),
    field("n_dropped", sprintf("%d", n_dropped)),
    records("coefficients", coefs),
    field("sigma", num(sigma(m))),
    if (reml) field("reml_criterion", num(REMLcrit(m))) else field("deviance", num(deviance(m))),
    field("log_lik", num(as.numeric(logLik(m)))),
    field("aic", num(AIC(m))),
    field("bic", num(BIC(m))),
    field("theta", paste0("[", paste(vapply(getME(m, "theta"), num, ""), collapse = ", "), "]")),
    records("random_effects", re),
    records("correlations", co),
    field("n_groups", paste0("{", paste(sprintf("%s: %d", vapply(names(ng), str_json, ""), as.integer(ng)),
                                       collapse = ", "), "}")),
    field("singular", bool(isSingular(m))),
    field("converged", bool(m@optinfo$conv$opt == 0)))
  paste0("{\n", paste(lines, collapse = ",\n"), "\n}\n")
}
