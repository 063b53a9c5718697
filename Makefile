# Makefile for "Regression and mixed models from first principles", a literate program.
#
#   make          install what is missing, tangle, compile, weave the book, run the demo
#   make check    the whole test suite (also under AddressSanitizer and UBSan)
#   make bench    the benchmarks (not tests: they print timings and ratios to R)
#   make solutions  the teachers' edition of the book, with the exercises' solutions
#   make clean    remove everything the build makes
#
# Every line of C lives in chunks/*.nw.  A root chunk named like a file becomes that file in
# tangled/, and its name says what it is for:
#   main-NAME.c   the estimator bin/NAME          test-NAME.c   a unit-test program
#   book-NAME.c   computes numbers for the book   tool-NAME.c   a helper program of the build
#   anything else .c/.h: the library build/libstats.a that all of them link with.

SHELL      := /bin/bash
.SHELLFLAGS := -o pipefail -ec
.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:

# The chapter files, in the order of the book.  Part I is the statistics, Part II the
# machinery it uses, Part III the tests; a chapter's printing and program live in
# NAME-program.nw (Part II) and its tests and book programs in NAME-tests.nw (Part III).
PART1    := part-estimation ols boot lmm glm glmm stages
PART2    := part-machinery data formula output ols-program lmm-program glm-program glmm-program
PART3    := part-testing harness data-tests formula-tests output-tests ols-tests boot-tests \
            lmm-tests glm-tests glmm-tests labs
CHAPTERS := preface $(PART1) $(PART2) $(PART3)
NW       := $(wildcard $(CHAPTERS:%=chunks/%.nw))

CC       ?= cc
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN     := -Wall -Wextra -Wpedantic -Werror
CFLAGS   ?= -O2 -g
ALLCFLAGS = $(CSTD) $(WARN) $(CFLAGS) -Itangled -Ibuild
LDLIBS   := -llapacke -lopenblas -lRmath -lnlopt -lpthread -lm
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# Debian packages the build needs: compiler, noweb, LAPACK and BLAS, R's math library, NLopt, TeX.
DEPS := gcc libc6-dev noweb liblapacke-dev libopenblas-dev r-mathlib libnlopt-dev \
        latexmk texlive-latex-base texlive-latex-recommended texlive-fonts-recommended \
        texlive-pictures lmodern

.PHONY: all deps dirs tangle build book demo check check-tangle bench solutions clean
all: deps
	$(MAKE) --no-print-directory tangle
	$(MAKE) --no-print-directory build book
	$(MAKE) --no-print-directory demo

# ---------------------------------------------------------------------------------------------
# Dependencies: install what is missing when we are root, otherwise say the command and stop.
deps:
	@missing=""; for p in $(DEPS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "make deps: installing$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "make deps: missing Debian packages; run:"; \
	  echo "  sudo apt-get install --no-install-recommends$$missing"; exit 1; \
	fi

# ---------------------------------------------------------------------------------------------
# Tangling.  Every root chunk is tangled, with #line directives pointing into chunks/*.nw,
# through cpif so that files whose text did not change keep their timestamps.  A root whose
# name is not a C file name is a misspelt chunk name: that stops the build.
tangle: build/tangle.stamp
build/tangle.stamp: $(NW) | dirs
	@roots=$$(noroots $(NW) | sed 's/^<<\(.*\)>>$$/\1/' | tr '\n' ' '); \
	for r in $$roots; do case "$$r" in *.c|*.h) ;; \
	  *) echo "tangle: unexpected root chunk <<$$r>> (misspelt chunk name?)"; exit 1;; esac; done; \
	mkdir -p tangled; \
	for r in $$roots; do \
	  notangle -L -R"$$r" $(NW) > build/tangle.$$$$.tmp; cpif tangled/$$r < build/tangle.$$$$.tmp; done; \
	for f in tangled/*; do case " $$roots " in *" $${f#tangled/} "*) ;; *) rm -f "$$f";; esac; done; \
	rm -f build/tangle.$$$$.tmp; touch $@

# The test suite checks that tangled/ is what chunks/ tangle to, tangling afresh into a
# scratch directory, so a hand edit of tangled/ (or a forgotten commit) cannot pass.
check-tangle: | dirs
	@rm -rf build/retangle; mkdir -p build/retangle; \
	for r in $$(noroots $(NW) | sed 's/^<<\(.*\)>>$$/\1/'); do \
	  notangle -L -R"$$r" $(NW) > build/retangle/$$r; done; \
	diff -r build/retangle tangled > build/retangle.diff \
	  && echo "ok - tangled/ is what chunks/*.nw tangle to" \
	  || { echo "not ok - tangled/ differs from chunks/*.nw (see build/retangle.diff)"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Compiling.  These variables are read after tangling (make is re-entered by "all").
SRC      := $(wildcard tangled/*.c)
HDR      := $(wildcard tangled/*.h)
MAINS    := $(filter tangled/main-%.c,$(SRC))
TESTS    := $(filter tangled/test-%.c,$(SRC))
BOOKS    := $(filter tangled/book-%.c,$(SRC))
TOOLS    := $(filter tangled/tool-%.c,$(SRC))
LIBSRC   := $(filter-out $(MAINS) $(TESTS) $(BOOKS) $(TOOLS),$(SRC)) build/datasets.c
PROGS    := $(MAINS:tangled/main-%.c=bin/%)
TESTPROG := $(TESTS:tangled/%.c=build/%)
BOOKPROG := $(BOOKS:tangled/%.c=build/%)
DATA     := $(sort $(wildcard data/*.csv))

dirs:
	@mkdir -p build bin build/asan/bin build/numbers

build/%.o: tangled/%.c $(HDR) | dirs
	$(CC) $(ALLCFLAGS) -c -o $@ $<
build/datasets.o: build/datasets.c $(HDR)
	$(CC) $(ALLCFLAGS) -c -o $@ $<
build/libstats.a: $(patsubst tangled/%.c,build/%.o,$(filter tangled/%,$(LIBSRC))) build/datasets.o
	@rm -f $@; ar rcs $@ $^
bin/%: build/main-%.o build/libstats.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
build/test-%: build/test-%.o build/libstats.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
build/book-%: build/book-%.o build/libstats.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
build/tool-%: build/tool-%.o build/libstats.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The embedded data sets: tool-embed (from the data chapter) turns data/*.csv into C.
# It cannot link with the library it feeds, so it is built on its own.
build/tool-embed: build/tool-embed.o
	$(CC) $(CFLAGS) -o $@ $^
build/datasets.c: build/tool-embed $(DATA)
	build/tool-embed $(DATA) > $@

# The same programs under AddressSanitizer and UndefinedBehaviorSanitizer, for the tests.
build/asan/%.o: tangled/%.c $(HDR) | dirs
	$(CC) $(CSTD) $(WARN) $(SANFLAGS) -Itangled -Ibuild -c -o $@ $<
build/asan/datasets.o: build/datasets.c $(HDR)
	$(CC) $(CSTD) $(WARN) $(SANFLAGS) -Itangled -Ibuild -c -o $@ $<
build/asan/libstats.a: $(patsubst tangled/%.c,build/asan/%.o,$(filter tangled/%,$(LIBSRC))) build/asan/datasets.o
	@rm -f $@; ar rcs $@ $^
build/asan/bin/%: build/asan/main-%.o build/asan/libstats.a
	$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)
build/asan/test-%: build/asan/test-%.o build/asan/libstats.a
	$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)

build: $(PROGS) $(TESTPROG) $(BOOKPROG) $(TOOLS:tangled/%.c=build/%)
build-asan: $(PROGS:bin/%=build/asan/bin/%) $(TESTPROG:build/%=build/asan/%)
.PHONY: build-asan

# ---------------------------------------------------------------------------------------------
# The book.  All chapters are woven in one noweave run, so chunk cross-references and the
# identifier index span the whole book.  Numbers the book quotes are computed by the
# book-NAME programs into build/numbers/NAME.tex, which the chapters \input.
NUMBERS := $(BOOKS:tangled/book-%.c=build/numbers/%.tex)
# A book program may also write the data of its figures, as build/numbers/NAME-*.dat (a
# header line, then whitespace-separated columns), into the directory it is given; the
# figures read them with pgfplots' \addplot table.  book/check-figures fails the build on a
# figure whose data file is missing or holds no data row.
build/numbers/%.tex: build/book-% | dirs
	build/book-$* build/numbers > $@

build/woven.tex: $(NW) | dirs
	noweave -n -index -autodefs c $(NW) > $@

TEXDEPS := book/book.tex book/preamble.tex book/book.bib build/woven.tex $(NUMBERS)
book: book/book.pdf
book/book.pdf: $(TEXDEPS)
	@mkdir -p build/tex
	TEXINPUTS=book:build:$$TEXINPUTS BIBINPUTS=book: latexmk -pdf -interaction=nonstopmode \
	  -halt-on-error -outdir=build/tex book/book.tex > build/tex/latexmk.out 2>&1 \
	  || { tail -40 build/tex/latexmk.out; grep -A3 '^!' build/tex/book.log | head -20; exit 1; }
	@book/check-log build/tex/book.log
	@book/check-figures build/woven.tex build
	cp build/tex/book.pdf $@

solutions: book/solutions.pdf
book/solutions.pdf: book/solutions.tex $(TEXDEPS)
	@mkdir -p build/tex
	TEXINPUTS=book:build:$$TEXINPUTS BIBINPUTS=book: latexmk -pdf -interaction=nonstopmode \
	  -halt-on-error -outdir=build/tex book/solutions.tex > build/tex/latexmk-sol.out 2>&1 \
	  || { tail -40 build/tex/latexmk-sol.out; exit 1; }
	@book/check-log build/tex/solutions.log
	cp build/tex/solutions.pdf $@

# ---------------------------------------------------------------------------------------------
# The demo: each estimator once, on a data set that ships inside it.
demo: $(PROGS)
	@if [ -x bin/ols ];  then echo '$$ bin/ols "mpg ~ wt + factor(cyl)" mtcars'; \
	  bin/ols 'mpg ~ wt + factor(cyl)' mtcars; echo; fi
	@if [ -x bin/lmm ];  then echo '$$ bin/lmm "Reaction ~ Days + (Days | Subject)" sleepstudy'; \
	  bin/lmm 'Reaction ~ Days + (Days | Subject)' sleepstudy; echo; fi
	@if [ -x bin/glmm ]; then echo '$$ bin/glmm "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)" cbpp'; \
	  bin/glmm 'cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)' cbpp; echo; fi
	@echo "The book is book/book.pdf."

# ---------------------------------------------------------------------------------------------
# Tests: the tangle check, then the runner over the plain build and over the sanitizer build.
check: deps
	@mkdir -p build; $(MAKE) --no-print-directory check-tangle > build/check-tangle.out 2>&1 || true
	$(MAKE) --no-print-directory tangle
	$(MAKE) --no-print-directory build book build-asan
	tests/run build/check-tangle.out

bench: deps
	$(MAKE) --no-print-directory tangle
	$(MAKE) --no-print-directory build
	tests/bench

clean:
	rm -rf build bin book/book.pdf book/solutions.pdf

# ---------------------------------------------------------------------------------------------
# The labs: make lab, make lab LAB=NAME, make check-labs (part of make check); see labs.mk.
include labs.mk
