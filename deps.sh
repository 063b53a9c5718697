#!/bin/bash
# deps.sh [build|compile|book|html]: are the tools the build needs here?  `make` runs it (book:
# everything, the default), `make test` and `make stageN` too (build: the compiler, noweb and the four
# libraries, not TeX; compile: the same without noweb, for `make test` where there is no noweb and
# tangled/ is compiled as it is); `make check` and `make html-check` ask for html (make4ht, tex4ht, dvisvgm and Chromium
# for the book on the web and its test, only those), and fuzz (clang and its libFuzzer, for `make fuzz`
# and the few seconds of fuzzing in `make check`).
#
# It looks for the commands themselves, and compiles and links a tiny program against each header
# and library (with $CC, $CPPFLAGS and $LDFLAGS, as the Makefile passes them), so it works wherever
# the tools are, however they were installed.  When something is missing: on Debian or Ubuntu as
# root it installs the packages with apt-get and looks again; otherwise it names what is missing,
# in the words of this system's package manager where they are known (apt on Debian and Ubuntu,
# dnf on Fedora, Homebrew on macOS), and stops with status 1.
set -u
need=${1:-book}
CC=${CC:-cc}
CPPFLAGS=${CPPFLAGS:-}
LDFLAGS=${LDFLAGS:-}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/deps.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

have() { command -v "$1" > /dev/null 2>&1; }

# links NAME LIBS CODE: compile and link CODE (a C translation unit) with LIBS.
links() {
  printf '%s\n' "$3" > "$tmp/$1.c"
  # shellcheck disable=SC2086
  $CC -std=c11 $CPPFLAGS -o "$tmp/$1" "$tmp/$1.c" $LDFLAGS $2 -lm > "$tmp/$1.log" 2>&1
}
lapacke_c='#include <lapacke.h>
int main(void) { double a = 4; return LAPACKE_dpotrf(LAPACK_COL_MAJOR, '"'L'"', 1, &a, 1); }'
cblas_c='#include <cblas.h>
int main(void) { double x = 1; return (int) cblas_ddot(1, &x, 1, &x, 1) - 1; }'
rmath_c='#define MATHLIB_STANDALONE
#include <Rmath.h>
int main(void) { return pnorm(0, 0, 1, 1, 0) == 0.5 ? 0 : 1; }'
nlopt_c='#include <nlopt.h>
int main(void) { nlopt_opt o = nlopt_create(NLOPT_LN_BOBYQA, 1); nlopt_destroy(o); return 0; }'

# check: set $missing to the missing things, each a word: a command, a header, a LaTeX package.
check() {
  missing=""
  if [ "$need" = fuzz ]; then
    if have "${FUZZCC:-clang}" && printf '%s\n' '#include <stdint.h>' '#include <stddef.h>' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
        > "$tmp/fuzz.c" && "${FUZZCC:-clang}" -fsanitize=fuzzer -o "$tmp/fuzz" "$tmp/fuzz.c" > /dev/null 2>&1
    then :; else missing="$missing libfuzzer"; fi
    return 0
  fi
  if [ "$need" = html ]; then
    for c in make4ht dvisvgm chromium; do have "$c" || missing="$missing $c"; done
    if have kpsewhich; then [ -n "$(kpsewhich tex4ht.sty)" ] || missing="$missing tex4ht.sty"
    else missing="$missing kpsewhich"; fi
    return 0
  fi
  have "${CC%% *}" || missing="$missing cc"
  [ "$need" = compile ] || for c in notangle noroots cpif; do have "$c" || missing="$missing $c"; done
  if have "${CC%% *}"; then
    # one program with all four first, so that the usual case costs one compilation
    if ! links all "-llapacke -lopenblas -lRmath -lnlopt -lpthread" \
        "$(printf '%s\n' "$lapacke_c" "$cblas_c" "$rmath_c" "$nlopt_c" | grep '^#')
int main(void) { return 0; }"; then
      links lapacke "-llapacke" "$lapacke_c" || missing="$missing lapacke.h"
      links cblas "-lopenblas" "$cblas_c" || missing="$missing cblas.h"
      links rmath "-lRmath" "$rmath_c" || missing="$missing Rmath.h"
      links nlopt "-lnlopt" "$nlopt_c" || missing="$missing nlopt.h"
    fi
  fi
  [ "$need" = book ] || return 0
  for c in noweave latexmk pdflatex kpsewhich; do have "$c" || missing="$missing $c"; done
  if have kpsewhich; then
    for s in noweb.sty pgfplots.sty lmodern.sty t1lmr.fd natbib.sty booktabs.sty microtype.sty \
             geometry.sty hyperref.sty xcolor.sty amsmath.sty amssymb.sty; do
      [ -n "$(kpsewhich "$s")" ] || missing="$missing $s"
    done
  fi
}

# The names of the packages that hold each thing, system by system ("" where not known).
debian() {
  case $1 in
    cc) echo gcc libc6-dev ;;
    notangle|noroots|cpif|noweave|noweb.sty) echo noweb ;;
    lapacke.h) echo liblapacke-dev ;;
    cblas.h) echo libopenblas-dev ;;
    Rmath.h) echo r-mathlib ;;
    nlopt.h) echo libnlopt-dev ;;
    latexmk) echo latexmk ;;
    pdflatex|kpsewhich|natbib.sty|geometry.sty|hyperref.sty|amsmath.sty) echo texlive-latex-base ;;
    booktabs.sty|microtype.sty|xcolor.sty) echo texlive-latex-recommended ;;
    amssymb.sty) echo texlive-base ;;
    pgfplots.sty) echo texlive-pictures ;;
    lmodern.sty|t1lmr.fd) echo lmodern texlive-fonts-recommended ;;
    make4ht) echo texlive-extra-utils ;;
    tex4ht.sty) echo texlive-plain-generic ;;
    dvisvgm) echo dvisvgm ;;
    chromium) echo chromium ;;
    libfuzzer) echo clang libclang-rt-dev ;;
  esac
}
fedora() {
  case $1 in
    cc) echo gcc ;;
    notangle|noroots|cpif|noweave|noweb.sty) echo noweb ;;
    lapacke.h) echo lapack-devel ;;
    cblas.h) echo openblas-devel ;;
    Rmath.h) echo libRmath-devel ;;
    nlopt.h) echo NLopt-devel ;;
    latexmk) echo latexmk ;;
    pdflatex) echo texlive-pdftex texlive-latex ;;
    kpsewhich) echo texlive-kpathsea ;;
    make4ht) echo texlive-make4ht ;;
    tex4ht.sty) echo texlive-tex4ht ;;
    dvisvgm) echo texlive-dvisvgm ;;
    chromium) echo chromium ;;
    libfuzzer) echo clang compiler-rt ;;
    *.sty|*.fd) echo "'tex($1)'" ;;
  esac
}
homebrew() {
  case $1 in
    notangle|noroots|cpif|noweave) echo noweb ;;
    lapacke.h) echo lapack ;;
    cblas.h) echo openblas ;;
    nlopt.h) echo nlopt ;;
  esac
}

# names SYSTEM: the packages for everything missing, each once.
names() {
  local m
  for m in $missing; do "$1" "$m"; done | tr ' ' '\n' | awk 'NF && !seen[$0]++' | tr '\n' ' ' | sed 's/ $//'
}

check
[ -z "$missing" ] && exit 0

# DEPS_OS=debian|fedora|macos|other names the system instead (the tests use it to see the messages).
os=${DEPS_OS:-other}
if [ -n "${DEPS_OS:-}" ]; then :
elif [ "$(uname -s)" = Darwin ]; then os=macos
elif [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  case " $(. /etc/os-release; echo "${ID:-} ${ID_LIKE:-}") " in
    *" debian "*|*" ubuntu "*) os=debian ;;
    *" fedora "*|*" rhel "*|*" centos "*) os=fedora ;;
  esac
fi

if [ $os = debian ] && [ -z "${DEPS_OS:-}" ] && [ "$(id -u)" = 0 ] && have apt-get; then
  # Some things can only be looked for once others are here (the libraries need a compiler,
  # the LaTeX packages kpsewhich), so install, look again, and install what is then found
  # missing, until nothing is missing or a round installs nothing new.
  export DEBIAN_FRONTEND=noninteractive
  updated="" tried=""
  for round in 1 2 3; do
    pkgs=$(names debian)
    case " $tried " in *" $pkgs "*) break ;; esac
    tried="$tried $pkgs"
    echo "deps.sh: missing:$missing; installing $pkgs"
    [ -n "$updated" ] || { apt-get update -qq || exit 1; updated=yes; }
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $pkgs > /dev/null || exit 1
    check
    [ -z "$missing" ] && exit 0
    : "$round"
  done
  echo "deps.sh: still missing after apt-get install:$missing"
  exit 1
fi

echo "deps.sh: missing:$missing"
case $os in
  debian) echo "  install them with:  sudo apt-get install --no-install-recommends $(names debian)" ;;
  fedora) echo "  install them with:  sudo dnf install $(names fedora)"
          case " $missing " in *" lapacke.h "*)
            echo "  (if lapacke.h is then in /usr/include/lapacke, run make with CPPFLAGS=-I/usr/include/lapacke)" ;; esac ;;
  macos)
    case " $missing " in *" cc "*) echo "  the compiler:  xcode-select --install" ;; esac
    b=$(names homebrew); [ -n "$b" ] && echo "  with Homebrew:  brew install $b"
    case " $missing " in *" Rmath.h "*)
      echo "  Rmath.h: R's standalone math library has no Homebrew formula; build it from R's sources"
      echo "    (src/nmath/standalone: make, make install) or install it with R from CRAN" ;; esac
    case " $missing " in *.sty*|*latexmk*|*pdflatex*|*kpsewhich*)
      echo "  TeX:  brew install --cask mactex-no-gui   (or basictex, then tlmgr install the packages)" ;; esac
    echo "  Homebrew keeps lapack and openblas apart from the system's, so then run make with"
    echo "    CPPFLAGS=\"-I\$(brew --prefix lapack)/include -I\$(brew --prefix openblas)/include -I\$(brew --prefix)/include\""
    echo "    LDFLAGS=\"-L\$(brew --prefix lapack)/lib -L\$(brew --prefix openblas)/lib -L\$(brew --prefix)/lib\"" ;;
  *) echo "  (a C11 compiler, noweb, LAPACKE, OpenBLAS's CBLAS, R's standalone Rmath, NLopt;"
     echo "   for the book latexmk, pdfLaTeX and the LaTeX packages named; set CPPFLAGS and LDFLAGS"
     echo "   for make if their headers and libraries are not on the compiler's usual paths)" ;;
esac
exit 1
