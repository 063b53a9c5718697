# tests/bench.d/boot.sh -- sourced by tests/bench: a pairs bootstrap of lm(mpg ~ wt + hp, mtcars) with
# 10 000 replicates: boot_run alone at 1 and 2 threads (replicates per second), bin/ols end to end, and
# R's boot() with lm() on the same problem, with the ratio.
echo "== bootstrap: 10000 pairs replicates of mpg ~ wt + hp on mtcars"
TIMEFORMAT=%R
for threads in 1 2; do
  for run in 1 2 3; do build/tool-bootbench 'mpg ~ wt + hp' mtcars 10000 $threads; done | sort -k8,8n | tail -1 | sed 's/^/   best of 3: /'
done
bootbest=
for run in 1 2 3; do
  t=$( { time bin/ols --boot 10000 --seed 1 'mpg ~ wt + hp' mtcars > /dev/null; } 2>&1 )
  echo "   bin/ols --boot 10000 end to end: $t s"
  if [ -z "$bootbest" ] || awk "BEGIN { exit !($t < $bootbest) }"; then bootbest=$t; fi
done
t=$( { time bin/ols --boot 2000 'mpg ~ wt + hp' mtcars > /dev/null; } 2>&1 )
echo "   bin/ols --boot 2000 end to end: $t s"
if have_r && Rscript -e 'library(boot)' > /dev/null 2>&1; then
  rt=$(Rscript -e "suppressPackageStartupMessages(library(boot)); d <- mtcars; set.seed(1)
    t <- system.time(b <- boot(d, function(d, i) coef(lm(mpg ~ wt + hp, data = d[i, ])), R = 10000))
    cat(t[['elapsed']])")
  echo "   R boot() with lm(), 10000 replicates: $rt s ($(awk "BEGIN { printf \"%.0f\", 10000 / $rt }") replicates/s)"
  echo "   ratio R / bin/ols end to end (best of 3): $(awk "BEGIN { printf \"%.0f\", $rt / $bootbest }")"
fi
