# tests/bench.d/profile.sh -- profile-likelihood intervals (--confint profile) of bin/lmm and bin/glmm
# against lme4's confint(method = "profile") (sourced by tests/bench, from the root of the repository,
# with have_r defined).  Ours end to end (fit, ML refit, profile, JSON), the best of 3 runs; R's
# confint call alone (the fit excluded), the best of 3.  The ratio is R's time over ours.
pf_now() { date +%s.%N; }
pf_bench() {   # pf_bench PROGRAM NAME FORMULA DATA
  local prog=$1 name=$2 formula=$3 data=$4 t0 t1 best=1e9 t r fit
  fit="lmer($formula, d)"; [ "$prog" = glmm ] && fit="glmer($formula, d, family = binomial)"
  echo "== $prog --confint profile: $name: $formula"
  for run in 1 2 3; do
    t0=$(pf_now); bin/$prog --json --quiet --confint profile "$formula" "$data" > build/bench/profile-$name.json || return
    t1=$(pf_now); t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    best=$(awk -v t="$t" -v b="$best" 'BEGIN { print (t < b ? t : b) }')
  done
  printf "   bin/$prog: %.3f s\n" "$best"
  if have_r; then
    r=$(Rscript -e "suppressMessages(library(lme4)); d <- read.csv('data/$data.csv', stringsAsFactors = TRUE)
      m <- $fit
      cat(min(replicate(3, system.time(suppressWarnings(confint(m, method = 'profile', quiet = TRUE)))[['elapsed']])))" 2>/dev/null)
    printf "   lme4 confint(method = \"profile\"): %.3f s; ratio %.0fx\n" "$r" "$(awk -v r="$r" -v b="$best" 'BEGIN { print r / b }')"
  fi
}
pf_bench lmm sleepstudy 'Reaction ~ Days + (Days | Subject)' sleepstudy
pf_bench lmm penicillin 'diameter ~ 1 + (1 | plate) + (1 | sample)' Penicillin
pf_bench lmm pastes 'strength ~ 1 + (1 | batch/cask)' Pastes
pf_bench glmm cbpp 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp
