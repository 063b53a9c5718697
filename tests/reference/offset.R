# tests/reference/offset.R: reference values for offset() in the formulas of bin/ols and bin/lmm,
# computed by R's lm() and lme4::lmer().  (bin/glmm's offsets are cases of tests/reference/family.R.)
#
# Run from the root of the repository, after tests/reference/datasets.R has written data/:
#
#     Rscript tests/reference/offset.R
#
# It writes tests/reference/ols/off_*.json with tests/reference/ols/cases-offset.tsv, and
# tests/reference/lmm/off_*.json with tests/reference/lmm/cases-offset.tsv (tests/run reads every
# cases*.tsv of a program's directory).  The JSON is that of ols.R and lmm.R, with one deliberate
# difference for lm: R 4.2's summary.lm computes the model sum of squares, and so R^2, the adjusted
# R^2 and the F statistic, from the fitted values *including* the offset, which measures the
# offset's contribution along with the regression's and tests it on p - 1 degrees of freedom it
# does not have.  bin/ols reports those of the regression of y - offset on X (the fitted values
# without the offset), and so do these files: they are computed here from R's own fit, fitted
# values minus model.offset(), by summary.lm's formulas.  Everything else is R's.

invisible(Sys.setlocale("LC_COLLATE", "C"))
suppressPackageStartupMessages(library(lme4))
if (!file.exists("data/mtcars.csv")) stop("run from the repository root, after tests/reference/datasets.R")
cat(R.version.string, "\n")

source("tests/reference/json.R")    # the JSON writers, and lmm_json as lmm.R writes it

ols_json <- function(fit, formula) {
  s  <- summary(fit)
  ci <- confint(fit, level = 0.95)
  est <- coef(fit)
  tab <- s$coefficients
  coefs <- vapply(names(est), function(term) {
    vals <- if (is.na(est[[term]])) rep("null", 6) else
      c(num(tab[term, "Estimate"]), num(tab[term, "Std. Error"]), num(tab[term, "t value"]),
        num(tab[term, "Pr(>|t|)"]), num(ci[term, 1]), num(ci[term, 2]))
    paste0("    {\"term\": ", str_json(term),
           ", \"estimate\": ", vals[1], ", \"std_error\": ", vals[2], ", \"statistic\": ", vals[3],
           ", \"p_value\": ", vals[4], ", \"conf_low\": ", vals[5], ", \"conf_high\": ", vals[6], "}")
  }, "")
  # summary.lm's R^2 and F, from the fitted values without the offset (see the top)
  f <- fitted(fit) - model.offset(model.frame(fit))
  r <- residuals(fit)
  int <- attr(terms(fit), "intercept") > 0
  mss <- if (int) sum((f - mean(f))^2) else sum(f^2)
  rss <- sum(r^2)
  p <- fit$rank; rdf <- fit$df.residual; df.int <- if (int) 1L else 0L
  r2 <- mss / (mss + rss)
  adj <- 1 - (1 - r2) * ((length(r) - df.int) / rdf)
  fval <- (mss / (p - df.int)) / (rss / rdf)
  n_dropped <- if (is.null(fit$na.action)) 0L else length(fit$na.action)
  paste0("{\n", paste(c(
    field("model", str_json("ols")),
    field("formula", str_json(formula)),
    field("n_obs", sprintf("%d", nobs(fit))),
    field("n_dropped", sprintf("%d", n_dropped)),
    paste0("  \"coefficients\": [\n", paste(coefs, collapse = ",\n"), "\n  ]"),
    field("log_lik", num(as.numeric(logLik(fit)))),
    field("aic", num(AIC(fit))),
    field("bic", num(BIC(fit))),
    field("converged", "true"),
    field("sigma", num(s$sigma)),
    field("r_squared", num(r2)),
    field("adj_r_squared", num(adj)),
    field("f_statistic", if (p > df.int) num(fval) else "null"),
    field("f_df", if (p > df.int) sprintf("[%s, %s]", num(p - df.int), num(rdf)) else "null"),
    field("f_p_value", if (p > df.int) num(pf(fval, p - df.int, rdf, lower.tail = FALSE)) else "null"),
    field("df_residual", sprintf("%d", rdf))
  ), collapse = ",\n"), "\n}\n")
}

ols_cases <- read.table(header = TRUE, sep = ";", strip.white = TRUE, stringsAsFactors = FALSE,
                        quote = "", comment.char = "", text = "
  case              ; formula                                        ; data
  off_ols_hp        ; mpg ~ wt + offset(hp/10)                       ; mtcars
  off_ols_two       ; mpg ~ wt + factor(cyl) + offset(hp/10) + offset(log(disp)) ; mtcars
  off_ols_noint     ; mpg ~ 0 + wt + offset(2 * qsec)                ; mtcars
  off_ols_only      ; log(breaks) ~ offset(log(breaks) / 2)          ; warpbreaks
")
lmm_cases <- read.table(header = TRUE, sep = ";", strip.white = TRUE, stringsAsFactors = FALSE,
                        quote = "", comment.char = "", text = "
  case              ; formula                                        ; data        ; options
  off_sleep         ; Reaction ~ Days + offset(10 * Days) + (Days | Subject) ; sleepstudy ;
  off_sleep_ml      ; Reaction ~ 1 + offset(Days^2) + (1 | Subject)  ; sleepstudy  ; --ml
  off_penicillin    ; diameter ~ 1 + offset(log(diameter)) + (1 | plate) + (1 | sample) ; Penicillin ;
")

dir.create("tests/reference/ols", showWarnings = FALSE)
tsv <- "# case\tformula\tdata   (lm() with offsets; regenerate with Rscript tests/reference/offset.R)"
for (i in seq_len(nrow(ols_cases))) {
  cs <- ols_cases[i, ]
  d <- read.csv(csv_path(cs$data), stringsAsFactors = TRUE)
  fit <- lm(as.formula(cs$formula), data = d)
  writeLines(ols_json(fit, cs$formula), file.path("tests/reference/ols", paste0(cs$case, ".json")), sep = "")
  tsv <- c(tsv, paste(cs$case, cs$formula, cs$data, sep = "\t"))
  cat(sprintf("%-16s %-60s R^2 %.6f (summary.lm's %.6f)\n", cs$case, cs$formula,
              as.numeric(sub(".*\"r_squared\": ([^,]*),.*", "\\1",
                             paste(ols_json(fit, cs$formula), collapse = ""))),
              summary(fit)$r.squared))
}
writeLines(tsv, "tests/reference/ols/cases-offset.tsv")

tight <- lmerControl(optCtrl = list(xtol_rel = 0, xtol_abs = 1e-12, ftol_abs = 1e-12))
tsv <- "# case\tformula\tdata\toptions   (lmer() with offsets; regenerate with Rscript tests/reference/offset.R)"
for (i in seq_len(nrow(lmm_cases))) {
  cs <- lmm_cases[i, ]
  d <- read.csv(csv_path(cs$data), stringsAsFactors = TRUE)
  reml <- !grepl("--ml", cs$options, fixed = TRUE)
  m <- suppressMessages(lmer(as.formula(cs$formula), data = d, REML = reml, control = tight))
  writeLines(lmm_json(m, cs$formula, nrow(d) - nobs(m)),
             file.path("tests/reference/lmm", paste0(cs$case, ".json")), sep = "")
  tsv <- c(tsv, paste(cs$case, cs$formula, cs$data, cs$options, sep = "\t"))
  cat(sprintf("%-16s %-60s theta %s\n", cs$case, cs$formula, paste(format(getME(m, "theta")), collapse = " ")))
}
writeLines(tsv, "tests/reference/lmm/cases-offset.tsv")
