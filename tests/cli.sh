# tests/cli.sh -- command-line tests, sourced by tests/run once per build variant ($BIN is bin or
# build/asan/bin).  Every bad input must give exactly one line on standard error, nothing on standard
# output, and exit status 2 (bad usage or input) or 1 (the data were read but the model cannot be
# fitted):
#     expect STATUS 'exact message' PROGRAM ARGS...
#     expect_out 'text' PROGRAM ARGS...  (status 0, standard output holds the text, standard error
#                                         empty; ERR='text' before it: standard error holds that text)
# Organised by program; small input files are written into build/cli-data/ here, so that the tests
# carry their own data.  The checks of a program that `tests/run --only` leaves out are skipped: expect
# and expect_out skip them by themselves, and the checks written out here ask `wanted PROGRAM` first.

d=build/cli-data
mkdir -p "$d"
printf 'y,x,z\n1,1,2\n2,2,4\n4,3,6\n' > "$d/three.csv"
printf 'y,x\n1,1\n2,2\n' > "$d/two.csv"
printf 'y,x\n1,2\n3,4\n5\n' > "$d/ragged.csv"
: > "$d/empty.csv"
printf 'y,x\n1,"2\n3,4\n' > "$d/unterminated.csv"
printf 'y,x\n1,NA\nNA,2\n,3\n' > "$d/allmissing.csv"
printf 'y,x\n1,0\n2,1\n3,2\n' > "$d/zero.csv"
printf 'y,x\n1,1\n2,abc\n3,2\n' > "$d/text.csv"
printf 'y,x\n1,1\n2,\n4,3\n3,4\n6,5\n' > "$d/onemissing.csv"

# ---------------------------------------------------------------------------------------------
# ols: the command line
expect 2 'ols: missing arguments FORMULA and DATA (usage: ols [options] FORMULA DATA)' ols
expect 2 'ols: missing argument DATA (usage: ols [options] FORMULA DATA)' ols 'mpg ~ wt'
expect 2 'ols: unexpected argument "extra" (usage: ols [options] FORMULA DATA)' ols 'mpg ~ wt' mtcars extra
expect 2 'ols: unknown option "--frobnicate" (see ols --help)' ols --frobnicate 'mpg ~ wt' mtcars
expect 2 'ols: unknown option "-j" (see ols --help)' ols -j 'mpg ~ wt' mtcars
expect 2 'ols: --level: expected a number in (0, 1), found "2"' ols --level 2 'mpg ~ wt' mtcars
expect 2 'ols: --level: expected a number in (0, 1), found "abc"' ols 'mpg ~ wt' mtcars --level abc
expect 2 'ols: --level: expected a number in (0, 1), found "0"' ols --level=0 'mpg ~ wt' mtcars
expect 2 'ols: --level: expected a number in (0, 1), found nothing' ols 'mpg ~ wt' mtcars --level
expect 2 'ols: --json: takes no value, found "yes"' ols --json=yes 'mpg ~ wt' mtcars
expect_out 'Usage: ols [options] FORMULA DATA' ols --help
expect_out 'ols (Regression and Mixed Models from First Principles)' ols --version
expect_out '"conf_low": -6.29341190' ols 'mpg ~ wt' --json mtcars --level 0.9
expect_out 'lm(formula = mpg ~ wt, data = mtcars)' ols -- 'mpg ~ wt' mtcars

# ols: the formula
expect 2 'ols: formula "Reaction ~ Days + (1 | Subject)": at character 19: random-effect term (1 | Subject) in a model without random effects (fit it with lmm or glmm)' ols 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect 2 'ols: iris:2: response "Species" is a factor (found "setosa"); a linear model needs a numeric response' ols 'Species ~ Sepal.Length' iris
expect 2 'ols: formula "cbind(mpg, hp) ~ wt": at character 1: a cbind(successes, failures) response is for binomial models (glmm)' ols 'cbind(mpg, hp) ~ wt' mtcars
expect 2 'ols: formula "mpg ~ wt +": at character 11: expected a term after '"'"'+'"'"', found the end of the formula' ols 'mpg ~ wt +' mtcars
expect 2 'ols: formula "mpg ~ weight": at character 7: no column "weight" in mtcars' ols 'mpg ~ weight' mtcars

# ols: the data: the reader's errors are in the catalogue tests/adversarial/csv.tsv (run after this
# file by tests/adversarial/run.sh), with those of the data that read but that the model cannot use

# ols: fits that R makes, and so must we: no residual degrees of freedom (NaN standard errors),
# an aliased column, a dropped row
expect_out 'ALL 2 residuals are 0: no residual degrees of freedom!' ols 'y ~ x' "$d/two.csv"
expect_out '{"term": "z", "estimate": null' ols --json 'y ~ x + z' "$d/three.csv"
expect_out '(1 observation deleted due to missingness)' ols 'y ~ x' "$d/onemissing.csv"
expect_out 'No Coefficients' ols 'mpg ~ 0' mtcars

# ---------------------------------------------------------------------------------------------
# --- lmm
printf 'y,g,x\n1,a,1\n2,a,2\n3,a,3\n5,a,4\n' > "$d/lmm-onelevel.csv"
printf 'y,g,x\n1,a,1\n2,b,2\n3,c,3\n5,d,4\n' > "$d/lmm-unique.csv"
printf 'y,g,x\n1,a,1\n2,a,2\n3,b,3\n5,b,4\n4,c,1\n' > "$d/lmm-small.csv"
printf 'y,g,x\n1,a,1\n2,a,Inf\n3,b,3\n5,b,4\n4,c,1\n7,c,2\n' > "$d/lmm-inf.csv"
printf 'y,g,x\n1,a,0\n2,a,2\n3,b,3\n5,b,4\n4,c,1\n7,c,2\n' > "$d/lmm-zero.csv"
printf 'y,g\n1,a\n1,a\n1,b\n1,b\n1,c\n1,c\n' > "$d/lmm-const.csv"
printf 'y,g\n1,a\n1,a\n2,b\n2,b\n4,c\n4,c\n' > "$d/lmm-groupconst.csv"
printf 'y,g,x\n1,a,1\n2,NA,2\nNA,b,3\n5,b,4\n4,c,1\n7,c,2\n3,a,5\n' > "$d/lmm-missing.csv"

# lmm: the command line
expect 2 'lmm: missing arguments FORMULA and DATA (usage: lmm [options] FORMULA DATA)' lmm
expect 2 'lmm: unknown option "--reml" (see lmm --help)' lmm --reml 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect 2 'lmm: --ml: takes no value, found "1"' lmm --ml=1 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect 2 'lmm: --level: expected a number in (0, 1), found "1.5"' lmm --level 1.5 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect_out 'Usage: lmm [options] FORMULA DATA' lmm --help
expect_out 'lmm (Regression and Mixed Models from First Principles)' lmm --version

# lmm: the model: no random effects, a grouping variable that does not exist, bad terms
expect 2 'lmm: formula "Reaction ~ Days": no random-effect term such as (1 | g); a mixed model needs at least one' lmm 'Reaction ~ Days' sleepstudy
expect 2 'lmm: formula "Reaction ~ Days + (1 | Nobody)": at character 24: no column "Nobody" in sleepstudy' lmm 'Reaction ~ Days + (1 | Nobody)' sleepstudy

# lmm: lme4's checks of the grouping factors, and data that leave nothing to estimate
expect 1 'lmm: grouping factor "g" has only one level in the data: a random effect needs at least two levels' lmm 'y ~ x + (1 | g)' "$d/lmm-onelevel.csv"
expect 1 'lmm: grouping factor "g" has 4 levels for 4 observations: it must have fewer levels than observations, or its variance cannot be told from the residual variance' lmm 'y ~ x + (1 | g)' "$d/lmm-unique.csv"
expect 1 'lmm: grouping factor "Subject:Days" has 180 levels for 180 observations: it must have fewer levels than observations, or its variance cannot be told from the residual variance' lmm 'Reaction ~ Days + (1 | Subject:Days)' sleepstudy
expect 1 'lmm: the random-effects term for "g" ((Intercept), ...) has 6 random effects for 5 observations: its variances cannot be told from the residual variance' lmm 'y ~ x + (x | g)' "$d/lmm-small.csv"
expect 1 'lmm: the random-effects term for "Subject" ((Intercept), ...) has 180 random effects for 180 observations: its variances cannot be told from the residual variance' lmm 'Reaction ~ Days + (Days + I(Days^2) + I(Days^3) + I(Days^4) + I(Days^5) + I(Days^6) + I(Days^7) + I(Days^8) + I(Days^9) | Subject)' sleepstudy
expect 1 'lmm: the fixed effects fit the response exactly (it is a linear combination of the fixed-effects columns): nothing is left to estimate the variances from' lmm 'y ~ 1 + (1 | g)' "$d/lmm-const.csv"

# lmm: values that are not finite
expect 2 'lmm: build/cli-data/lmm-inf.csv:3: x is Inf; a model needs finite values' lmm 'y ~ x + (1 | g)' "$d/lmm-inf.csv"
expect 2 'lmm: build/cli-data/lmm-zero.csv:2: log(x) is -Inf; a model needs finite values' lmm 'y ~ log(x) + (1 | g)' "$d/lmm-zero.csv"

# lmm: fits that succeed: a singular fit, missing values, ML, the conditional modes, stdin
expect_out 'boundary (singular) fit: see help(' lmm 'Yield ~ 1 + (1 | Batch)' Dyestuff2
expect_out '"n_dropped": 2,' lmm --json 'y ~ x + (1 | g)' "$d/lmm-missing.csv"
expect_out 'Conditional standard deviations (condVar = TRUE):' lmm --ml --ranef 'Reaction ~ Days + (Days | Subject)' sleepstudy
ERR='lmm: 41 evaluations of the REML criterion in' expect_out 'Number of obs: 60, groups:  cask:batch, 30; batch, 10' lmm --verbose 'strength ~ 1 + (1 | batch/cask)' Pastes
STDIN=data/Penicillin.csv expect_out '   Data: -' lmm 'diameter ~ 1 + (1 | plate) + (1 | sample)' -

# lmm: an optimizer that stops without converging (a response that the random effects fit exactly:
# the criterion decreases without bound as the variance ratio grows) is reported on standard error
# and as "converged": false, and the fit is still printed
if wanted lmm; then
lmm_out=$("$BIN/lmm" --json 'y ~ 1 + (1 | g)' "$d/lmm-groupconst.csv" 2> build/cli.err); lmm_status=$?
if [ "$lmm_status" = 0 ] && grep -q '"converged": false' <<< "$lmm_out" \
   && grep -q '^lmm: warning: the criterion decreases without bound (the random effects fit the response exactly); the optimizer stopped after [0-9]* evaluations, and the estimates are not an optimum$' build/cli.err; then
  echo "ok - lmm reports an optimizer that did not converge, on stderr and as converged: false"
else
  echo "not ok - lmm on a response the random effects fit exactly: status $lmm_status, stderr: $(head -c 300 build/cli.err)"
fi
fi

# ---------------------------------------------------------------------------------------------
# --- ols --boot
# ols --boot: bad options, each one line and status 2
expect 2 'ols: --boot: expected an integer from 1 to 100000000, found "0"' ols --boot 0 'mpg ~ wt' mtcars
expect 2 'ols: --boot: expected an integer from 1 to 100000000, found "-5"' ols --boot -5 'mpg ~ wt' mtcars
expect 2 'ols: --boot: expected an integer from 1 to 100000000, found "2.5"' ols --boot 2.5 'mpg ~ wt' mtcars
expect 2 'ols: --boot: expected an integer from 1 to 100000000, found nothing' ols 'mpg ~ wt' mtcars --boot
expect 2 'ols: --boot-type: expected pairs, residual or wild, found "cases"' ols --boot 10 --boot-type cases 'mpg ~ wt' mtcars
expect 2 'ols: --level: expected a number in (0, 1), found "1"' ols --boot 10 --level 1 'mpg ~ wt' mtcars
expect 2 'ols: --level: expected a number in (0, 1), found "0"' ols --boot 10 --level 0 'mpg ~ wt' mtcars
expect 2 'ols: --level: expected a number in (0, 1), found "95"' ols --boot 10 --level 95 'mpg ~ wt' mtcars
expect 2 'ols: --threads: expected an integer from 1 to 1024, found "0"' ols --boot 10 --threads 0 'mpg ~ wt' mtcars
expect 2 'ols: --seed: expected an integer from 0 to 4294967295, found "-1"' ols --boot 10 --seed -1 'mpg ~ wt' mtcars
expect 2 'ols: --seed: expected an integer from 0 to 4294967295, found "x"' ols --boot 10 --seed x 'mpg ~ wt' mtcars

# ols --boot: runs that succeed, with every scheme, a level, an aliased column and rank-deficient
# resamples (a factor level with few rows)
expect_out 'Bootstrap: 2000 pairs replicates, seed ' ols --boot 2000 'mpg ~ wt' mtcars
expect_out 'Bootstrap: 200 residual replicates' ols --boot 200 --seed 1 --boot-type residual --level 0.9 'mpg ~ wt + hp' mtcars
expect_out '"type": "wild",' ols --json --boot 200 --seed 1 --boot-type wild 'mpg ~ wt + factor(cyl)' mtcars
expect_out 'Bootstrap: 200 pairs replicates, seed 1 (--boot 200 --boot-type pairs --seed 1)' ols --boot 200 --seed 1 'y ~ x1 + x2 + x3' tests/data/ols/collinear.csv
ERR='no BCa interval for factor(carb)6, factor(carb)8' expect_out '"rank_deficient": 178,' ols --json --boot 300 --seed 2 'mpg ~ wt + factor(carb)' mtcars

# ols --boot: the same seed gives identical JSON with 1 and 4 threads; another seed, other intervals;
# the seed and the counts are in the JSON; rank-deficient resamples are counted
if wanted ols; then
boot_json() { "$BIN/ols" --json --boot 500 "$@" 'mpg ~ wt + hp' mtcars 2> build/cli.err; }
b1=$(boot_json --seed 7 --threads 1); b4=$(boot_json --seed 7 --threads 4); b8=$(boot_json --seed 8 --threads 4)
if [ -n "$b1" ] && [ "$b1" = "$b4" ]; then echo "ok - ols --boot: seed 7 gives identical JSON with 1 and 4 threads"
else echo "not ok - ols --boot: seed 7 gives different JSON with 1 and 4 threads"; fi
if [ -n "$b8" ] && [ "$b1" != "$b8" ]; then echo "ok - ols --boot: seeds 7 and 8 give different intervals"
else echo "not ok - ols --boot: seeds 7 and 8 give the same intervals"; fi
if grep -q '"seed": 7,' <<< "$b1" && grep -q '"replicates": 500,' <<< "$b1" && grep -q '"type": "pairs",' <<< "$b1" \
   && [ "$(grep -c '"percentile": \[-*[0-9]' <<< "$b1")" = 3 ]; then
  echo "ok - ols --boot --json has the seed, the replicates, the type and three intervals"
else echo "not ok - ols --boot --json lacks a field: $(head -c 300 <<< "$b1")"; fi
# the studentized interval and the bootstrap F test, in the JSON and in the summary; none without an F test
if [ "$(grep -c '"studentized": \[-*[0-9]' <<< "$b1")" = 3 ] && grep -q '"f_p_value": 0.00199600798403' <<< "$b1"; then
  echo "ok - ols --boot --json has three studentized intervals and the bootstrap F p-value 1/(B + 1)"
else echo "not ok - ols --boot --json lacks studentized or f_p_value: $(head -c 300 <<< "$b1")"; fi
qs=$("$BIN/ols" --boot 400 --seed 3 --boot-type residual 'qsec ~ mpg + drat' mtcars 2> build/cli.err)
if grep -q '^studentized  *(' <<< "$qs" && grep -q '^Overall F test, p-value: F distribution 0\.01683, bootstrap 0\.0[0-9]*$' <<< "$qs"; then
  echo "ok - ols --boot prints a studentized row and the bootstrap F test beside the F distribution's"
else echo "not ok - ols --boot: no studentized row or F test line: $(tail -3 <<< "$qs")"; fi
one=$("$BIN/ols" --json --boot 50 --seed 1 'mpg ~ 1' mtcars 2> build/cli.err)
onep=$("$BIN/ols" --boot 50 --seed 1 'mpg ~ 1' mtcars 2> build/cli.err)
if grep -q '"bootstrap": {.*"f_p_value": null' <<< "$(tr -d '\n' <<< "$one")" && ! grep -q '^Overall F test' <<< "$onep"; then
  echo "ok - ols --boot: a model with only an intercept has a null bootstrap F p-value and no F line"
else echo "not ok - ols --boot: intercept-only model has a bootstrap F test"; fi
carb=$("$BIN/ols" --json --boot 300 --seed 2 'mpg ~ wt + factor(carb)' mtcars 2> build/cli.err)
if grep -q '"rank_deficient": [1-9]' <<< "$carb"; then
  echo "ok - ols --boot: resamples that miss a rare level of factor(carb) are counted as rank-deficient"
else echo "not ok - ols --boot: no rank-deficient resample counted for factor(carb)"; fi
# the default seed is printed, and repeating it repeats the intervals
first=$("$BIN/ols" --boot 300 'mpg ~ wt' mtcars 2> build/cli.err)
seed=$(sed -n 's/^Bootstrap: 300 pairs replicates, seed \([0-9]*\) .*/\1/p' <<< "$first")
again=$("$BIN/ols" --boot 300 --seed "${seed:-x}" 'mpg ~ wt' mtcars 2> build/cli.err)
if [ -n "$seed" ] && [ "$first" = "$again" ]; then echo "ok - ols --boot prints its seed, and --seed $seed repeats the run"
else echo "not ok - ols --boot: the printed seed (${seed:-none}) does not repeat the run"; fi
fi
expect_out 'Estimate Std. Error      df t value Pr(>|t|)' lmm --satterthwaite 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect_out '"df": 10.0000000' lmm --json --satterthwaite --ml 'strength ~ 1 + (1 | batch/cask)' Pastes

# --- glmm
# glmm_warns REGEX PROGRAM ARGS...: the program succeeds, prints its result, and one line of its
# standard error matches REGEX (anchored at both ends) -- for warnings, which go with a result.
glmm_warns() {
  local re=$1 prog=$2; shift 2
  local out status
  wanted "$prog" || return 0
  out=$("$BIN/$prog" "$@" 2>build/cli.err < /dev/null); status=$?
  if [ "$status" = 0 ] && [ -n "$out" ] && grep -Eq "^$re\$" build/cli.err; then
    echo "ok - $prog $* warns: $re"
  else
    echo "not ok - $prog $*: expected status 0, output and a warning matching \"$re\"; got $status and \"$(head -c 600 build/cli.err)\""
  fi
}

# glmm: responses a binomial model cannot take, in a logistic regression and in a mixed model
expect 2 'glmm: mtcars:2: response cyl is 6; a binary response must be 0 or 1 (for successes out of trials, write cbind(successes, failures); for counts with no upper limit, fit the Poisson family with --family poisson)' glmm 'cyl ~ wt' mtcars
expect 2 'glmm: cbpp:2: response cbind(incidence, incidence - size): the failures count is -12; counts must be whole numbers, 0 or more' glmm 'cbind(incidence, incidence - size) ~ factor(period) + (1 | herd)' cbpp
expect 2 'glmm: cbpp:4: response cbind(size/2, size): the successes count is 4.5; counts must be whole numbers, 0 or more' glmm 'cbind(size / 2, size) ~ 1 + (1 | herd)' cbpp
expect 1 'glmm: the response cbind(0 * size, size) has no successes: every observation is a failure, and a logistic model cannot be fitted' glmm 'cbind(0 * size, size) ~ 1' cbpp

# glmm --family, --link (chunks/glm.nw, Section "Other families and links"): the words, the
# combinations, Poisson counts, and binomial trials beyond what doubles count exactly (issue 15)
expect 2 'glmm: --family: expected binomial or poisson, found "gamma"' glmm --family gamma 'am ~ wt' mtcars
expect 2 'glmm: --link: expected logit, probit, cloglog or log, found "identity"' glmm --link identity 'am ~ wt' mtcars
expect 2 'glmm: --link log: the binomial family takes the logit, probit or cloglog link (a log link can give probabilities above 1)' glmm --link log 'am ~ wt' mtcars
expect 2 'glmm: --link probit: the poisson family takes the log link' glmm --family poisson --link probit 'TICKS ~ HEIGHT' grouseticks
expect 2 'glmm: formula "cbind(incidence, size - incidence) ~ 1": at character 1: a cbind(successes, failures) response is for binomial models (glmm)' glmm --family poisson 'cbind(incidence, size - incidence) ~ 1' cbpp
expect 2 'glmm: grouseticks:7: response I(TICKS/2) is 1.5; a Poisson count must be a whole number from 0 to 2^53 = 9007199254740992' glmm --family poisson 'I(TICKS/2) ~ HEIGHT' grouseticks
expect 2 'glmm: grouseticks:7: response I(TICKS * 1e+300) is 3e+300; a Poisson count must be a whole number from 0 to 2^53 = 9007199254740992' glmm --family poisson 'I(TICKS * 1e300) ~ 1' grouseticks
expect 1 'glmm: the response I(0 * TICKS) is 0 in every row: the rate'"'"'s estimate would be 0, and a Poisson model with a log link cannot be fitted' glmm --family poisson 'I(0 * TICKS) ~ HEIGHT' grouseticks
expect 2 'glmm: cbpp:2: response cbind(incidence, size * 1e+300): the number of trials is 1.4e+301; successes plus failures must be at most 2^53 = 9007199254740992, where doubles count exactly' glmm 'cbind(incidence, size * 1e300) ~ 1' cbpp
expect_out ' Family: poisson  ( log )' glmm --family poisson 'TICKS ~ factor(YEAR) + cHEIGHT + (1 | BROOD) + (1 | INDEX)' grouseticks
expect_out ' Family: binomial  ( cloglog )' glmm --link cloglog --nagq 5 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
if wanted glmm; then
if "$BIN/glmm" --family poisson 'TICKS ~ factor(YEAR) + cHEIGHT + (1 | BROOD)' grouseticks 2> build/cli.err \
   | grep -q '^ Family: poisson  ( log )$' && [ ! -s build/cli.err ]; then
  echo "ok - glmm --family poisson prints lme4's family line, without warnings"
else echo "not ok - glmm --family poisson: no family line \" Family: poisson  ( log )\", or warnings: $(head -c 300 build/cli.err)"; fi
if "$BIN/glmm" --link probit 'am ~ wt' mtcars 2> build/cli.err \
   | grep -q '^glm(formula = am ~ wt, family = binomial(link = "probit"), data = mtcars)$'; then
  echo "ok - glmm --link probit prints glm's call with the link"
else echo "not ok - glmm --link probit: the call does not name the link"; fi
fi

# glmm --weights COLUMN: prior weights (chunks/glm.nw, "Prior weights"): a numeric column, no missing
# or negative weight
expect 2 'glmm: tests/data/glmm/weights-missing.csv:3: weight w is missing; prior weights must be numbers, 0 or more' glmm --weights w 'y ~ x' tests/data/glmm/weights-missing.csv
expect 2 'glmm: tests/data/glmm/weights-negative.csv:3: weight w is -2; prior weights must be finite, 0 or more' glmm --weights w 'y ~ x' tests/data/glmm/weights-negative.csv
expect 2 'glmm: --weights: no column "nope" in mtcars' glmm --weights nope 'am ~ wt' mtcars
expect 2 'glmm: --weights: column "supp" of ToothGrowth is not numeric (line 2: "VC")' glmm --weights supp 'supp ~ len' ToothGrowth
expect_out '   370.7    380.8   -180.3    360.7       51' glmm --weights period 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp

# ols --weights and lmm --weights (chunks/ols.nw and chunks/lmm.nw, "Prior weights"): the column is
# read by frm_weights, with glmm's messages; R's values are the cases of
# tests/reference/{ols,lmm}/cases-weights.tsv and the --augment files of infer/csv-weights.tsv
printf 'y,x,w\n1,1,0\n2,2,0\n4,3,0\n' > "$d/weights-zero.csv"
expect 2 'ols: tests/data/glmm/weights-missing.csv:3: weight w is missing; prior weights must be numbers, 0 or more' ols --weights w 'y ~ x' tests/data/glmm/weights-missing.csv
expect 2 'ols: tests/data/glmm/weights-negative.csv:3: weight w is -2; prior weights must be finite, 0 or more' ols --weights w 'y ~ x' tests/data/glmm/weights-negative.csv
expect 2 'ols: --weights: no column "nope" in mtcars' ols --weights nope 'mpg ~ wt' mtcars
expect 2 'ols: --weights: column "supp" of ToothGrowth is not numeric (line 2: "VC")' ols --weights supp 'len ~ dose' ToothGrowth
expect 1 'ols: --weights: every weight is 0: no observation to fit' ols --weights w 'y ~ x' "$d/weights-zero.csv"
expect 2 'lmm: mtcars:2: weight vs is 0; lmm needs weights above 0 (lmer'"'"'s criterion would be infinite): leave the row out instead' lmm --weights vs 'mpg ~ wt + (1 | cyl)' mtcars
expect 2 'lmm: tests/data/glmm/weights-negative.csv:3: weight w is -2; prior weights must be finite, 0 or more' lmm --weights w 'y ~ x + (1 | x)' tests/data/glmm/weights-negative.csv
expect 2 'lmm: --weights: no column "nope" in sleepstudy' lmm --weights nope 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect 2 'lmm: --weights: not with --boot yet (it would ignore the weights); fit without it' lmm --weights carb --boot 10 'mpg ~ wt + (1 | cyl)' mtcars
# the weighted bootstrap's percentile intervals (seed 1), and the conditional modes of a weighted fit
# (lme4's ranef() of lmer(..., weights = size) gives 0.044879960 for herd 1)
ERR='extreme order statistics used as endpoints' expect_out 'percentile  (38.69, 49.88) (-6.716, -3.243)' ols --weights vs --boot 50 --seed 1 --boot-type residual 'mpg ~ wt + hp' mtcars
expect_out '1   0.0448799' lmm --weights size --ranef 'I(incidence/size) ~ period + (1 | herd)' cbpp
if wanted ols; then
  # the summary says "Weighted Residuals" and shows the call with weights =, as print.summary.lm
  if "$BIN/ols" --weights gear 'mpg ~ wt' mtcars 2> /dev/null | grep -q '^lm(formula = mpg ~ wt, data = mtcars, weights = gear)$' \
     && "$BIN/ols" --weights gear 'mpg ~ wt' mtcars 2> /dev/null | grep -q '^Weighted Residuals:$'; then
    echo "ok - ols --weights prints lm's call with weights = and Weighted Residuals"
  else echo "not ok - ols --weights: the summary does not show the weights as R's does"; fi
  # --boot with weights resamples the rows scaled by sqrt(w) (chunks/ols-program.nw, "Prior
  # weights"): the pairs bootstrap of the weighted fit is that of the scaled regression, to the bit
  a=$("$BIN/ols" --json --boot 200 --seed 7 --weights gear 'mpg ~ wt' mtcars 2> /dev/null \
      | grep '"percentile"' | sed 's/"term": "[^"]*", //')
  b=$("$BIN/ols" --json --boot 200 --seed 7 'I(sqrt(gear) * mpg) ~ 0 + sqrt(gear) + I(sqrt(gear) * wt)' mtcars 2> /dev/null \
      | grep '"percentile"' | sed 's/"term": "[^"]*", //')
  if [ -n "$a" ] && [ "$a" = "$b" ]; then
    echo "ok - ols --weights --boot: the pairs bootstrap resamples the rows with their weights"
  else echo "not ok - ols --weights --boot: the intervals differ from those of the scaled regression"; fi
fi

# offset() in the formulas of all three programs (chunks/formula.nw, Section "Offsets"): added, one
# argument, numbers, finite
expect 2 'ols: formula "mpg ~ wt - offset(hp)": at character 10: an offset is added with '"'"'+'"'"', not subtracted (write offset(-x) for minus x)' ols 'mpg ~ wt - offset(hp)' mtcars
# a constant offset: R's model.frame refuses it ("variable lengths differ"), in lm, lmer, glm, glmer
expect 2 'ols: formula "mpg ~ wt + offset(2)": at character 19: offset(2) is one number, not a value per row; R refuses it too ("variable lengths differ"): leave it out, and the intercept absorbs it (it is then larger by 2)' ols 'mpg ~ wt + offset(2)' mtcars
expect 2 'lmm: formula "Reaction ~ Days + offset(log(10)) + (1 | Subject)": at character 26: offset(log(10)) is one number, not a value per row; R refuses it too ("variable lengths differ"): leave it out, and the intercept absorbs it (it is then larger by log(10))' lmm 'Reaction ~ Days + offset(log(10)) + (1 | Subject)' sleepstudy
expect 2 'glmm: formula "carb ~ wt + offset(-1)": at character 20: offset(-1) is one number, not a value per row; R refuses it too ("variable lengths differ"): leave it out, and the intercept absorbs it (it is then larger by -1)' glmm --family poisson 'carb ~ wt + offset(-1)' mtcars
expect 2 'ols: formula "mpg ~ wt + offset(hp, 2)": at character 12: offset() takes 1 argument, found 2' ols 'mpg ~ wt + offset(hp, 2)' mtcars
expect 2 'lmm: formula "Reaction ~ Days + offset(factor(Subject)) + (1 | Subject)": at character 26: offset(factor(Subject)): factor(Subject) is a factor; an offset must be numbers' lmm 'Reaction ~ Days + offset(factor(Subject)) + (1 | Subject)' sleepstudy
expect 2 'glmm: mtcars:2: log(vs) is -Inf; a model needs finite values' glmm 'am ~ wt + offset(log(vs))' mtcars
expect 2 'ols: formula "mpg ~ wt:offset(hp)": at character 10: unknown function offset() (a formula may use I, factor, relevel, C, poly, scale, log, exp, sqrt, abs, log2, log10, log1p, expm1)' ols 'mpg ~ wt:offset(hp)' mtcars
expect_out '(Intercept)   16.873      1.219   13.85  8.1e-15 ***' ols 'mpg ~ offset(wt)' mtcars
expect_out '   190.6    200.7    -90.3    180.6       51' glmm --family poisson --nagq 3 'incidence ~ factor(period) + offset(log(size)) + (1 | herd)' cbpp

# glmm --nagq: quadrature needs one scalar random-effects term; the number of nodes is 1 to 100
expect 2 'glmm: --nagq 5: adaptive Gauss-Hermite quadrature needs a single scalar random-effects term such as (1 | g), and the formula has 2 terms' glmm --nagq 5 'r2 ~ Anger + (1 | id) + (1 | item)' VerbAgg
expect 2 'glmm: --nagq 3: adaptive Gauss-Hermite quadrature needs a single scalar random-effects term such as (1 | g), and the term for "g" has 2 columns' glmm --nagq 3 'y ~ x + (x | g)' tests/data/glmm/slope.csv
expect 2 'glmm: --nagq 3: adaptive Gauss-Hermite quadrature needs a single scalar random-effects term such as (1 | g), and the formula has 2 terms' glmm --nagq 3 'y ~ x + (x || g)' tests/data/glmm/slope.csv
expect 2 'glmm: --nagq 3: adaptive Gauss-Hermite quadrature integrates over random effects, and the formula has no random-effects term such as (1 | g)' glmm --nagq 3 'am ~ wt' mtcars
expect 2 'glmm: --nagq 0: optimizes the random effects'"'"' parameters with the fixed effects in PIRLS, and the formula has no random-effects term such as (1 | g)' glmm --nagq 0 'am ~ wt' mtcars
expect 2 'glmm: --nagq: expected an integer from 0 to 100, found "-1"' glmm --nagq -1 'cbind(incidence, size - incidence) ~ 1 + (1 | herd)' cbpp
expect 2 'glmm: --nagq: expected an integer from 0 to 100, found "101"' glmm --nagq 101 'cbind(incidence, size - incidence) ~ 1 + (1 | herd)' cbpp
expect 2 'glmm: --nagq: expected an integer from 0 to 100, found "five"' glmm --nagq five 'cbind(incidence, size - incidence) ~ 1 + (1 | herd)' cbpp

# glmm: warnings that come with a result -- separation (logistic regression and mixed model), levels
# whose responses are all equal, a singular fit, and the failures of PIRLS, the optimizer and the
# Hessian that separation causes
glmm_warns 'glmm: warning: IRLS did not converge in 25 iterations; the estimates are not the maximum-likelihood estimates' glmm 'y ~ x' tests/data/glmm/separated.csv
glmm_warns 'glmm: warning: fitted probabilities numerically 0 or 1 occurred: the predictors separate the successes from the failures \(completely or quasi-completely\), so some estimates are infinite in truth and the reported ones and their standard errors are meaningless' glmm 'y ~ x' tests/data/glmm/separated.csv
glmm_warns 'glmm: warning: fitted probabilities numerically 0 or 1 occurred: .*' glmm 'y ~ x + (1 | g)' tests/data/glmm/separated.csv
glmm_warns 'glmm: warning: PIRLS did not converge in [0-9]+ evaluations of the deviance; the estimates may be inaccurate' glmm 'y ~ x + (1 | g)' tests/data/glmm/separated.csv
glmm_warns 'glmm: warning: the optimizer stopped before converging \(NLopt status -?[0-9]+, [A-Z_]+\)' glmm 'y ~ x + (1 | g)' tests/data/glmm/separated.csv
glmm_warns 'glmm: warning: the Hessian of the deviance is not positive definite at the optimum; the standard errors come from the weighted cross-products instead, as glmer.s fallback' glmm 'y ~ x + (1 | g)' tests/data/glmm/separated.csv
glmm_warns 'glmm: warning: 2 of the 60 levels of "g" \(s10, s14\) have only successes: the random effects keep their modes finite \(a fixed effect for such a level would be infinite\), but the data say little about them and many such levels inflate the estimated variance' glmm 'y ~ x + (1 | g)' tests/data/glmm/slope.csv
glmm_warns 'glmm: warning: some predictors are on very different scales \(standard deviations from [0-9.e+]+ to [0-9.e+]+\): the finite-difference Hessian, and so the standard errors, may be inaccurate; consider rescaling them' glmm 'vs ~ I(disp * 1000) + (1 | gear)' mtcars
glmm_warns 'glmm: warning: singular fit: a variance is estimated as zero or a correlation as \+-1 \(theta on its bound; see lme4.s \?isSingular\)' glmm 'y ~ x + (1 | batch)' tests/data/glmm/flat.csv

# glmm: runs that succeed, printing the summary or JSON, with Laplace and quadrature
expect_out '   194.1    204.2    -92.0    184.1       51' glmm 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
expect_out 'Gauss-Hermite Quadrature, nAGQ = 25) [glmerMod]' glmm --nagq 25 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
expect_out '"model": "glm",' glmm --json 'cbind(incidence, size - incidence) ~ factor(period)' cbpp
expect_out 'glm(formula = supp ~ len + dose, family = binomial, data = ToothGrowth)' glmm 'supp ~ len + dose' ToothGrowth
if wanted glmm; then
if "$BIN/glmm" 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp 2> build/cli.err \
   | grep -q '^Number of obs: 56, groups:  herd, 15$' && [ ! -s build/cli.err ]; then
  echo "ok - glmm prints lme4's summary of cbpp, without warnings"
else echo "not ok - glmm: the summary of cbpp lacks lme4's line of groups, or warns: $(head -c 300 build/cli.err)"; fi
fi

# glmm: the printed summaries are R's, character for character (R's text in tests/reference/glmm/print,
# written by tests/reference/glmm.R: glm's summary, and glmer's at the exact optimum)
glmm_prints() {   # glmm_prints CASE FORMULA DATA
  local want=tests/reference/glmm/print/$1.txt
  wanted glmm || return 0
  if "$BIN/glmm" "$2" "$3" 2> build/cli.err | diff -q - "$want" > /dev/null && [ ! -s build/cli.err ]; then
    echo "ok - glmm '$2' $3 prints what R prints ($want)"
  else
    echo "not ok - glmm '$2' $3: the summary differs from $want: $("$BIN/glmm" "$2" "$3" 2>&1 | diff - "$want" | head -c 300)"
  fi
}
glmm_prints glm_binary 'am ~ wt + hp' mtcars
glmm_prints glm_trials 'cbind(incidence, size - incidence) ~ factor(period)' cbpp
glmm_prints glm_factor_response 'supp ~ len + dose' ToothGrowth
glmm_prints glm_intercept_only 'am ~ 1' mtcars
glmm_prints cbpp_laplace 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
expect_out 'Usage: glmm [options] FORMULA DATA' glmm --help

# --- --trace FILE (lmm, glmm): one CSV row per evaluation of the criterion.  The header is
# evaluation,theta1,...[,beta1,...],criterion; evaluation counts 1, 2, ...; every row has the
# header's fields; the last row, and the smallest criterion among the rows whose fields are all
# filled (glmm's stage 1 leaves the beta fields empty), reproduce the JSON's criterion KEY to 1e-10.
trace_matches() {   # trace_matches KEY PROGRAM ARGS...
  local key=$1 prog=$2; shift 2
  local t=build/cli-trace.csv json want
  wanted "$prog" || return 0
  rm -f "$t"
  json=$("$BIN/$prog" --json --trace "$t" "$@" 2> build/cli.err)
  want=$(sed -n "s/^  \"$key\": \([^,]*\),\$/\1/p" <<< "$json")
  if [ -n "$want" ] && [ -s "$t" ] && awk -F, -v want="$want" '
       function rel(x) { d = (x - want) / want; return d < 0 ? -d : d }
       NR == 1 { ok = $1 == "evaluation" && $2 == "theta1" && $NF == "criterion"; n = NF; next }
       { ok = ok && NF == n && $1 == NR - 1; last = $NF; full = 1
         for (i = 2; i <= NF; i++) if ($i == "") full = 0
         if (full && (min == "" || $NF + 0 < min + 0)) min = $NF }
       END { exit !(ok && NR > 2 && rel(last) < 1e-10 && rel(min) < 1e-10) }' "$t"; then
    echo "ok - $prog --trace $*: $(($(wc -l < "$t") - 1)) rows; the last and the smallest are the $key, $want"
  else
    echo "not ok - $prog --trace $*: the trace does not end at the $key ${want:-(none)}: $(tail -n 1 "$t" 2>/dev/null | head -c 200) $(head -c 300 build/cli.err)"
  fi
}
trace_matches reml_criterion lmm 'Reaction ~ Days + (Days | Subject)' sleepstudy
trace_matches deviance lmm --ml 'Reaction ~ Days + (Days | Subject)' sleepstudy
trace_matches reml_criterion lmm 'strength ~ 1 + (1 | batch/cask)' Pastes
trace_matches deviance glmm 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
trace_matches deviance glmm --nagq 9 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
if ! wanted glmm; then :
elif head -n 2 build/cli-trace.csv | tr '\n' '|' \
   | grep -Eq '^evaluation,theta1,beta1,beta2,beta3,beta4,criterion\|1,1,,,,,[0-9.e+-]+\|$'; then
  echo "ok - glmm --trace: the header names theta and beta, and stage 1's rows leave beta empty"
else echo "not ok - glmm --trace: header or first row: $(head -n 2 build/cli-trace.csv | tr '\n' '|')"; fi
expect 2 'lmm: --trace: cannot open "build/cli-data/no/such/dir/t.csv" for writing: No such file or directory' lmm --trace build/cli-data/no/such/dir/t.csv 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect 2 'glmm: --trace: cannot open "build/cli-data" for writing: Is a directory' glmm --trace build/cli-data 'cbind(incidence, size - incidence) ~ 1 + (1 | herd)' cbpp
expect 2 'lmm: --trace: expected a file name, found nothing' lmm 'Reaction ~ Days + (1 | Subject)' sleepstudy --trace
expect 2 'glmm: --trace: a logistic regression is fitted by IRLS, with no optimizer to trace; the formula has no random-effects term such as (1 | g)' glmm --trace build/cli-trace.csv 'am ~ wt' mtcars

# Levels, contrasts, poly and comparisons in formulas (the formula chapter's Section "Levels,
# contrasts, polynomials and comparisons"; --contrasts is a common option of every program).
expect 2 'ols: --contrasts: expected treatment, sum or helmert, found "poly"' ols --contrasts poly 'mpg ~ wt' mtcars
expect 2 'lmm: --contrasts: expected treatment, sum or helmert, found "SUM"' lmm --contrasts SUM 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect 2 'ols: formula "breaks ~ relevel(tension, "X")": at character 27: "X" is not a level of tension (its levels are L, M, H)' ols 'breaks ~ relevel(tension, "X")' warpbreaks
expect 2 'ols: formula "mpg ~ poly(gear, 3)": at character 18: the degree of poly() must be less than the 3 distinct values of its argument' ols 'mpg ~ poly(gear, 3)' mtcars
expect 2 'glmm: formula "r2 ~ C(btype, contr.treatment(base = 2)) + (1 | id)": at character 15: C() takes the contrasts function, not a call of it: write C(f, contr.treatment, base = 2)' glmm 'r2 ~ C(btype, contr.treatment(base = 2)) + (1 | id)' VerbAgg
expect_out 'wool1             2.889      1.489   1.940 0.058213' ols --contrasts sum 'breaks ~ wool * tension' warpbreaks
expect_out 'sample1     -1.60417    0.07937 -20.210' lmm --contrasts helmert 'diameter ~ sample + (1 | plate)' Penicillin

# Warnings where R warns too (issue 15): NaNs produced, a random-effect term twice, a factor nested
# in itself, grouping labels that lme4 would merge; and glmer's observation-level random effect.
mkdir -p build/cli-data
printf 'y,x\n1,-1\n2,1\n3,2\n4,3\n5,5\n' > build/cli-data/neg.csv
if wanted ols; then if "$BIN/ols" 'y ~ log(x)' build/cli-data/neg.csv 2>&1 >/dev/null | grep -qx 'ols: warning: log(x): NaNs produced on 1 row (the first at build/cli-data/neg.csv:2), which are dropped as missing values, as R drops them'; then echo "ok - ols warns that log() produced NaNs"; else echo "not ok - ols warns that log() produced NaNs"; fi fi
if wanted lmm; then if "$BIN/lmm" 'Reaction ~ Days + (1 | Subject) + (1 | Subject)' sleepstudy 2>&1 >/dev/null | grep -qx 'lmm: warning: the random-effect term for Subject at character 35 is the same as the one at character 19: the data cannot tell their variances apart (lme4 fits both and warns of a degenerate Hessian)'; then echo "ok - lmm warns of a random-effect term written twice"; else echo "not ok - lmm warns of a random-effect term written twice"; fi fi
if wanted lmm; then if "$BIN/lmm" 'Reaction ~ Days + (1 | Subject/Subject)' sleepstudy 2>&1 >/dev/null | grep -qx 'lmm: warning: grouping factor Subject:Subject at character 19 has Subject nested in itself, which gives the groups of Subject again'; then echo "ok - lmm warns of a factor nested in itself"; else echo "not ok - lmm warns of a factor nested in itself"; fi fi
printf 'y,g,h\n1,a:b,c\n2,a,b:c\n3,a:b,c\n4,a,b:c\n5,x,y\n6,x,y\n7,a:b,c\n8,a,b:c\n9,x,y\n' > build/cli-data/colon.csv
if wanted lmm; then if "$BIN/lmm" 'y ~ 1 + (1 | g:h)' build/cli-data/colon.csv 2>&1 >/dev/null | grep -qx "lmm: warning: grouping factor g:h: 1 level such as \"a:b:c\" stands for two or more different combinations, because a label holds ':'; they are kept apart here, but lme4 pastes the labels and would merge them"; then echo "ok - lmm warns of grouping labels that lme4 would merge"; else echo "not ok - lmm warns of grouping labels that lme4 would merge"; fi fi
expect 1 'lmm: grouping factor "obs" has 56 levels for 56 observations: it must have fewer levels than observations, or its variance cannot be told from the residual variance' lmm 'incidence ~ period + (1 | obs)' tests/data/glmm/cbpp_obs.csv
ERR='glmm: warning: 22 of the 56 levels of "obs"' expect_out '   186.6    198.8    -87.3    174.6       50' glmm 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd) + (1 | obs)' tests/data/glmm/cbpp_obs.csv
expect 2 "ols: formula \"y ~ log(.)\": at character 9: '.' stands for all the other columns, as a term; it cannot be a value" ols 'y ~ log(.)' mtcars
# --- issue 15: scale-invariant rank decisions, rank and aliased in the JSON, the warning of an
# essentially perfect fit, and output that is the same bytes on every run
printf 'y,x\n3,1\n3,2\n3,3\n3,5\n' > "$d/constant.csv"
glmm_warns 'ols: warning: essentially perfect fit: summary may be unreliable' ols 'y ~ x' "$d/constant.csv"
glmm_warns 'ols: warning: essentially perfect fit: summary may be unreliable' ols --json 'y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5)' tests/data/nist/wampler1.csv
if wanted ols; then
if "$BIN/ols" 'mpg ~ wt' mtcars 2> build/cli.err > /dev/null && [ ! -s build/cli.err ]; then
  echo "ok - ols: no perfect-fit warning for an ordinary fit"
else echo "not ok - ols 'mpg ~ wt' mtcars warns: $(head -c 300 build/cli.err)"; fi
fi
json_has() {   # json_has PROGRAM REGEX... -- ARGS...: the JSON output has a line matching each REGEX
  local prog=$1 re=() out; shift
  while [ "$1" != "--" ]; do re+=("$1"); shift; done; shift
  wanted "$prog" || return 0
  out=$("$BIN/$prog" --json "$@" 2> build/cli.err)
  for r in "${re[@]}"; do
    if ! grep -Eq -- "$r" <<< "$out"; then
      echo "not ok - json_rank_aliased: $prog --json $*: no line matches \"$r\""; return
    fi
  done
  echo "ok - json_rank_aliased: $prog --json $* has ${re[*]}"
}
json_has ols '^  "rank": 3,?$' '"term": "x3", .*"aliased": true}' '"term": "x2", .*"aliased": false}' -- 'y ~ x1 + x2 + x3' tests/data/ols/collinear.csv
json_has ols '^  "rank": 3,?$' '"term": "x_e200", "estimate": 1.7[0-9]*e-200, .*"aliased": false}' -- 'y ~ x_e200 + z' tests/data/ols/scale.csv
json_has glmm '^  "rank": 3,?$' '"term": "x_em200", "estimate": [0-9.]*e\+199, .*"aliased": false}' -- 'y ~ x_em200 + z' tests/data/glmm/scale.csv
json_has glmm '^  "rank": 4,?$' '"term": "factor\(period\)4", .*"aliased": false}' -- 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
json_has lmm '^  "rank": 2,?$' '"term": "Days", .*"aliased": false}' -- 'Reaction ~ Days + (Days | Subject)' sleepstudy
json_has lmm '^  "rank": 2,?$' '"term": "I\(2 \* Days\)", .*"aliased": true}' -- 'Reaction ~ Days + I(2 * Days) + (1 | Subject)' sleepstudy
# lmm's rank decision keeps a column of order 1e-170 (it dropped it as a column of zeros); the
# fit then fails as lme4's lmer does on it, since the cross-products underflow
printf 'y,g,z,x\n' > "$d/tiny.csv"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
  printf '%d,g%d,%d,%de-170\n' $(( (i * 7) % 5 + i )) $(( i % 4 )) $(( (i * 3) % 7 )) $(( (i * 5) % 11 + 1 )) >> "$d/tiny.csv"
done
expect 1 'lmm: the criterion cannot be evaluated at the optimum: the response is fitted exactly, or the fixed effects are not estimable' lmm 'y ~ x + z + (1 | g)' "$d/tiny.csv"
# deterministic output: the same command gives the same bytes (no wall-clock time in the JSON)
same_bytes() {   # same_bytes PROGRAM ARGS...
  local prog=$1; shift
  wanted "$prog" || return 0
  if "$BIN/$prog" "$@" > build/cli-run1.out 2>&1 && "$BIN/$prog" "$@" > build/cli-run2.out 2>&1 \
     && cmp -s build/cli-run1.out build/cli-run2.out; then
    echo "ok - deterministic_output: two runs of $prog $* give identical bytes"
  else echo "not ok - deterministic_output: two runs of $prog $* differ: $(diff build/cli-run1.out build/cli-run2.out | head -c 300)"; fi
}
same_bytes lmm --json 'Reaction ~ Days + (Days | Subject)' sleepstudy
same_bytes lmm --json --satterthwaite 'strength ~ 1 + (1 | batch/cask)' Pastes
same_bytes glmm --json 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
same_bytes glmm --json 'am ~ wt + hp' mtcars
same_bytes ols --json 'mpg ~ wt + hp' mtcars
same_bytes ols --json --boot 200 --seed 7 'mpg ~ wt + hp' mtcars

# ---------------------------------------------------------------------------------------------
# ols --boot: the warnings of R's boot.ci (chunks/boot.nw, "Warnings as boot.ci gives them"), each one
# line on standard error, the intervals still printed; R (boot 1.3, boot.ci with L = empinf(type =
# "jack")) gives for mpg ~ wt on mtcars: with R = 1 "extreme order statistics used as endpoints" for
# perc and basic and "estimated adjustment 'w' is infinite" for bca; with R = 5 and R = 39 the first
# for perc, basic and bca; with R = 40 the first for bca only.
# warns STATUS PROGRAM ARGS... -- 'line 1' 'line 2'...: exact lines on standard error, output when 0
warns() {
  local want_status=$1 prog=$2 args=() lines=() out status err want
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
  shift
  lines=("$@")
  wanted "$prog" || return 0
  want=$(printf '%s\n' "${lines[@]}")
  out=$("$BIN/$prog" "${args[@]}" 2> build/cli.err < /dev/null); status=$?
  err=$(cat build/cli.err)
  if [ "$status" = "$want_status" ] && [ "$err" = "$want" ] \
     && { [ "$status" != 0 ] || [ -n "$out" ]; }; then
    echo "ok - warns: $prog ${args[*]} => $status and ${#lines[@]} line(s): ${lines[0]}"
  else echo "not ok - warns: $prog ${args[*]}: expected $want_status and \"$want\"; got $status and \"$(head -c 800 build/cli.err)\""; fi
}
W='ols: warning: bootstrap:'
warns 0 ols --boot 1 --seed 1 'mpg ~ wt' mtcars -- \
  "$W extreme order statistics used as endpoints of the percentile, basic and studentized intervals (at level 0.95 they need 40 replicates or more; there were 1)" \
  "$W no BCa interval for (Intercept), wt: every replicate lies on one side of the estimate (R's boot.ci: estimated adjustment 'w' is infinite)"
warns 0 ols --boot 5 --seed 1 'mpg ~ wt' mtcars -- \
  "$W extreme order statistics used as endpoints of the percentile, basic and studentized intervals (at level 0.95 they need 40 replicates or more; there were 5)" \
  "$W extreme order statistics used as endpoints of the BCa intervals of (Intercept), wt (use more replicates)"
warns 0 ols --boot 39 --seed 1 'mpg ~ wt' mtcars -- \
  "$W extreme order statistics used as endpoints of the percentile, basic and studentized intervals (at level 0.95 they need 40 replicates or more; there were 39)" \
  "$W extreme order statistics used as endpoints of the BCa intervals of (Intercept), wt (use more replicates)"
warns 0 ols --boot 199 --seed 1 --level 0.99 'mpg ~ wt' mtcars -- \
  "$W extreme order statistics used as endpoints of the percentile, basic and studentized intervals (at level 0.99 they need 200 replicates or more; there were 199)" \
  "$W extreme order statistics used as endpoints of the BCa intervals of (Intercept), wt (use more replicates)"
warns 0 ols --boot 4 --seed 1 --level 0.5 --boot-type residual 'mpg ~ wt' mtcars -- \
  "$W extreme order statistics used as endpoints of the BCa intervals of (Intercept), wt (use more replicates)"
warns 0 ols --boot 2000 --seed 1 'mpg ~ wt' mtcars --
# replicates that lose rank leave a coefficient fewer than were drawn: the fewest is named
printf 'y,x\n1,1\n2,2\n' > "$d/boot-two.csv"
warns 0 ols --boot 50 --seed 1 'y ~ x' "$d/boot-two.csv" -- \
  "$W extreme order statistics used as endpoints of the percentile, basic and studentized intervals (at level 0.95 they need 40 replicates or more; there were 50, of which 24 estimate x)" \
  "$W no BCa interval for (Intercept), x: every replicate lies on one side of the estimate (R's boot.ci: estimated adjustment 'w' is infinite)"
# a constant response: R's boot.ci gives intervals of rounding noise; we say so
printf 'y,x\n3,1\n3,2\n3,3\n3,4\n3,5\n3,7\n' > "$d/boot-constant.csv"
warns 0 ols --boot 20 --seed 1 'y ~ x' "$d/boot-constant.csv" -- \
  "$W an essentially perfect fit, which every replicate fits exactly too: the intervals measure only rounding error" \
  "$W extreme order statistics used as endpoints of the percentile, basic and studentized intervals (at level 0.95 they need 40 replicates or more; there were 20)" \
  "$W extreme order statistics used as endpoints of the BCa intervals of (Intercept), x (use more replicates)" \
  "ols: warning: essentially perfect fit: summary may be unreliable"
# one row: R's boot.ci fails ("subscript out of bounds", "missing value where TRUE/FALSE needed")
printf 'y,x\n2,1\n' > "$d/boot-one.csv"
expect 2 'ols: --boot: the data have one row: every resample is that row, so there is nothing to resample' ols --boot 20 'y ~ x' "$d/boot-one.csv"
expect 2 'ols: --boot: the data have one row: every resample is that row, so there is nothing to resample' ols --boot 20 'y ~ 1' "$d/boot-one.csv"

# ---------------------------------------------------------------------------------------------
# All three: a gzip-compressed file is read as R's read.csv reads it, through gzip -dc (chunks/data.nw,
# "Compressed files"): the same fit as the embedded data set (apart from the data's name), and a
# truncated or corrupt file is one line naming it.
gzip -c data/mtcars.csv > "$d/mtcars.csv.gz"
gzip -c data/sleepstudy.csv > "$d/sleepstudy.csv.gz"
gzip -c data/cbpp.csv > "$d/cbpp.csv.gz"
head -c 300 "$d/mtcars.csv.gz" > "$d/truncated.csv.gz"
printf '\037\213xxxxxxxxxxxx' > "$d/badmethod.csv.gz"
gz_same() {   # gz_same PROGRAM FORMULA DATASET [OPTIONS...]: DATASET and its .gz give the same output
  local prog=$1 formula=$2 set=$3; shift 3
  wanted "$prog" || return 0
  "$BIN/$prog" "$@" "$formula" "$set" 2>&1 | grep -v -e 'Data: ' -e 'data = ' > build/cli-gz1.out
  "$BIN/$prog" "$@" "$formula" "$d/$set.csv.gz" 2>&1 | grep -v -e 'Data: ' -e 'data = ' > build/cli-gz2.out
  if [ -s build/cli-gz1.out ] && cmp -s build/cli-gz1.out build/cli-gz2.out; then
    echo "ok - gzip_same_fit: $prog $* '$formula' on $set and on $set.csv.gz agree"
  else echo "not ok - gzip_same_fit: $prog '$formula' on $set and $set.csv.gz differ: $(diff build/cli-gz1.out build/cli-gz2.out | head -c 300)"; fi
}
gz_same ols 'mpg ~ wt + hp' mtcars
gz_same ols 'mpg ~ wt' mtcars --json
gz_same lmm 'Reaction ~ Days + (Days | Subject)' sleepstudy
gz_same glmm 'cbind(incidence, size - incidence) ~ period + (1 | herd)' cbpp
expect 2 "ols: $d/truncated.csv.gz: a gzip-compressed file that cannot be decompressed: unexpected end of file" ols 'mpg ~ wt' "$d/truncated.csv.gz"
expect 2 "lmm: $d/truncated.csv.gz: a gzip-compressed file that cannot be decompressed: unexpected end of file" lmm 'mpg ~ wt + (1 | cyl)' "$d/truncated.csv.gz"
expect 2 "glmm: $d/truncated.csv.gz: a gzip-compressed file that cannot be decompressed: unexpected end of file" glmm 'am ~ wt' "$d/truncated.csv.gz"
expect 2 "ols: $d/badmethod.csv.gz: a gzip-compressed file that cannot be decompressed: unknown method 120 -- not supported" ols 'y ~ x' "$d/badmethod.csv.gz"
# the limit of --max-input counts the decompressed bytes (mtcars.csv is 1.8 kB, its .gz 0.9 kB)
expect 2 "ols: $d/mtcars.csv.gz: more than 0.0012 MB of input, the limit (is this a CSV file? raise the limit with --max-input MB)" ols --max-input 0.0012 'mpg ~ wt' "$d/mtcars.csv.gz"
# no gzip program on the PATH: the file is named, and why it cannot be read
if wanted ols; then
  out=$(PATH=/nonexistent "$BIN/ols" 'mpg ~ wt' "$d/mtcars.csv.gz" 2>&1 >/dev/null); st=$?
  if [ $st = 2 ] && [ "$out" = "ols: $d/mtcars.csv.gz: a gzip-compressed file that cannot be decompressed: cannot run gzip" ]; then
    echo "ok - gzip_missing: without gzip on the PATH, one line naming the file"
  else echo "not ok - gzip_missing: got $st and \"$out\""; fi
fi

# ---------------------------------------------------------------------------------------------
# All three: a standard output that cannot be written (a full disk) is an error with status 1 and one
# line, not a silent success.
# expect_full STATUS 'message' PROGRAM ARGS...
expect_full() {
  local want_status=$1 want_err=$2 prog=$3; shift 3
  local status
  wanted "$prog" || return 0
  [ -w /dev/full ] || { echo "not ok - $prog > /dev/full: this system has no /dev/full to test with"; return 0; }
  "$BIN/$prog" "$@" > /dev/full 2> build/cli.err < /dev/null; status=$?
  if [ "$status" = "$want_status" ] && [ "$(cat build/cli.err)" = "$want_err" ]; then
    echo "ok - $prog $* > /dev/full => $status: $want_err"
  else
    echo "not ok - $prog $* > /dev/full: expected status $want_status and \"$want_err\"; got $status and \"$(head -c 600 build/cli.err)\""
  fi
}
expect_full 1 'ols: cannot write the output' ols 'mpg ~ wt' mtcars
expect_full 1 'ols: cannot write the output' ols --json 'mpg ~ wt' mtcars
expect_full 1 'lmm: cannot write the output' lmm 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect_full 1 'lmm: cannot write the output' lmm --json 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect_full 1 'glmm: cannot write the output' glmm 'cbind(incidence, size - incidence) ~ period + (1 | herd)' cbpp
expect_full 1 'glmm: cannot write the output' glmm --json 'am ~ wt' mtcars
# outputs longer than standard output's buffer (4096 bytes), so that the first write fails before
# the final flush; and the files of --augment
expect_full 1 'ols: cannot write the output' ols --json --confint wald 'mpg ~ wt * hp * qsec * am' mtcars
expect_full 1 'lmm: cannot write the output' lmm --json --ranef 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect_full 1 'glmm: cannot write the output' glmm --json --ranef 'r2 ~ Anger + Gender + (1 | item)' VerbAgg
expect_full 1 'glmm: cannot write the output' glmm 'cbind(incidence, size - incidence) ~ period + (1 | herd)' cbpp --ranef
expect_full 1 'ols: cannot write the output' ols --help
expect_full 1 'lmm: cannot write the output' lmm --version
expect_full 1 'glmm: cannot write the output' glmm --help
expect 2 'ols: --augment: cannot write "/dev/full"' ols --augment /dev/full 'mpg ~ wt' mtcars
expect 2 'lmm: --augment: cannot write "/dev/full"' lmm --augment /dev/full 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect 2 'glmm: --augment: cannot write "/dev/full"' glmm --augment /dev/full 'cbind(incidence, size - incidence) ~ period + (1 | herd)' cbpp
expect 2 'glmm: --augment: cannot write "/dev/full"' glmm --augment /dev/full 'am ~ wt' mtcars

# ---------------------------------------------------------------------------------------------
# Inference and per-observation results (issue 12): --ranef, --compare, --augment, --predict,
# --nagq 0.  The reference values are tests/reference/*/infer_*.json (tests/reference/infer.R).
expect 2 'glmm: --ranef: the formula has no random-effects term such as (1 | g)' glmm --ranef 'am ~ wt' mtcars
expect_out 'Conditional standard deviations (condVar = TRUE):' lmm --ranef 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect_out 'Conditional standard deviations (condVar = TRUE):' glmm --ranef 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
# --compare: a smaller model that is not nested, uses other rows, another response, or is not smaller
expect 2 'ols: --compare: "mpg ~ wt + hp" is not nested in the model: its column hp is not a combination of the model'"'"'s columns' ols --compare 'mpg ~ wt + hp' 'mpg ~ wt' mtcars
expect 2 'ols: --compare: "mpg ~ qsec" is not nested in the model: its column qsec is not a combination of the model'"'"'s columns' ols --compare 'mpg ~ qsec' 'mpg ~ wt + hp' mtcars
expect 2 'ols: --compare: "y ~ 1" uses 5 rows of the data and the model 4 (missing values in a variable of one but not the other): the two models must be fitted to the same rows' ols --compare 'y ~ 1' 'y ~ x' "$d/onemissing.csv"
expect 2 'ols: --compare: "mpg ~ wt + hp" has 29 residual degrees of freedom and the model 29: the formula to compare with must be the smaller model' ols --compare 'mpg ~ wt + hp' 'mpg ~ hp + wt' mtcars
expect 2 'ols: --compare: formula "mpg ~ wt +": at character 11: expected a term after '"'"'+'"'"', found the end of the formula' ols --compare 'mpg ~ wt +' 'mpg ~ wt' mtcars
expect 2 'lmm: --compare: "y ~ x + (1 | subject)" uses 271 rows of the data and the model 268 (missing values in a variable of one but not the other): the two models must be fitted to the same rows' lmm --compare 'y ~ x + (1 | subject)' 'y ~ x + trt + (1 | subject)' tests/data/lmm/unbalanced.csv
expect 2 'lmm: --compare: "Reaction ~ Days + (1 | Days)" is not nested in the model: its random effects for Days are not among the model'"'"'s' lmm --compare 'Reaction ~ Days + (1 | Days)' 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect 2 'lmm: --compare: "Reaction ~ Days + (Days | Subject)" has 6 parameters and the model 6: the formula to compare with must be the smaller model' lmm --compare 'Reaction ~ Days + (Days | Subject)' 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect 2 'lmm: --compare: "log(Reaction) ~ Days + (1 | Subject)" has the response log(Reaction) and the model Reaction: the two models must have the same response' lmm --compare 'log(Reaction) ~ Days + (1 | Subject)' 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect 2 'lmm: --compare: expected a formula, found nothing' lmm 'Reaction ~ Days + (Days | Subject)' sleepstudy --compare
expect 2 'glmm: --compare: the likelihood-ratio test of glmm compares mixed models, and the formula has no random-effects term such as (1 | g)' glmm --compare 'am ~ 1' 'am ~ wt' mtcars
expect 2 'glmm: --compare: "cbind(incidence, size) ~ 1 + (1 | herd)" has the response cbind(incidence, size) and the model cbind(incidence, size - incidence): the two models must have the same response' glmm --compare 'cbind(incidence, size) ~ 1 + (1 | herd)' 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
expect_out '2     29 195.05  1    83.274 12.381 0.001451 **' ols --compare 'mpg ~ wt' 'mpg ~ wt + hp' mtcars
expect_out 'm1    6 1763.9 1783.1 -875.97   1751.9 42.139  2  7.072e-10 ***' lmm --compare 'Reaction ~ Days + (1 | Subject)' 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect_out 'm1    5 194.05 204.18  -92.026   184.05 25.61  3  1.151e-05 ***' glmm --compare 'cbind(incidence, size - incidence) ~ 1 + (1 | herd)' 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp

# ---------------------------------------------------------------------------------------------
# --confint (all programs), and the options that need --boot (issue 12 item 3, issue 15)
expect 2 'ols: --seed: only the bootstrap uses a seed (add --boot B)' ols --seed 3 'mpg ~ wt' mtcars
expect 2 'ols: --threads: only the bootstrap uses threads (add --boot B)' ols --threads 2 'mpg ~ wt' mtcars
expect 2 'ols: --confint boot: needs a bootstrap (add --boot B)' ols --confint boot 'mpg ~ wt' mtcars
expect 2 'ols: --confint: expected wald or boot, found "profile"' ols --confint profile 'mpg ~ wt' mtcars
expect 2 'lmm: --confint: expected wald, profile or boot, found "exact"' lmm --confint exact 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect 2 'lmm: --confint boot: needs a bootstrap (add --boot B)' lmm --confint boot 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect 2 'glmm: --confint boot: needs a bootstrap (add --boot B)' glmm --confint boot 'cbind(incidence, size - incidence) ~ period + (1 | herd)' cbpp
expect_out '"confint_method": "wald",' ols --confint wald --json 'mpg ~ wt' mtcars
ERR='extreme order statistics used as endpoints of the BCa intervals' expect_out 'Bootstrap percentile intervals (--confint boot):' ols --confint boot --boot 100 --seed 1 'mpg ~ wt' mtcars
expect_out '(Intercept)                  240.179709 262.63050' lmm --confint wald --level 0.9 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect_out '(Intercept)         -1.5285588 -0.3361563' glmm --confint wald 'cbind(incidence, size - incidence) ~ period + (1 | herd)' cbpp
expect_out '{"parameter": "period", "low": -0.887070847' glmm --confint wald --json 'cbind(incidence, size - incidence) ~ period' cbpp
# --confint profile (issue 12 item 2): bad uses, then lme4's confint(method = "profile") to 1e-3
# relative (tests/reference/profile.R)
expect 2 'lmm: --level: expected a number in (0, 1), found "1.5"' lmm --confint profile --level 1.5 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect 2 'lmm: --confint: expected wald, profile or boot, found "profiles"' lmm --confint profiles 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect 2 'lmm: --confint: expected wald, profile or boot, found nothing' lmm 'Reaction ~ Days + (Days | Subject)' sleepstudy --confint
expect_out 'cor_Days.(Intercept)|Subject  -0.4814926   0.685019' lmm --quiet --confint profile --boot 20 --seed 1 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect_out 'sd_(Intercept)|Batch 0.000000 2.084048' lmm --confint profile 'Yield ~ 1 + (1 | Batch)' Dyestuff2
expect_out 'sd_Days|Subject          3.964078   8.76916' lmm --confint profile 'Reaction ~ Days + (Days || Subject)' sleepstudy
expect 2 'glmm: --nagq 0: the fit has no deviance of the fixed effects to profile; profile intervals need 1 or more nodes' glmm --nagq 0 --confint profile 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
expect 2 'glmm: --confint profile: a logistic regression has Wald intervals only (--confint wald)' glmm --confint profile 'cbind(incidence, size - incidence) ~ factor(period)' cbpp
expect 2 'glmm: --confint: expected wald, profile or boot, found "Profile"' glmm --confint Profile 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
ERR='9 of the 316 levels of "id"' expect_out '{"parameter": "sd_(Intercept)|id", "low": 0.955756668' glmm --confint profile --json 'r2 ~ Anger + Gender + (1 | id)' VerbAgg
for ref in tests/reference/profile/*.tsv; do
  case $(basename "$ref") in timing.tsv) continue;; esac
  hdr=$(head -1 "$ref" | sed 's/^# //')
  fml=$(cut -f1 <<< "$hdr"); dat=$(cut -f2 <<< "$hdr"); prog=$(cut -f3 <<< "$hdr"); opts=$(cut -f4 <<< "$hdr")
  wanted "$prog" || continue
  # shellcheck disable=SC2086
  out=$("$BIN/$prog" --json --quiet --confint profile $opts "$fml" "$dat" 2> build/cli.err | grep '"parameter"' \
        | sed 's/.*"parameter": "\([^"]*\)", "low": \([^,]*\), "high": \([^}]*\)}.*/\1\t\2\t\3/')
  bad=$(awk -F'\t' 'NR == FNR { if (FNR > 2) { lo[$1] = $2; hi[$1] = $3; n++ } next }
    { seen++; split($2 " " $3, v, " "); split(lo[$1] " " hi[$1], w, " ")
      for (k = 1; k <= 2; k++) { d = v[k] - w[k]; if (d < 0) d = -d; a = w[k] < 0 ? -w[k] : w[k]
        if (!(d <= 1e-3 * a + 1e-8)) print $1 " end " k ": " v[k] " vs R " w[k] } }
    END { if (seen != n) print "parameters: " seen " vs R " n }' "$ref" - <<< "$out")
  if [ -n "$out" ] && [ -z "$bad" ]; then echo "ok - $prog --confint profile agrees with lme4's confint(method = \"profile\") to 1e-3: $(basename "$ref" .tsv)"
  else echo "not ok - $prog --confint profile vs lme4, $(basename "$ref" .tsv): $(tr '\n' ';' <<< "$bad")"; fi
done
if wanted lmm; then
w=$("$BIN/lmm" --confint wald 'Reaction ~ Days + (Days | Subject)' sleepstudy 2> build/cli.err | tail -7)
wj=$("$BIN/lmm" --json --confint wald 'Reaction ~ Days + (Days | Subject)' sleepstudy 2> build/cli.err | tr -d '\n ')
if grep -q '^sd_(Intercept)|Subject  *NA  *NA$' <<< "$w" && grep -q '^cor_Days.(Intercept)|Subject  *NA  *NA$' <<< "$w" \
   && grep -q '^Days  *7\.4375[0-9]*  *13\.49698$' <<< "$w" && grep -q '"confint_method":"wald"' <<< "$wj" \
   && grep -q '{"parameter":"sigma","low":null,"high":null}' <<< "$wj"; then
  echo "ok - lmm --confint wald prints and writes lme4's rows, NA for the variance parameters"
else echo "not ok - lmm --confint wald: $(tr '\n' '|' <<< "$w")"; fi
fi

# ---------------------------------------------------------------------------------------------
# Resources (issue 15): a 2-million-row CSV is read and fitted, and a factor of a million levels is
# refused with a message, each within 2 GB of peak memory (the maximum resident set size that
# build/tool-peakmem, of the harness chapter, reports).  The files are generated here, never
# committed; only the plain build is measured (the sanitizers' shadow memory would be counted too).
# within_2gb NAME STATUS PROGRAM ARGS...: the exit status is STATUS and the peak memory under 2 GB.
within_2gb() {
  local name=$1 want=$2 prog=$3; shift 3
  wanted "$prog" || return 0
  local status kb
  build/tool-peakmem "$BIN/$prog" "$@" > /dev/null 2> "build/cli-$name.peak"; status=$?
  kb=$(sed -n 's/^peak resident set: \([0-9]*\) kB$/\1/p' "build/cli-$name.peak")
  if [ "$status" = "$want" ] && [ -n "$kb" ] && [ "$kb" -lt 2097152 ]; then
    echo "ok - $name: $prog => $status within 2 GB (peak $((kb / 1024)) MB)"
  else
    echo "not ok - $name: $prog $*: status $status (wanted $want), peak ${kb:-unknown} kB: $(grep -v '^peak resident set' "build/cli-$name.peak" | head -c 300)"
  fi
}
if [ "$BIN" = bin ] && [ ! -x build/tool-peakmem ]; then
  echo "not ok - build/tool-peakmem, which measures the programs' peak memory, was not built"
elif [ "$BIN" = bin ]; then
  awk 'BEGIN { print "y,x,g"; for (i = 0; i < 2000000; i++) printf "%d.%d,%d,g%d\n", i % 97, i % 7, i % 13, i % 5 }' > "$d/rows-2e6.csv"
  awk 'BEGIN { print "y,g"; for (i = 0; i < 1000000; i++) printf "%d,L%d\n", i % 97, i }' > "$d/levels-1e6.csv"
  within_2gb resources-2-million-rows-ols 0 ols 'y ~ x + g' "$d/rows-2e6.csv"
  within_2gb resources-2-million-rows-lmm 0 lmm 'y ~ x + (1 | g)' "$d/rows-2e6.csv"
  within_2gb resources-million-levels-ols 2 ols 'y ~ g' "$d/levels-1e6.csv"
  within_2gb resources-million-levels-lmm 1 lmm 'y ~ 1 + (1 | g)' "$d/levels-1e6.csv"
  rm -f "$d/rows-2e6.csv" "$d/levels-1e6.csv"
  # endless standard input stops at --max-input, with a message naming it
  if wanted ols; then
    err=$(yes 1,2 | "$BIN/ols" --max-input 1 'y ~ x' - 2>&1 >/dev/null); status=$?
    if [ "$status" = 2 ] && [ "$err" = 'ols: stdin: more than 1 MB of input, the limit (is this a CSV file? raise the limit with --max-input MB)' ]; then
      echo "ok - resources-endless-stdin: ols stops at --max-input"
    else echo "not ok - resources-endless-stdin: status $status: $err"; fi
  fi
fi
ERR='glmm: warning: 2 of the 60 levels of "g" (s10, s14) have only successes' expect_out 'Gauss-Hermite Quadrature, nAGQ = 0) [glmerMod]' glmm --nagq 0 'y ~ x + (x | g)' tests/data/glmm/slope.csv
# --augment and --predict: the CSV files against R's (tests/reference/infer/csv.tsv); a number
# agrees when |ours - R's| <= tolerance * max(|R's|, 1), a word when it is the same word.
csv_matches() {   # csv_matches CASE OURS REF TOL
  awk -F, -v tol="$4" -v ref="$3" '
    function num(s) { return s ~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/ }
    { if ((getline r < ref) <= 0) { print "not ok - '"$1"': ours has more lines than R'"'"'s"; bad = 1; exit 1 }
      n = split($0, o, ","); m = split(r, x, ",")
      if (n != m) { print "not ok - '"$1"': line " NR ": " n " fields, R " m; bad = 1; exit 1 }
      for (i = 1; i <= n; i++) {
        if (num(o[i]) && num(x[i])) {
          d = o[i] - x[i]; d = d < 0 ? -d : d; s = x[i] < 0 ? -x[i] : x[i]; s = s < 1 ? 1 : s
          if (d > tol * s) { print "not ok - '"$1"': line " NR " field " i ": ours " o[i] ", R " x[i]; bad = 1; exit 1 }
          if (d / s > worst) worst = d / s
        } else if (o[i] != x[i]) { print "not ok - '"$1"': line " NR " field " i ": ours \"" o[i] "\", R \"" x[i] "\""; bad = 1; exit 1 }
      } }
    END { if (!bad) { if ((getline r < ref) > 0) print "not ok - '"$1"': R'"'"'s file has more lines"
                      else printf "ok - %s: %d lines agree with R, largest difference %.2g (tolerance %s)\n", "'"$1"'", NR, worst, tol } }' "$2"
}
mkdir -p build/out/infer
while IFS=$'\t' read -r name prog formula data tol options; do
  case "$name" in ""|"#"*) continue ;; esac
  wanted "$prog" || continue
  out="build/out/infer/$name.csv"
  rm -f "$out"
  eval "opts=($options)"
  case "$options" in --predict*) how=--out ;; *) how=--augment ;; esac
  if "$BIN/$prog" "${opts[@]}" $how "$out" "$formula" "$data" > /dev/null 2> build/cli.err; then
    csv_matches "$name" "$out" "tests/reference/infer/$name.csv" "$tol"
  else echo "not ok - $name: $prog failed: $(head -c 300 build/cli.err)"; fi
done < <(cat tests/reference/infer/csv*.tsv)
expect 2 'ols: --augment: cannot open "build/cli-data" for writing: Is a directory' ols --augment build/cli-data 'mpg ~ wt' mtcars
expect 2 'lmm: --augment: expected a file name, found nothing' lmm 'Reaction ~ Days + (1 | Subject)' sleepstudy --augment

# lmm --boot: the parametric bootstrap (issue 12 item 3; the lmm chapter's section on it)
expect 2 'lmm: --boot: expected an integer from 1 to 100000000, found "0"' lmm --boot 0 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect 2 'lmm: --boot: expected an integer from 1 to 100000000, found "-3"' lmm --boot -3 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect 2 'lmm: --seed: only the bootstrap uses a seed (add --boot B)' lmm --seed 1 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect 2 'lmm: --threads: only the bootstrap uses threads (add --boot B)' lmm --threads 2 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect 2 'lmm: --threads: expected an integer from 1 to 1024, found "0"' lmm --boot 10 --threads 0 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect_out 'Parametric bootstrap: 20 replicates, seed 2 (--boot 20 --seed 2); 0 failed, 0 singular' lmm --boot 20 --seed 2 --confint boot 'Reaction ~ Days + (Days | Subject)' sleepstudy
expect_out '{"parameter": "sd_(Intercept)|plate", "estimate": 0.84557213' lmm --boot 20 --seed 2 --ml --json 'diameter ~ 1 + (1 | plate) + (1 | sample)' Penicillin
if wanted lmm; then
pb_json() { "$BIN/lmm" --json --quiet --boot 200 "$@" 'Reaction ~ Days + (Days | Subject)' sleepstudy 2> build/cli.err | sed -n '/"bootstrap"/,$p'; }
p1=$(pb_json --seed 5 --threads 1); p3=$(pb_json --seed 5 --threads 3); p6=$(pb_json --seed 6 --threads 3)
if [ -n "$p1" ] && [ "$p1" = "$p3" ] && [ "$p1" != "$p6" ] && grep -q '"replicates": 200,' <<< "$p1" \
   && grep -q '"seed": 5,' <<< "$p1" && grep -q '"failed": 0,' <<< "$p1" \
   && [ "$(grep -c '"percentile": \[' <<< "$p1")" = 6 ]; then
  echo "ok - lmm --boot: seed 5 gives identical replicates with 1 and 3 threads, seed 6 others; six parameters"
else echo "not ok - lmm --boot: thread count or seed changes the result, or a field is missing: $(head -c 300 <<< "$p1")"; fi
fi
# against lme4::bootMer + boot.ci (tests/reference/pboot.R), within the Monte Carlo tolerance of the book
for ref in tests/reference/pboot/*.tsv tests/reference/pboot-glmm/*.tsv; do
  [ -f "$ref" ] || { echo "not ok - no reference file $ref"; continue; }
  prog=lmm etol=1e-4; case $ref in *pboot-glmm*) prog=glmm etol=1e-3;; esac
  wanted "$prog" || continue
  fml=$(head -1 "$ref" | cut -f1 | sed 's/^# //'); dat=$(head -1 "$ref" | cut -f2)
  out=$("$BIN/$prog" --json --quiet --boot 1000 --seed 1 "$fml" "$dat" 2> build/cli.err | sed -n '/"intervals"/,$p' \
        | grep '"parameter"' | sed 's/.*"parameter": "\([^"]*\)", "estimate": \([^,]*\), "percentile": \[\([^,]*\), \([^]]*\)\], "basic": \[\([^,]*\), \([^]]*\)\].*/\1\t\2\t\3\t\4\t\5\t\6/')
  bad=$(awk -F'\t' -v etol="$etol" 'NR == FNR { if (FNR > 2) { e[$1] = $2; pl[$1] = $3; ph[$1] = $4; bl[$1] = $5; bh[$1] = $6; tl[$1] = $7; th[$1] = $8; n++ } next }
    { seen++; d = $2 - e[$1]; if (d < 0) d = -d; if (d > etol * (1 + (e[$1] < 0 ? -e[$1] : e[$1]))) print $1 " estimate " $2 " vs " e[$1]
      split($3 " " $5 " " $4 " " $6, v, " "); split(pl[$1] " " bl[$1] " " ph[$1] " " bh[$1], w, " "); split(tl[$1] " " th[$1] " " th[$1] " " tl[$1], t, " ")
      for (k = 1; k <= 4; k++) { d = v[k] - w[k]; if (d < 0) d = -d; if (d > t[k] + 1e-4 * (1 + (w[k] < 0 ? -w[k] : w[k]))) print $1 " end " k ": " v[k] " vs R " w[k] " (tolerance " t[k] ")" } }
    END { if (seen != n) print "parameters: " seen " vs R " n }' "$ref" - <<< "$out")
  if [ -n "$out" ] && [ -z "$bad" ]; then echo "ok - $prog --boot 1000 agrees with bootMer + boot.ci within Monte Carlo error: $(basename "$ref" .tsv)"
  else echo "not ok - $prog --boot 1000 vs bootMer, $(basename "$ref" .tsv): $(tr '\n' ';' <<< "$bad")"; fi
done

# glmm --boot
expect 2 'glmm: --boot: expected an integer from 1 to 100000000, found "0"' glmm --boot 0 'cbind(incidence, size - incidence) ~ period + (1 | herd)' cbpp
expect 2 'glmm: --seed: only the bootstrap uses a seed (add --boot B)' glmm --seed 4 'cbind(incidence, size - incidence) ~ period + (1 | herd)' cbpp
expect 2 'glmm: --boot: the parametric bootstrap simulates random effects, and the formula has no random-effects term such as (1 | g)' glmm --boot 10 'cbind(incidence, size - incidence) ~ period' cbpp
expect_out 'Parametric bootstrap: 20 replicates, seed 3 (--boot 20 --seed 3); 0 failed, 0 singular' glmm --boot 20 --seed 3 --confint boot 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
if wanted glmm; then
gb_json() { "$BIN/glmm" --json --quiet --boot 100 "$@" 'cbind(incidence, size - incidence) ~ period + (1 | herd)' cbpp 2> build/cli.err | sed -n '/"bootstrap"/,$p'; }
g1=$(gb_json --seed 5 --threads 1); g3=$(gb_json --seed 5 --threads 3)
if [ -n "$g1" ] && [ "$g1" = "$g3" ] && [ "$(grep -c '"percentile": \[' <<< "$g1")" = 3 ]; then
  echo "ok - glmm --boot: seed 5 gives identical replicates with 1 and 3 threads; three parameters"
else echo "not ok - glmm --boot: the thread count changes the result, or a field is missing: $(head -c 300 <<< "$g1")"; fi
fi
# --boot-ci: which bootstrap intervals --confint boot prints; BCa is refused for the parametric bootstrap
expect 2 "lmm: --boot-ci bca: BCa intervals need empirical influence values, which a parametric bootstrap does not have (R's boot.ci refuses them for bootMer too); use percentile or basic" lmm --boot 20 --confint boot --boot-ci bca 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect 2 "glmm: --boot-ci bca: BCa intervals need empirical influence values, which a parametric bootstrap does not have (R's boot.ci refuses them for bootMer too); use percentile or basic" glmm --boot-ci bca 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
expect 2 'lmm: --boot-ci: chooses the intervals of --confint boot (add --confint boot)' lmm --boot 20 --boot-ci basic 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect 2 'lmm: --boot-ci: expected percentile, basic or bca, found "norm"' lmm --boot 20 --confint boot --boot-ci norm 'Reaction ~ Days + (1 | Subject)' sleepstudy
if wanted lmm; then
  bc=$("$BIN/lmm" --json --quiet --boot 50 --seed 2 --confint boot --boot-ci basic 'Reaction ~ Days + (1 | Subject)' sleepstudy 2> build/cli.err)
  lo=$(grep -o '"basic": \[[^,]*' <<< "$bc" | head -1 | sed 's/.*\[//'); cl=$(grep -o '"low": [^,]*' <<< "$bc" | head -1 | sed 's/.*: //')
  if [ -n "$lo" ] && [ "$lo" = "$cl" ]; then echo "ok - lmm --boot-ci basic: --confint boot gives the basic intervals"
  else echo "not ok - lmm --boot-ci basic: confint low $cl, basic low $lo"; fi
fi

expect 2 'glmm: --boot: the parametric bootstrap simulates binomial responses with the logit link only, not the poisson family with the log link' glmm --family poisson --boot 10 'TICKS ~ YEAR + (1 | BROOD)' grouseticks
expect 2 'glmm: --boot: the parametric bootstrap simulates binomial responses with the logit link only, not the binomial family with the probit link' glmm --link probit --boot 10 --compare 'cbind(incidence, size - incidence) ~ factor(period)' 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
# --compare with --boot: the parametric bootstrap of the likelihood ratio, against the simulation with lme4
# (tests/reference/pboot-lrt.R) within the Monte Carlo tolerance (eq. lmm-pboot-lrt-tol); and the
# thread count does not change it
if [ -f tests/reference/pboot-lrt/lrt.tsv ]; then
  while IFS=$'\t' read -r name prog f0 f1 dat B stat exceed used p tol secs; do
    [ "$name" = name ] && continue
    wanted "$prog" || continue
    out=$("$BIN/$prog" --json --quiet --boot "$B" --seed 1 --compare "$f0" "$f1" "$dat" 2> build/cli.err | sed -n '/"compare"/,/^  }/p')
    ours=$(grep -o '"p_value": [^,}]*' <<< "$out" | sed -n 2p | sed 's/.*: //')
    st=$(grep -o '"statistic": [^,]*' <<< "$out" | sed 's/.*: //')
    if [ -n "$ours" ] && awk -v a="$ours" -v b="$p" -v t="$tol" -v s="$st" -v r="$stat" \
         'BEGIN { d = a - b; if (d < 0) d = -d; e = s - r; if (e < 0) e = -e; exit !(d <= t && e <= 1e-3 * (1 + r)) }'; then
      echo "ok - $prog --compare --boot $B: bootstrap p-value $ours, R's simulation $p (tolerance $tol): $name"
    else echo "not ok - $prog --compare --boot $B, $name: p-value ${ours:-none} vs R $p (tolerance $tol), statistic ${st:-none} vs $stat"; fi
  done < tests/reference/pboot-lrt/lrt.tsv
else echo "not ok - tests/reference/pboot-lrt/lrt.tsv is missing"; fi
if wanted lmm; then
  lr() { "$BIN/lmm" --json --quiet --boot 60 --seed 3 "$@" --compare 'strength ~ 1 + (1 | batch:cask)' 'strength ~ 1 + (1 | batch) + (1 | batch:cask)' Pastes 2> build/cli.err | sed -n '/"compare"/,/^  }/p'; }
  l1=$(lr --threads 1); l3=$(lr --threads 3)
  if [ -n "$l1" ] && [ "$l1" = "$l3" ] && grep -q '"replicates": 60,' <<< "$l1" && grep -q '"exceed": ' <<< "$l1"; then
    echo "ok - lmm --compare --boot: the same bootstrap of the likelihood ratio with 1 and 3 threads"
  else echo "not ok - lmm --compare --boot: the thread count changes the test, or a field is missing: $(tr '\n' ' ' <<< "$l1" | head -c 300)"; fi
fi

if wanted glmm; then
  gl() { "$BIN/glmm" --json --quiet --boot 30 --seed 3 "$@" --compare 'cbind(incidence, size - incidence) ~ factor(period)' 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp 2> build/cli.err | sed -n '/"compare"/,/^  }/p'; }
  g1=$(gl --threads 1); g3=$(gl --threads 3)
  if [ -n "$g1" ] && [ "$g1" = "$g3" ] && grep -q '"replicates": 30,' <<< "$g1" && grep -q '"df0": 4,' <<< "$g1"; then
    echo "ok - glmm --compare --boot against a logistic regression: the same test with 1 and 3 threads"
  else echo "not ok - glmm --compare --boot against a logistic regression: $(tr '\n' ' ' <<< "$g1" | head -c 300)"; fi
fi

# ols --boot: progress on standard error after two seconds, only on a terminal, never with --quiet or --json
# (script(1) gives the program a terminal; the plain build only, since the run must last a few seconds)
if wanted ols && [ "$BIN" = bin ] && ! command -v script > /dev/null 2>&1; then
  echo "not ok - script(1) (util-linux), which gives the programs a terminal, is not installed"
elif wanted ols && [ "$BIN" = bin ]; then
  pr=$(script -qc "$BIN/ols --boot 2000000 --seed 1 --threads 1 'mpg ~ wt' mtcars > /dev/null" /dev/null < /dev/null | tr '\r' '\n')
  if grep -q '^ols: bootstrap [0-9]*/2000000$' <<< "$pr" && grep -q '^ols: bootstrap 2000000/2000000$' <<< "$pr"; then
    echo "ok - ols --boot: progress lines on a terminal, ended at 2000000/2000000"
  else echo "not ok - ols --boot: no progress on a terminal: $(tail -c 200 <<< "$pr")"; fi
  pq=$(script -qc "$BIN/ols --quiet --boot 2000000 --seed 1 --threads 1 'mpg ~ wt' mtcars > /dev/null" /dev/null < /dev/null | tr '\r' '\n')
  if ! grep -q 'bootstrap' <<< "$pq"; then echo "ok - ols --boot --quiet: no progress lines"
  else echo "not ok - ols --boot --quiet: progress lines: $(tail -c 200 <<< "$pq")"; fi
  if wanted lmm; then
    ps=$(script -qc "$BIN/lmm --boot 20 --seed 1 'Reaction ~ Days + (Days | Subject)' sleepstudy > /dev/null" /dev/null < /dev/null | tr '\r' '\n')
    if ! grep -q 'bootstrap' <<< "$ps"; then echo "ok - lmm --boot 20: a run shorter than two seconds writes no progress lines"
    else echo "not ok - lmm --boot 20: progress lines in a short run: $(tail -c 200 <<< "$ps")"; fi
    pl=$(script -qc "$BIN/lmm --boot 20000 --threads 1 --seed 1 'Reaction ~ Days + (Days | Subject)' sleepstudy > /dev/null" /dev/null < /dev/null | tr '\r' '\n')
    if grep -q '^lmm: bootstrap [0-9]*/20000$' <<< "$pl" && grep -q '^lmm: bootstrap 20000/20000$' <<< "$pl"; then
      echo "ok - lmm --boot 20000: progress lines on a terminal once two seconds of work are done"
    else echo "not ok - lmm --boot 20000: no progress on a terminal: $(tail -c 200 <<< "$pl")"; fi
  fi
fi
# --predict: bad NEWDATA and option combinations
printf 'wt\n2.5\n' > "$d/pred-nocyl.csv"
printf 'wt,cyl\n2.5,12\n' > "$d/pred-newlevel.csv"
printf 'wt,cyl\nheavy,4\n' > "$d/pred-text.csv"
expect 2 'ols: --predict: build/cli-data/pred-nocyl.csv: no column "cyl", which the formula uses' ols --predict "$d/pred-nocyl.csv" --out build/out/infer/x.csv 'mpg ~ wt + factor(cyl)' mtcars
expect 2 'ols: --predict: build/cli-data/pred-newlevel.csv: the new data give the fixed effects a column factor(cyl)12 that the fitted model does not have (a level of a factor that the data do not have)' ols --predict "$d/pred-newlevel.csv" --out build/out/infer/x.csv 'mpg ~ wt + factor(cyl)' mtcars
expect 2 'ols: --predict: the formula uses poly() or scale(), whose columns are computed from the data: predictions for new data with them are not made' ols --predict "$d/pred-nocyl.csv" --out build/out/infer/x.csv 'mpg ~ poly(wt, 2)' mtcars
expect 2 'lmm: --predict: the formula uses poly() or scale(), whose columns are computed from the data: predictions for new data with them are not made' lmm --predict "$d/pred-nocyl.csv" --out build/out/infer/x.csv 'Reaction ~ scale(Days) + (1 | Subject)' sleepstudy
expect 2 'ols: --predict: build/cli-data/pred-text.csv:2: column "wt": expected a number, found "heavy"' ols --predict "$d/pred-text.csv" --out build/out/infer/x.csv 'mpg ~ wt + factor(cyl)' mtcars
expect 2 'ols: --predict: needs --out FILE, the file to write the predictions to' ols --predict "$d/pred-text.csv" 'mpg ~ wt' mtcars
expect 2 'lmm: --out: goes with --predict NEWDATA' lmm --out build/out/infer/x.csv 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect 2 'lmm: --predict: build/cli-data/nonexistent.csv: cannot open: No such file or directory' lmm --predict "$d/nonexistent.csv" --out build/out/infer/x.csv 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect 2 'lmm: --predict: build/cli-data/pred-nocyl.csv: no column "Days", which the formula uses' lmm --predict "$d/pred-nocyl.csv" --out build/out/infer/x.csv 'Reaction ~ Days + (1 | Subject)' sleepstudy
expect 2 'glmm: --predict: glmm predicts for mixed models, and the formula has no random-effects term such as (1 | g)' glmm --predict "$d/pred-nocyl.csv" --out build/out/infer/x.csv 'am ~ wt' mtcars

# ---------------------------------------------------------------------------------------------
# Out of memory: exit status 3 and one line (chunks/data.nw, Section sec:errors).  A 32 MB file read
# with the address space limited to 200 MB; not under the sanitizers, whose shadow memory needs more
# address space than any such limit leaves.  One BLAS thread, whose buffers fit in the limit.
if [ "$BIN" = bin ]; then
  awk 'BEGIN { print "y,x"; for (i = 0; i < 4000000; i++) print "1.5,2.5" }' > "$d/nomem.csv"
  ( if ulimit -v 200000; then
      export OPENBLAS_NUM_THREADS=1
      expect 3 'ols: out of memory' ols 'y ~ x' "$d/nomem.csv"
      expect 3 'lmm: out of memory' lmm 'y ~ x + (1 | x)' "$d/nomem.csv"
      expect 3 'glmm: out of memory' glmm 'y ~ x + (1 | x)' "$d/nomem.csv"
    else echo "not ok - ulimit -v cannot limit the address space to test running out of memory"; fi )
  rm -f "$d/nomem.csv"
fi
