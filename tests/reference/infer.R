# tests/reference/infer.R: reference values for the options of inference and per-observation results
# (issue 12): --ranef, --compare, --augment, --predict, and glmm's --nagq 0.
#
# Run from the root of the repository, after tests/reference/datasets.R has written data/:
#
#     Rscript tests/reference/infer.R
#
# It writes
#   - tests/reference/{ols,lmm,glmm}/infer_CASE.json: what `bin/PROG --json OPTIONS FORMULA DATA`
#     must print, restricted to the members these options add (tests/run compares only the members
#     R's file has), and tests/reference/PROG/infer.tsv, the cases in the format of cases.tsv (a
#     file of their own because the book's programs read cases.tsv);
#   - tests/reference/infer/CASE.csv and tests/reference/infer/csv.tsv: what `--augment FILE` and
#     `--predict NEWDATA --out FILE` must write, as R's fitted(), residuals() and predict() give it;
#     tests/cli.sh compares them number by number.
#
# Every model is fitted to the data frame that read.csv(stringsAsFactors = TRUE) makes of the CSV
# file the program reads, with factor levels in byte order (the C locale).  The mixed models are
# fitted with tight optimizer settings, so that the reference is the optimum and not where lme4's
# default stopping rule happens to stop (see lmm.R and glmm.R).
#
# The JSON members:
#   ranef    as.data.frame(ranef(m, condVar = TRUE)): one record per random effect, group = grpvar,
#            level = grp, term, mode = condval, cond_sd = condsd;
#   compare  formula0, df0 and df1 (the residual degrees of freedom of the two models for ols's F
#            test, their numbers of parameters for the likelihood-ratio test), statistic (F or
#            Chisq), df (the difference), p_value, test ("F" or "Chisq"), from anova(m0, m1); the
#            linear mixed models are refitted by maximum likelihood first, as anova() does.

suppressPackageStartupMessages(library(lme4))
invisible(Sys.setlocale("LC_COLLATE", "C"))
if (!file.exists("data/sleepstudy.csv")) stop("run from the repository root, after tests/reference/datasets.R")
cat(R.version.string, " lme4", format(packageVersion("lme4")), "\n")

csv_dir <- "tests/reference/infer"
dir.create(csv_dir, recursive = TRUE, showWarnings = FALSE)
data_path <- function(d) if (grepl("/", d)) d else file.path("data", paste0(d, ".csv"))
read_data <- function(d) read.csv(data_path(d), stringsAsFactors = TRUE)

num <- function(x) {
  if (length(x) == 0 || is.na(x) || !is.finite(x)) "null" else sprintf("%.17g", x)
}
str_json <- function(s) paste0("\"", gsub("([\"\\\\])", "\\\\\\1", s), "\"")
field <- function(name, value) paste0("  ", str_json(name), ": ", value)
record <- function(...) {
  kv <- list(...)
  paste0("{", paste(sprintf("%s: %s", vapply(names(kv), str_json, ""), unlist(kv)), collapse = ", "), "}")
}
records <- function(name, recs) {
  if (length(recs) == 0) return(field(name, "[]"))
  paste0(field(name, "[\n"), paste0("    ", unlist(recs), collapse = ",\n"), "\n  ]")
}

tight_lmer <- lmerControl(optCtrl = list(xtol_rel = 0, xtol_abs = 1e-12, ftol_abs = 1e-12))
tight_glmer <- glmerControl(optimizer = "nloptwrap", tolPwrss = 1e-10,
                            optCtrl = list(xtol_rel = 1e-12, xtol_abs = 1e-12, ftol_abs = 1e-12))
# glmm's --family and --link as an R family object (binomial with the logit link by default)
glmm_family <- function(options) {
  link <- sub(".*--link ([a-z]+).*", "\\1", options)
  if (grepl("--family poisson", options)) poisson(link = if (link != options) link else "log")
  else binomial(link = if (link != options) link else "logit")
}
fit <- function(prog, formula, d, options = "") {
  f <- as.formula(formula)
  ml <- grepl("--ml", options)
  nagq <- if (grepl("--nagq 0", options)) 0 else 1
  switch(prog,
         ols = lm(f, data = d),
         lmm = lmer(f, data = d, REML = !ml, control = tight_lmer),
         glmm = if (is.null(findbars(f))) glm(f, family = glmm_family(options), data = d)
                else glmer(f, data = d, family = glmm_family(options), nAGQ = nagq,
                           control = tight_glmer))
}

cases <- list(ols = character(0), lmm = character(0), glmm = character(0))
write_case <- function(prog, case, formula, data, options, members) {
  json <- c("{", paste(c(field("model", str_json(prog)), field("formula", str_json(formula)), members),
                       collapse = ",\n"), "}")
  writeLines(json, file.path("tests/reference", prog, paste0("infer_", case, ".json")))
  cases[[prog]] <<- c(cases[[prog]], paste("infer_" %s% case, formula, data, options, sep = "\t"))
}
`%s%` <- function(a, b) paste0(a, b)

# ---------------------------------------------------------------------------------------------
# 1. --ranef: conditional modes and conditional standard deviations.
ranef_cases <- list(
  list("lmm", "ranef_sleep", "Reaction ~ Days + (Days | Subject)", "sleepstudy", ""),
  list("lmm", "ranef_penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)", "Penicillin", ""),
  list("lmm", "ranef_pastes", "strength ~ 1 + (1 | batch/cask)", "Pastes", ""),
  list("lmm", "ranef_sleep_uncorrelated_ml", "Reaction ~ Days + (Days || Subject)", "sleepstudy", "--ml"),
  list("lmm", "ranef_sim60_crossed", "y ~ x + f + (x | g) + (1 | site)", "tests/data/lmm/sim60.csv", ""),
  list("glmm", "ranef_cbpp", "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp", ""),
  list("glmm", "ranef_slope", "y ~ x + (x | g)", "tests/data/glmm/slope.csv", ""),
  list("glmm", "ranef_clusters_nested", "y ~ x1 + (1 | region/cluster)", "tests/data/glmm/clusters.csv", ""),
  list("glmm", "ranef_cbpp_probit", "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp",
       "--link probit"),
  list("glmm", "ranef_cbpp_cloglog", "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp",
       "--link cloglog"),
  list("glmm", "ranef_grouse_poisson", "TICKS ~ factor(YEAR) + cHEIGHT + (1 | BROOD)", "grouseticks",
       "--family poisson"))
for (cs in ranef_cases) {
  prog <- cs[[1]]; formula <- cs[[3]]; data <- cs[[4]]; options <- cs[[5]]
  m <- fit(prog, formula, read_data(data), options)
  r <- as.data.frame(ranef(m, condVar = TRUE))
  recs <- lapply(seq_len(nrow(r)), function(i)
    record(group = str_json(as.character(r$grpvar[i])), level = str_json(as.character(r$grp[i])),
           term = str_json(as.character(r$term[i])), mode = num(r$condval[i]),
           cond_sd = num(r$condsd[i])))
  write_case(prog, cs[[2]], formula, data, paste(c("--ranef", if (nzchar(options)) options), collapse = " "),
             records("ranef", recs))
  cat(sprintf("%s %s: %d random effects\n", prog, cs[[2]], nrow(r)))
}

# ---------------------------------------------------------------------------------------------
# 2. --compare: anova(m0, m1).
compare_cases <- list(
  list("ols", "compare_mtcars", "mpg ~ wt", "mpg ~ wt + hp", "mtcars", ""),
  list("ols", "compare_mtcars_factor", "mpg ~ wt", "mpg ~ wt * factor(cyl) + hp", "mtcars", ""),
  list("ols", "compare_iris", "Sepal.Length ~ Petal.Length", "Sepal.Length ~ Petal.Length + Species", "iris", ""),
  list("ols", "compare_warpbreaks", "breaks ~ wool", "breaks ~ wool * tension", "warpbreaks", ""),
  list("lmm", "compare_sleep_slope", "Reaction ~ Days + (1 | Subject)", "Reaction ~ Days + (Days | Subject)", "sleepstudy", ""),
  list("lmm", "compare_sleep_fixed_ml", "Reaction ~ 1 + (Days | Subject)", "Reaction ~ Days + (Days | Subject)", "sleepstudy", "--ml"),
  list("lmm", "compare_penicillin", "diameter ~ 1 + (1 | plate)", "diameter ~ 1 + (1 | plate) + (1 | sample)", "Penicillin", ""),
  list("lmm", "compare_pastes", "strength ~ 1 + (1 | batch:cask)", "strength ~ 1 + (1 | batch/cask)", "Pastes", ""),
  list("lmm", "compare_unbalanced_missing", "y ~ x + (1 | subject)", "y ~ x + x2 + (x | subject)", "tests/data/lmm/unbalanced.csv", ""),
  list("glmm", "compare_cbpp", "cbind(incidence, size - incidence) ~ 1 + (1 | herd)", "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp", ""),
  list("glmm", "compare_slope", "y ~ x + (1 | g)", "y ~ x + (x | g)", "tests/data/glmm/slope.csv", ""),
  list("glmm", "compare_clusters", "y ~ x1 + (1 | cluster)", "y ~ x1 + x2 + (1 | cluster)", "tests/data/glmm/clusters.csv", ""))
for (cs in compare_cases) {
  prog <- cs[[1]]; f0 <- cs[[3]]; f1 <- cs[[4]]; data <- cs[[5]]; options <- cs[[6]]
  d <- read_data(data)
  m0 <- fit(prog, f0, d, options); m1 <- fit(prog, f1, d, options)
  a <- suppressMessages(anova(m0, m1))
  if (prog == "ols") {
    cmp <- c(df0 = a$Res.Df[1], df1 = a$Res.Df[2], statistic = a$F[2], df = a$Df[2], p_value = a[["Pr(>F)"]][2])
    test <- "F"
  } else {
    cmp <- c(df0 = a$npar[1], df1 = a$npar[2], statistic = a$Chisq[2], df = a$Df[2],
             p_value = a[["Pr(>Chisq)"]][2])
    test <- "Chisq"
  }
  member <- paste0(field("compare", "{\n"),
                   paste0("    ", c(paste0(str_json("formula0"), ": ", str_json(f0)),
                                    sprintf("%s: %s", vapply(names(cmp), str_json, ""), vapply(cmp, num, "")),
                                    paste0(str_json("test"), ": ", str_json(test))), collapse = ",\n"),
                   "\n  }")
  write_case(prog, cs[[2]], f1, data, paste(c("--compare", shQuote(f0), if (nzchar(options)) options), collapse = " "), member)
  cat(sprintf("%s %s: %s %.6g, p %.4g\n", prog, cs[[2]], test, cmp[["statistic"]], cmp[["p_value"]]))
}

# ---------------------------------------------------------------------------------------------
# 3. glmm --nagq 0: glmer(nAGQ = 0).  The coefficients with their Wald statistics and intervals
# (standard errors from vcov(), which glmer takes from RX for nAGQ = 0), theta, the deviance
# -2 logLik and the log-likelihood.
nagq0_cases <- list(
  list("nagq0_cbpp", "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp"),
  list("nagq0_slope", "y ~ x + (x | g)", "tests/data/glmm/slope.csv"),
  list("nagq0_clusters_nested", "y ~ x1 + (1 | region/cluster)", "tests/data/glmm/clusters.csv"),
  list("nagq0_verbagg_item", "r2 ~ btype + situ + (1 | item)", "VerbAgg"))
for (cs in nagq0_cases) {
  formula <- cs[[2]]; data <- cs[[3]]
  g <- fit("glmm", formula, read_data(data), "--nagq 0")
  est <- fixef(g); se <- sqrt(diag(as.matrix(vcov(g)))); z <- est / se; q <- qnorm(0.975)
  coefs <- lapply(names(est), function(t)
    record(term = str_json(t), estimate = num(est[[t]]), std_error = num(se[[t]]),
           statistic = num(z[[t]]), p_value = num(2 * pnorm(-abs(z[[t]]))),
           conf_low = num(est[[t]] - q * se[[t]]), conf_high = num(est[[t]] + q * se[[t]])))
  ll <- as.numeric(logLik(g))
  members <- c(records("coefficients", coefs), field("log_lik", num(ll)), field("deviance", num(-2 * ll)),
               field("theta", paste0("[", paste(vapply(getME(g, "theta"), num, ""), collapse = ", "), "]")),
               field("nagq", "0"))
  write_case("glmm", cs[[1]], formula, data, "--nagq 0", members)
  cat(sprintf("glmm %s: -2 logLik %.8f\n", cs[[1]], -2 * ll))
}

# ---------------------------------------------------------------------------------------------
# 4. --augment FILE: the rows used, the data's columns the formula uses (in the data's order), then
# .fitted, .resid (response scale), .fixed (mixed models: predict(re.form = NA), response scale),
# and for glmm .eta (predict(), link scale), .pearson and .deviance (residuals(type = ...)).
# Written to tests/reference/infer/CASE.csv; tests/reference/infer/csv.tsv lists the cases:
# "case<TAB>program<TAB>formula<TAB>data<TAB>tolerance<TAB>options".
csv_cases <- character(0)
write_csv <- function(case, prog, formula, data, options, tol, d, rows, extra) {
  used <- names(d)[names(d) %in% all.vars(as.formula(formula))]
  cell <- function(x) if (is.factor(x)) as.character(x) else ifelse(is.na(x), "NA", sprintf("%.17g", x))
  cols <- c(lapply(used, function(v) cell(d[[v]][rows])), lapply(extra, function(x) sprintf("%.17g", x)))
  lines <- c(paste(c(used, names(extra)), collapse = ","), do.call(paste, c(cols, sep = ",")))
  writeLines(lines, file.path(csv_dir, paste0(case, ".csv")))
  csv_cases <<- c(csv_cases, paste(case, prog, formula, data, tol, options, sep = "\t"))
}
augment_cases <- list(
  list("augment_ols_mtcars", "ols", "mpg ~ wt + factor(cyl)", "mtcars", 1e-8),
  list("augment_ols_missing", "ols", "y ~ x1 + x2 + g", "tests/data/ols/missing.csv", 1e-8),
  list("augment_ols_iris", "ols", "log(Sepal.Length) ~ Petal.Width * Species", "iris", 1e-8),
  list("augment_lmm_sleep", "lmm", "Reaction ~ Days + (Days | Subject)", "sleepstudy", 1e-5),
  list("augment_lmm_penicillin", "lmm", "diameter ~ 1 + (1 | plate) + (1 | sample)", "Penicillin", 1e-5),
  list("augment_lmm_unbalanced", "lmm", "y ~ x + trt + (x | subject)", "tests/data/lmm/unbalanced.csv", 1e-5),
  list("augment_glmm_cbpp", "glmm", "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp", 1e-4),
  list("augment_glmm_slope", "glmm", "y ~ x + (x | g)", "tests/data/glmm/slope.csv", 1e-4),
  list("augment_glm_mtcars", "glmm", "am ~ wt + hp", "mtcars", 1e-6))
for (cs in augment_cases) {
  case <- cs[[1]]; prog <- cs[[2]]; formula <- cs[[3]]; data <- cs[[4]]; tol <- cs[[5]]
  d <- read_data(data)
  m <- fit(prog, formula, d)
  rows <- as.integer(rownames(model.frame(m)))
  extra <- switch(prog,
    ols = list(.fitted = fitted(m), .resid = residuals(m)),
    lmm = list(.fitted = fitted(m), .resid = residuals(m), .fixed = predict(m, re.form = NA)),
    glmm = if (inherits(m, "glm"))
      list(.fitted = fitted(m), .resid = residuals(m, type = "response"), .eta = predict(m),
           .pearson = residuals(m, type = "pearson"), .deviance = residuals(m, type = "deviance"))
    else
      list(.fitted = fitted(m), .resid = residuals(m, type = "response"),
           .fixed = predict(m, re.form = NA, type = "response"), .eta = predict(m),
           .pearson = residuals(m, type = "pearson"), .deviance = residuals(m, type = "deviance")))
  write_csv(case, prog, formula, data, "", tol, d, rows, extra)
  cat(sprintf("%s: %d rows\n", case, length(rows)))
}
# ---------------------------------------------------------------------------------------------
# 5. --predict NEWDATA --out FILE: for each row of NEWDATA (tests/data/infer/*.csv, written here),
# the columns of the right-hand side (in the data's order), .fitted = predict(m, newdata,
# allow.new.levels = TRUE) on the response scale and, for mixed models, .fixed =
# predict(m, newdata, re.form = NA); NA for a row with a missing value.
new_dir <- "tests/data/infer"
dir.create(new_dir, recursive = TRUE, showWarnings = FALSE)
writeLines(c("wt,cyl,hp", "2.5,4,100", "3.5,8,200", "3,6,", "4,NA,150"), file.path(new_dir, "mtcars-new.csv"))
writeLines(c("Species,Petal.Width", "setosa,0.3", "virginica,2.1", "versicolor,1.25"), file.path(new_dir, "iris-new.csv"))
writeLines(c("Days,Subject", "1,308", "5,999", "2,372", "9,335"), file.path(new_dir, "sleep-new.csv"))
writeLines(c("plate,sample", "a,A", "z,B", "c,Q", "y,Z"), file.path(new_dir, "penicillin-new.csv"))
writeLines(c("herd,period", "1,1", "99,2", "3,4", "15,3"), file.path(new_dir, "cbpp-new.csv"))
predict_cases <- list(
  list("predict_ols_mtcars", "ols", "mpg ~ wt + factor(cyl)", "mtcars", "mtcars-new.csv", 1e-8),
  list("predict_ols_iris", "ols", "log(Sepal.Length) ~ Petal.Width * Species", "iris", "iris-new.csv", 1e-8),
  list("predict_lmm_sleep", "lmm", "Reaction ~ Days + (Days | Subject)", "sleepstudy", "sleep-new.csv", 1e-5),
  list("predict_lmm_penicillin", "lmm", "diameter ~ 1 + (1 | plate) + (1 | sample)", "Penicillin", "penicillin-new.csv", 1e-5),
  list("predict_glmm_cbpp", "glmm", "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", "cbpp", "cbpp-new.csv", 1e-4))
for (cs in predict_cases) {
  case <- cs[[1]]; prog <- cs[[2]]; formula <- cs[[3]]; data <- cs[[4]]; tol <- cs[[6]]
  newfile <- file.path(new_dir, cs[[5]])
  d <- read_data(data)
  nd <- read.csv(newfile, stringsAsFactors = FALSE)
  f <- as.formula(formula)
  rhs <- all.vars(f[[3]])
  for (v in intersect(names(nd), names(d))) if (is.factor(d[[v]])) nd[[v]] <- as.character(nd[[v]])
  m <- fit(prog, formula, d)
  extra <- switch(prog,
    ols = list(.fitted = predict(m, newdata = nd)),
    lmm = list(.fitted = predict(m, newdata = nd, allow.new.levels = TRUE),
               .fixed = predict(m, newdata = nd, re.form = NA)),
    glmm = list(.fitted = predict(m, newdata = nd, allow.new.levels = TRUE, type = "response"),
                .fixed = predict(m, newdata = nd, re.form = NA, type = "response")))
  used <- names(d)[names(d) %in% rhs]
  cell <- function(x) ifelse(is.na(x), "NA", if (is.numeric(x)) sprintf("%.17g", x) else as.character(x))
  cols <- c(lapply(used, function(v) cell(nd[[v]])), lapply(extra, function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))))
  writeLines(c(paste(c(used, names(extra)), collapse = ","), do.call(paste, c(cols, sep = ","))),
             file.path(csv_dir, paste0(case, ".csv")))
  csv_cases <- c(csv_cases, paste(case, prog, formula, data, tol, paste("--predict", newfile), sep = "\t"))
  cat(sprintf("%s: %d rows\n", case, nrow(nd)))
}
writeLines(c("# case\tprogram\tformula\tdata\ttolerance\toptions (written by tests/reference/infer.R)",
             csv_cases), file.path(csv_dir, "csv.tsv"))

# ---------------------------------------------------------------------------------------------
# The cases' lines: tests/reference/PROG/infer.tsv, read by tests/run as it reads cases.tsv.
for (prog in names(cases)) {
  path <- file.path("tests/reference", prog, "infer.tsv")
  writeLines(c(paste0("# case\tformula\tdata\toptions: read by tests/run (written by tests/reference/infer.R)"),
               cases[[prog]]), path)
}
