# tests/reference/weights.R: reference values for --weights in bin/ols and bin/lmm, computed by R's
# lm(weights =) and lme4::lmer(weights =); and for --contrasts sum|helmert and C() in bin/lmm and
# bin/glmm, computed by lmer() and glmer() under options(contrasts = ...).  (bin/glmm's weights are
# cases of tests/reference/family.R.)
#
# Run from the root of the repository, after tests/reference/datasets.R has written data/:
#
#     Rscript tests/reference/weights.R
#
# It writes tests/reference/ols/wt_*.json with tests/reference/ols/cases-weights.tsv,
# tests/reference/lmm/wt_*.json and lmm/ctr_*.json with tests/reference/lmm/cases-weights.tsv,
# tests/reference/glmm/ctr_*.json with tests/reference/glmm/cases-contrasts.tsv (tests/run reads
# every cases*.tsv of a program's directory), and the --augment files of weighted fits,
# tests/reference/infer/wt_*.csv with tests/reference/infer/csv-weights.tsv (tests/cli.sh reads
# every csv*.tsv there).  The JSON writers are not copied: json.R's are sourced, and the function
# definitions of ols.R (ols_json: every value from summary.lm, which handles weights) and family.R
# (glmm_json, polish_glmer and what they call) are evaluated here without running those scripts'
# own loops.

invisible(Sys.setlocale("LC_COLLATE", "C"))
suppressPackageStartupMessages(library(lme4))
if (!file.exists("data/mtcars.csv")) stop("run from the repository root, after tests/reference/datasets.R")
cat(R.version.string, "\n")
cat("lme4", format(packageVersion("lme4")), "\n")

# Evaluate the top-level function definitions (name <- function ...) of another script, only those
# named in `only` when given.
definitions <- function(file, only = NULL) {
  for (e in parse(file)) {
    if (is.call(e) && identical(e[[1]], as.name("<-")) && is.call(e[[3]]) &&
        identical(e[[3]][[1]], as.name("function")) &&
        (is.null(only) || as.character(e[[2]]) %in% only))
      eval(e, globalenv())
  }
}
source("tests/reference/json.R")   # csv_path, num, str_json, field, records, record, bool, glm_json, lmm_json
definitions("tests/reference/ols.R", c("read_case_data", "ols_json"))   # every value from summary.lm
definitions("tests/reference/family.R", c("family_of", "minus2logf_of", "exact_criterion", "polish_glmer",
                                          "glmm_json"))
option_word <- function(options, name, default) {
  w <- strsplit(trimws(options), "[ =]+")[[1]]
  k <- match(paste0("--", name), w)
  if (is.na(k)) default else w[k + 1]
}
tight <- lmerControl(optCtrl = list(xtol_rel = 0, xtol_abs = 1e-12, ftol_abs = 1e-12))

# anova(m0, m1) as the member "compare" of our JSON.
compare_member <- function(a, f0, test) {
  cmp <- if (test == "F")
    c(df0 = a$Res.Df[1], df1 = a$Res.Df[2], statistic = a$F[2], df = a$Df[2], p_value = a[["Pr(>F)"]][2])
  else
    c(df0 = a$npar[1], df1 = a$npar[2], statistic = a$Chisq[2], df = a$Df[2], p_value = a[["Pr(>Chisq)"]][2])
  paste0("  \"compare\": {\n",
         paste0("    ", c(paste0(str_json("formula0"), ": ", str_json(f0)),
                          sprintf("%s: %s", vapply(names(cmp), str_json, ""), vapply(cmp, num, "")),
                          paste0(str_json("test"), ": ", str_json(test))), collapse = ",\n"),
         "\n  }")
}
add_member <- function(json, member) sub("\n}\n$", paste0(",\n", member, "\n}\n"), json)

# ---------------------------------------------------------------------------------------------
# 1. ols --weights: lm(weights = ).
ols_cases <- read.table(header = TRUE, sep = ";", strip.white = TRUE, stringsAsFactors = FALSE,
                        quote = "", comment.char = "", text = "
  case            ; formula                                 ; data       ; options
  wt_ols_gear     ; mpg ~ wt + hp                           ; mtcars     ; --weights gear
  wt_ols_zero     ; mpg ~ wt + hp                           ; mtcars     ; --weights vs
  wt_ols_noint    ; mpg ~ 0 + wt + qsec                     ; mtcars     ; --weights carb
  wt_ols_cbpp     ; I(incidence/size) ~ factor(period)      ; cbpp       ; --weights size
  wt_ols_iris     ; Sepal.Length ~ Species + Petal.Length    ; iris       ; --weights Petal.Width
  wt_ols_compare  ; mpg ~ wt + hp + factor(cyl)             ; mtcars     ; --weights carb --compare 'mpg ~ wt'
  wt_ols_compare0 ; mpg ~ wt + hp                           ; mtcars     ; --weights am --compare 'mpg ~ hp'
")
tsv <- "# case\tformula\tdata\toptions   (lm(weights = ); regenerate with Rscript tests/reference/weights.R)"
for (i in seq_len(nrow(ols_cases))) {
  cs <- ols_cases[i, ]
  d <- read_case_data(cs$data)
  d$.w <- d[[option_word(cs$options, "weights", NA)]]
  fit <- lm(as.formula(cs$formula), data = d, weights = .w)
  json <- ols_json(fit, cs$formula)
  if (grepl("--compare", cs$options)) {
    f0 <- sub(".*--compare '([^']*)'.*", "\\1", cs$options)
    json <- add_member(json, compare_member(anova(lm(as.formula(f0), data = d, weights = .w), fit), f0, "F"))
  }
  writeLines(json, file.path("tests/reference/ols", paste0(cs$case, ".json")), sep = "")
  tsv <- c(tsv, paste(cs$case, cs$formula, cs$data, cs$options, sep = "\t"))
  cat(sprintf("%-16s %-45s nobs %d of %d, R^2 %.6f\n", cs$case, cs$formula, nobs(fit), nrow(d),
              summary(fit)$r.squared))
}
writeLines(tsv, "tests/reference/ols/cases-weights.tsv")

# ---------------------------------------------------------------------------------------------
# 2. lmm --weights: lmer(weights = ), tight tolerances as offset.R and lmm.R fit; and lmm
# --contrasts / C(): lmer() under options(contrasts = ).
lmm_cases <- read.table(header = TRUE, sep = ";", strip.white = TRUE, stringsAsFactors = FALSE,
                        quote = "", comment.char = "", text = "
  case               ; formula                                              ; data        ; options
  wt_lmm_cbpp        ; I(incidence/size) ~ period + (1 | herd)              ; cbpp        ; --weights size
  wt_lmm_cbpp_ml     ; I(incidence/size) ~ factor(period) + (1 | herd)      ; cbpp        ; --weights size --ml
  wt_lmm_mtcars_ml   ; mpg ~ wt + (1 | cyl)                                 ; mtcars      ; --weights gear --ml
  wt_lmm_iris_slope  ; Sepal.Length ~ Petal.Length + (Petal.Length | Species) ; iris      ; --weights Petal.Width
  wt_lmm_tooth       ; len ~ supp + (1 | dose)                              ; ToothGrowth ; --weights dose
  wt_lmm_compare     ; mpg ~ wt + hp + (1 | cyl)                            ; mtcars      ; --weights carb --compare 'mpg ~ wt + (1 | cyl)'
  ctr_lmm_sum        ; Reaction ~ factor(Days) + (1 | Subject)              ; sleepstudy  ; --contrasts sum
  ctr_lmm_helmert    ; diameter ~ sample + (1 | plate)                      ; Penicillin  ; --contrasts helmert
  ctr_lmm_helmert_ml ; strength ~ batch + (1 | cask)                        ; Pastes      ; --contrasts helmert --ml
  ctr_lmm_C_sum      ; breaks ~ C(tension, contr.sum) + (1 | wool)          ; warpbreaks  ;
  ctr_lmm_C_base     ; diameter ~ C(sample, contr.treatment, base = 2) + (1 | plate) ; Penicillin ;
")
contr_of <- function(options) switch(option_word(options, "contrasts", "treatment"),
  treatment = c("contr.treatment", "contr.poly"), sum = c("contr.sum", "contr.poly"),
  helmert = c("contr.helmert", "contr.poly"))
tsv <- "# case\tformula\tdata\toptions   (lmer(weights = ), --contrasts; regenerate with Rscript tests/reference/weights.R)"
for (i in seq_len(nrow(lmm_cases))) {
  cs <- lmm_cases[i, ]
  d <- read_case_data(cs$data)
  wcol <- option_word(cs$options, "weights", NA)
  d$.w <- if (is.na(wcol)) 1 else d[[wcol]]
  reml <- !grepl("--ml", cs$options, fixed = TRUE)
  old <- options(contrasts = contr_of(cs$options))
  m <- suppressMessages(lmer(as.formula(cs$formula), data = d, REML = reml, weights = .w, control = tight))
  json <- lmm_json(m, cs$formula, nrow(d) - nobs(m))
  if (grepl("--compare", cs$options)) {
    f0 <- sub(".*--compare '([^']*)'.*", "\\1", cs$options)
    m0 <- suppressMessages(lmer(as.formula(f0), data = d, REML = reml, weights = .w, control = tight))
    json <- add_member(json, compare_member(suppressMessages(anova(m0, m)), f0, "Chisq"))
  }
  options(old)
  writeLines(json, file.path("tests/reference/lmm", paste0(cs$case, ".json")), sep = "")
  tsv <- c(tsv, paste(cs$case, cs$formula, cs$data, cs$options, sep = "\t"))
  cat(sprintf("%-18s %-55s theta %s\n", cs$case, cs$formula, paste(format(getME(m, "theta")), collapse = " ")))
}
writeLines(tsv, "tests/reference/lmm/cases-weights.tsv")

# ---------------------------------------------------------------------------------------------
# 3. glmm --contrasts / C(): glm() and glmer() under options(contrasts = ), fitted and polished as
# family.R does.
glmm_cases <- read.table(header = TRUE, sep = ";", strip.white = TRUE, stringsAsFactors = FALSE,
                         quote = "", comment.char = "", text = "
  case                ; formula                                                        ; data     ; options
  ctr_glmm_sum        ; cbind(incidence, size - incidence) ~ factor(period) + (1 | herd) ; cbpp   ; --contrasts sum
  ctr_glmm_helmert    ; r2 ~ btype + situ + (1 | item)                                 ; VerbAgg  ; --contrasts helmert
  ctr_glmm_C_sum      ; r2 ~ C(btype, contr.sum) + Gender + (1 | item)                 ; VerbAgg  ;
  ctr_glm_helmert     ; cbind(incidence, size - incidence) ~ factor(period)            ; cbpp     ; --contrasts helmert
  ctr_glmm_pois_sum   ; breaks ~ tension + (1 | wool)                                  ; warpbreaks ; --family poisson --contrasts sum
")
tsv <- "# case\tformula\tdata\toptions   (glm()/glmer() with --contrasts; regenerate with Rscript tests/reference/weights.R)"
for (i in seq_len(nrow(glmm_cases))) {
  cs <- glmm_cases[i, ]
  d <- read_case_data(cs$data)
  fam <- family_of(cs$options)
  f <- as.formula(cs$formula)
  old <- options(contrasts = contr_of(cs$options))
  if (is.null(findbars(f))) {
    fit <- glm(f, family = fam, data = d)
    json <- glm_json(fit, cs$formula, family = TRUE)
  } else {
    fit <- glmer(f, family = fam, data = d, control = glmerControl(tolPwrss = 1e-10))
    json <- glmm_json(fit, polish_glmer(fit, 1), cs$formula, 1)
  }
  options(old)
  writeLines(json, file.path("tests/reference/glmm", paste0(cs$case, ".json")), sep = "")
  tsv <- c(tsv, paste(cs$case, cs$formula, cs$data, cs$options, sep = "\t"))
  cat(sprintf("%-18s %-60s n=%d\n", cs$case, cs$formula, nobs(fit)))
}
writeLines(tsv, "tests/reference/glmm/cases-contrasts.tsv")

# ---------------------------------------------------------------------------------------------
# 4. --augment with weights: every row, those of weight 0 too, with fitted() and residuals() (the
# response residuals, not weighted.residuals()); for lmer also .fixed = predict(re.form = NA).
aug_cases <- read.table(header = TRUE, sep = ";", strip.white = TRUE, stringsAsFactors = FALSE,
                        quote = "", comment.char = "", text = "
  case           ; prog ; formula                                  ; data   ; tol   ; options
  wt_augment_ols ; ols  ; mpg ~ wt + hp                            ; mtcars ; 1e-8  ; --weights vs
  wt_augment_lmm ; lmm  ; I(incidence/size) ~ period + (1 | herd)  ; cbpp   ; 1e-5  ; --weights size
")
lines <- "# case\tprogram\tformula\tdata\ttolerance\toptions (written by tests/reference/weights.R)"
for (i in seq_len(nrow(aug_cases))) {
  cs <- aug_cases[i, ]
  d <- read_case_data(cs$data)
  d$.w <- d[[option_word(cs$options, "weights", NA)]]
  m <- if (cs$prog == "ols") lm(as.formula(cs$formula), data = d, weights = .w)
       else suppressMessages(lmer(as.formula(cs$formula), data = d, weights = .w, control = tight))
  extra <- if (cs$prog == "ols") list(.fitted = fitted(m), .resid = residuals(m))
           else list(.fitted = fitted(m), .resid = residuals(m), .fixed = predict(m, re.form = NA))
  used <- names(d)[names(d) %in% all.vars(as.formula(cs$formula))]
  cell <- function(x) if (is.factor(x)) as.character(x) else ifelse(is.na(x), "NA", sprintf("%.17g", x))
  cols <- c(lapply(used, function(v) cell(d[[v]])), lapply(extra, function(x) sprintf("%.17g", x)))
  writeLines(c(paste(c(used, names(extra)), collapse = ","), do.call(paste, c(cols, sep = ","))),
             file.path("tests/reference/infer", paste0(cs$case, ".csv")))
  lines <- c(lines, paste(cs$case, cs$prog, cs$formula, cs$data, cs$tol, cs$options, sep = "\t"))
  cat(sprintf("%s: %d rows\n", cs$case, nrow(d)))
}
writeLines(lines, "tests/reference/infer/csv-weights.tsv")
