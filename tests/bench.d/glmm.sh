# tests/bench.d/glmm.sh -- the logistic mixed model benchmarks (sourced by tests/bench, from the
# root of the repository, with have_r defined).  Two designs:
#   - lme4's VerbAgg (data/VerbAgg.csv, 7584 binary responses of 316 persons to 24 items, crossed),
#     r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item), the Laplace approximation;
#   - a simulated design of 100000 binary responses in 2000 groups with two covariates,
#     y ~ x1 + x2 + (1 | g), the Laplace approximation.
# bin/glmm runs end to end (reading the CSV file, both stages of the fit, the Hessian, printing JSON);
# Rscript runs glmer (default settings) on the same file, timed end to end (start-up, loading lme4,
# read.csv, glmer) and for the glmer call alone.  The ratios are R's time over ours; the deviances
# (-2 log-likelihood) are printed side by side: ours must not be higher.

glmm_now() { date +%s.%N; }
glmm_field() { grep -o "\"$1\": [-0-9.e+]*" "$2" | head -1 | sed 's/.*: //'; }

glmm_bench() {   # glmm_bench NAME FORMULA FILE
  local name=$1 formula=$2 file=$3 out=build/bench/glmm-$1.json t0 t1 ours best=
  echo "== glmm: $name: $formula  ($(($(wc -l < "$file") - 1)) rows)"
  for run in 1 2 3; do
    t0=$(glmm_now)
    bin/glmm --json "$formula" "$file" > "$out" 2> /dev/null || { echo "   bin/glmm failed"; return; }
    t1=$(glmm_now)
    ours=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$ours < $best" | bc -l)" = 1 ]; then best=$ours; fi
    printf "   bin/glmm: %.3f s end to end; %d evaluations of the deviance; deviance %s\n" \
      "$ours" "$(glmm_field evaluations "$out")" "$(glmm_field deviance "$out")"
  done
  if have_r; then
    t0=$(glmm_now)
    local r total fit dev
    r=$(Rscript -e "suppressMessages(library(lme4)); d <- read.csv('$file', stringsAsFactors = TRUE);
      t <- system.time(m <- glmer($formula, d, family = binomial));
      cat(sprintf('%.3f %.10f\n', t[['elapsed']], -2 * as.numeric(logLik(m))))" 2>/dev/null)
    t1=$(glmm_now)
    total=$(echo "$t1 - $t0" | bc -l)
    read -r fit dev <<< "$r"
    printf "   Rscript glmer: %.3f s end to end, %.3f s in glmer(); deviance %s\n" "$total" "$fit" "$dev"
    printf "   ratio R / ours (best of 3): %.1f end to end, %.1f glmer() alone against all of bin/glmm\n" \
      "$(echo "$total / $best" | bc -l)" "$(echo "$fit / $best" | bc -l)"
  fi
}

glmm_bench VerbAgg 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)' data/VerbAgg.csv

glmm_sim=build/bench/glmm-sim100k.csv
if [ ! -s "$glmm_sim" ]; then
  awk 'BEGIN { srand(20240615); G = 2000; n = 100000; pi = atan2(0, -1);
         for (j = 1; j <= G; j++) b[j] = 0.8 * sqrt(-2 * log(1 - rand())) * cos(2 * pi * rand());
         print "y,x1,x2,g";
         for (i = 1; i <= n; i++) {
           j = int((i - 1) * G / n) + 1;
           x1 = sqrt(-2 * log(1 - rand())) * cos(2 * pi * rand()); x2 = rand();
           p = 1 / (1 + exp(-(-0.5 + 0.7 * x1 - 1.2 * x2 + b[j])));
           printf "%d,%.6g,%.6g,g%04d\n", (rand() < p), x1, x2, j } }' > "$glmm_sim"
fi
glmm_bench simulated 'y ~ x1 + x2 + (1 | g)' "$glmm_sim"
