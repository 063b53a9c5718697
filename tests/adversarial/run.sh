# tests/adversarial/run.sh -- the catalogue of adversarial inputs, sourced by tests/run once per build
# variant ($BIN is bin or build/asan/bin), after tests/cli.sh.  Every tests/adversarial/*.tsv holds
# one case a line, six or seven fields separated by tabs (the format is in chunks/harness.nw):
#     NAME  STATUS  PROGRAM  ARGUMENTS  INPUT  STDERR  [STDOUT]
# ARGUMENTS are shell words (quoted as in a shell); INPUT is written with printf %b to
# build/adversarial/NAME.csv (- writes no file), which is also the program's standard input; @F in
# ARGUMENTS and STDERR stands for that file's path.  The case passes when the exit status is STATUS,
# standard error is exactly the line STDERR (empty when the field is empty), standard output is
# empty when STATUS is not 0, and holds the text STDOUT when that field is given.
adv_dir=build/adversarial
mkdir -p "$adv_dir"
adv_case() {
  local name=$1 want_status=$2 prog=$3 args=$4 input=$5 want_err=$6 want_out=$7
  wanted "$prog" || return 0
  local f=$adv_dir/$name.csv in=/dev/null out err status
  if [ "$input" != "-" ]; then printf '%b' "$input" > "$f"; in=$f; fi
  args=${args//@F/$f}
  want_err=${want_err//@F/$f}
  eval "set -- $args"
  out=$("$BIN/$prog" "$@" 2> "$adv_dir/$name.err" < "$in"); status=$?
  err=$(cat "$adv_dir/$name.err")
  if [ "$status" = "$want_status" ] && [ "$err" = "$want_err" ] \
     && { [ "$want_status" = 0 ] || [ -z "$out" ]; } \
     && { [ -z "$want_out" ] || [[ "$out" == *"$want_out"* ]]; }; then
    echo "ok - adversarial $name: $prog => $status${want_err:+: $want_err}"
  else
    echo "not ok - adversarial $name: $prog $args: expected status $want_status and \"$want_err\"${want_out:+ and output with \"$want_out\"}; got $status and \"$(head -c 600 "$adv_dir/$name.err")\""
  fi
}
for adv_file in tests/adversarial/*.tsv; do
  [ -f "$adv_file" ] || continue
  # tabs become the unit separator, which read does not merge as it merges tabs (empty fields)
  while IFS=$'\037' read -r name status prog args input err out; do
    case "$name" in ""|"#"*) continue ;; esac
    adv_case "$name" "$status" "$prog" "$args" "$input" "$err" "$out"
  done < <(tr '\t' '\037' < "$adv_file")
done
