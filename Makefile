# Makefile for "Regression and mixed models from first principles", a literate program.
#
#   make          install what is missing, tangle, compile, weave the book, run the demo
#   make check    the whole test suite (also under AddressSanitizer and UBSan), with both
#                 editions of the book built and compared
#   make test     the fast loop: the plain build's unit, command-line and reference tests
#   make stage1   (stage2, stage3) one stage alone, from only its chapter files: see STAGE1 below
#   make bench    the benchmarks (not tests: they print timings and ratios to R)
#   make solutions  the teachers' edition of the book, with the exercises' solutions
#   make lab      the labs; make lab LAB=NAME writes one for students (labs.mk, labs/)
#   make fuzz     fuzz the reader, the parser and the model frame (clang's libFuzzer; FUZZ_SECONDS)
#   make html     the book on the web, build/html/index.html (needs make4ht and dvisvgm)
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
            lmm-tests glm-tests glmm-tests fuzz-tests exercises-tests labs
CHAPTERS := preface $(PART1) $(PART2) $(PART3)
NW       := $(wildcard $(CHAPTERS:%=chunks/%.nw))

CC       ?= cc
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN     := -Wall -Wextra -Wpedantic -Wshadow -Werror
CFLAGS   ?= -O2 -g
CPPFLAGS ?=
LDFLAGS  ?=
ALLCFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(CPPFLAGS) -I$(SRCDIR) -Ibuild
LDLIBS   := -llapacke -lopenblas -lRmath -lnlopt -lpthread -lm
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# ---------------------------------------------------------------------------------------------
# The stages.  Each of the three programs builds alone from the chapter files named here, and
# from no other: `make stageN` copies just these files (with the data and the tests' files) into
# build/stageN/, tangles and builds there, runs the stage's own tests and copies the program to
# bin/.  STAGEn are the files the program needs, STAGEn_TESTS those of the stage's tests; the
# book prints both lists at the start of each chapter of Part I (build/numbers/stages.tex).
STAGE1       := data formula output ols boot ols-program
STAGE1_TESTS := harness data-tests formula-tests output-tests ols-tests boot-tests
STAGE1_PROG  := ols
STAGE2       := data formula output ols boot ols-program lmm lmm-program
STAGE2_TESTS := harness lmm-tests
STAGE2_PROG  := lmm
STAGE3       := data formula output ols boot ols-program lmm lmm-program glm glm-program glmm glmm-program
STAGE3_TESTS := harness glm-tests glmm-tests
STAGE3_PROG  := glmm
STAGES       := stage1 stage2 stage3

.PHONY: all deps deps-build deps-compile dirs tangle build book demo check check-tangle bench solutions clean \
        test build-test $(STAGES) check-stages
all: deps
	$(MAKE) --no-print-directory tangle
	$(MAKE) --no-print-directory build book
	$(MAKE) --no-print-directory demo

# ---------------------------------------------------------------------------------------------
# Dependencies: deps.sh looks for the commands, headers and libraries themselves (and the LaTeX
# packages for the book); on Debian as root it installs what is missing, elsewhere it says what
# to install in the system's words and stops.  deps-build is all but TeX, for the fast loop and
# the stages; deps-compile, for the fast loop, is the same but for noweb where there is none
# (then tangled/ is compiled as it is).
DEPSENV = CC="$(CC)" CPPFLAGS="$(CPPFLAGS)" LDFLAGS="$(LDFLAGS)"
deps:
	@$(DEPSENV) ./deps.sh book
deps-build:
	@$(DEPSENV) ./deps.sh build
deps-compile:
	@$(DEPSENV) ./deps.sh $(if $(NOTANGLE),build,compile)

# ---------------------------------------------------------------------------------------------
# Tangling.  Every root chunk is tangled twice, through cpif so that files whose text did not
# change keep their timestamps: into tangled/ without #line directives, where notangle indents
# each chunk as its use is indented, so the C reads as C (committed: what readers browse, and
# what builds without noweb); and into build/src/ with #line directives pointing into
# chunks/*.nw, which is what the compiler compiles, so that its messages, the sanitizers' and a
# debugger's point at the line of the chapter.  A root whose name is not a C file name is a
# misspelt chunk name: that stops the build.  For speed the web is read once, by noweb's own
# first stage (markup, found through the notangle script), and its second stage (nt) writes
# each root, which is what `notangle -R` does; where the two are not to be found, notangle is
# run for each root.  Without noweb (a reader with only tangled/), tangled/ is compiled as it is.
NOTANGLE := $(shell command -v notangle 2> /dev/null)
ifneq ($(NOTANGLE),)
SRCDIR   := build/src
tangle: build/tangle.stamp
build/tangle.stamp: $(NW) | dirs
	@roots=$$(noroots $(NW) | sed 's/^<<\(.*\)>>$$/\1/' | tr '\n' ' '); \
	for r in $$roots; do case "$$r" in *.c|*.h) ;; \
	  *) echo "tangle: unexpected root chunk <<$$r>> (misspelt chunk name?)"; exit 1;; esac; done; \
	mkdir -p tangled build/src; tmp=build/tangle.$$$$; \
	lib=$$(sed -n 's/^LIB=//p' "$$(command -v notangle)" | head -1); \
	if [ -x "$$lib/markup" ] && [ -x "$$lib/nt" ]; then "$$lib/markup" -t $(NW) > $$tmp.web; \
	  root() { "$$lib/nt" -t $$2 -R"$$1" < $$tmp.web; }; \
	else root() { notangle $$2 -R"$$1" $(NW); }; fi; \
	for r in $$roots; do root "$$r" > $$tmp.c; cpif tangled/$$r < $$tmp.c; \
	  root "$$r" -L > $$tmp.c; cpif build/src/$$r < $$tmp.c; done; \
	for f in tangled/* build/src/*; do case " $$roots " in *" $${f##*/} "*) ;; *) rm -f "$$f";; esac; done; \
	rm -f $$tmp.web $$tmp.c; touch $@
else
SRCDIR   := tangled
tangle:
	@echo "tangle: no noweb (notangle) here: compiling tangled/ as it is"
endif

# The test suite checks that tangled/ is what chunks/ tangle to, tangling afresh into a
# scratch directory, so a hand edit of tangled/ (or a forgotten commit) cannot pass.
check-tangle: | dirs
	@rm -rf build/retangle; mkdir -p build/retangle; \
	for r in $$(noroots $(NW) | sed 's/^<<\(.*\)>>$$/\1/'); do \
	  notangle -R"$$r" $(NW) > build/retangle/$$r; done; \
	diff -r build/retangle tangled > build/retangle.diff \
	  && echo "ok - tangled/ is what chunks/*.nw tangle to" \
	  || { echo "not ok - tangled/ differs from chunks/*.nw (see build/retangle.diff)"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Compiling.  These variables are read after tangling (make is re-entered by "all").
# The file names are those of tangled/ (committed); the files compiled are those of $(SRCDIR):
# build/src/, tangled with #line directives, or tangled/ itself where there is no noweb.
SRC      := $(patsubst tangled/%,$(SRCDIR)/%,$(wildcard tangled/*.c))
HDR      := $(patsubst tangled/%,$(SRCDIR)/%,$(wildcard tangled/*.h))
MAINS    := $(filter $(SRCDIR)/main-%.c,$(SRC))
TESTS    := $(filter $(SRCDIR)/test-%.c,$(SRC))
BOOKS    := $(filter $(SRCDIR)/book-%.c,$(SRC))
TOOLS    := $(filter $(SRCDIR)/tool-%.c,$(SRC))
FUZZS    := $(filter $(SRCDIR)/fuzz-%.c,$(SRC))
LIBSRC   := $(filter-out $(MAINS) $(TESTS) $(BOOKS) $(TOOLS) $(FUZZS),$(SRC)) build/datasets.c
PROGS    := $(MAINS:$(SRCDIR)/main-%.c=bin/%)
TESTPROG := $(TESTS:$(SRCDIR)/%.c=build/%)
BOOKPROG := $(BOOKS:$(SRCDIR)/%.c=build/%)
DATA     := $(sort $(wildcard data/*.csv))

dirs:
	@mkdir -p build bin build/asan/bin build/numbers

# A tangled file is as new as the chunks: a target that needs one (the book's numbers, a program)
# tangles first, so that a chunk edit never leaves an old program or number behind.  (cpif keeps
# the time of a file whose text did not change, so only what changed is compiled again.)
ifneq ($(NOTANGLE),)
$(SRC) $(HDR): build/tangle.stamp ;
endif

build/%.o: $(SRCDIR)/%.c $(HDR) | dirs
	$(CC) $(ALLCFLAGS) -c -o $@ $<
build/datasets.o: build/datasets.c $(HDR)
	$(CC) $(ALLCFLAGS) -c -o $@ $<
build/libstats.a: $(patsubst $(SRCDIR)/%.c,build/%.o,$(filter $(SRCDIR)/%,$(LIBSRC))) build/datasets.o
	@rm -f $@; ar rcs $@ $^
bin/%: build/main-%.o build/libstats.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
build/test-%: build/test-%.o build/libstats.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
build/book-%: build/book-%.o build/libstats.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
build/tool-%: build/tool-%.o build/libstats.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The embedded data sets: tool-embed (from the data chapter) turns data/*.csv into C.
# It cannot link with the library it feeds, so it is built on its own.
build/tool-embed: build/tool-embed.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^
build/datasets.c: build/tool-embed $(DATA) $(wildcard data/*.levels)
	build/tool-embed $(DATA) > $@

# The same programs under AddressSanitizer and UndefinedBehaviorSanitizer, for the tests.
build/asan/%.o: $(SRCDIR)/%.c $(HDR) | dirs
	$(CC) $(CSTD) $(WARN) $(SANFLAGS) $(CPPFLAGS) -I$(SRCDIR) -Ibuild -c -o $@ $<
build/asan/datasets.o: build/datasets.c $(HDR)
	$(CC) $(CSTD) $(WARN) $(SANFLAGS) $(CPPFLAGS) -I$(SRCDIR) -Ibuild -c -o $@ $<
build/asan/libstats.a: $(patsubst $(SRCDIR)/%.c,build/asan/%.o,$(filter $(SRCDIR)/%,$(LIBSRC))) build/asan/datasets.o
	@rm -f $@; ar rcs $@ $^
build/asan/bin/%: build/asan/main-%.o build/asan/libstats.a
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
build/asan/test-%: build/asan/test-%.o build/asan/libstats.a
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
build/asan/fuzz-%: build/asan/fuzz-%.o build/asan/libstats.a
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build: $(PROGS) $(TESTPROG) $(BOOKPROG) $(TOOLS:$(SRCDIR)/%.c=build/%)
build-test: $(or $(STAGE_BIN),$(PROGS)) $(TESTPROG) build/tool-jsoncmp build/tool-peakmem
build-asan: $(PROGS:bin/%=build/asan/bin/%) $(TESTPROG:build/%=build/asan/%) \
            $(FUZZS:$(SRCDIR)/%.c=build/asan/%)
.PHONY: build-asan

# ---------------------------------------------------------------------------------------------
# Fuzzing (chunks/fuzz-tests.nw): the targets tangled/fuzz-NAME.c built with clang's libFuzzer
# into build/fuzz/fuzz-NAME.  `make fuzz` runs each for FUZZ_SECONDS on its corpus tests/fuzz/NAME
# (new inputs go to build/fuzz/corpus/NAME; `make fuzz-merge` adds those that find new code to
# tests/fuzz/NAME); `make -j2 fuzz` runs two at once.  `make check` replays the corpora under the
# sanitizer build (the targets' own replay main) and fuzzes each target for CHECK_FUZZ_SECONDS.
FUZZCC       ?= clang
FUZZ_SECONDS ?= 600
CHECK_FUZZ_SECONDS ?= 5
FUZZ_NAMES    = $(FUZZS:$(SRCDIR)/fuzz-%.c=%)
FUZZFLAGS    := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZRUN       = -rss_limit_mb=2048 -timeout=30 -max_len=4096 -print_final_stats=1
build/fuzz/%.o: $(SRCDIR)/%.c $(HDR) | dirs
	@mkdir -p build/fuzz
	$(FUZZCC) $(CSTD) $(FUZZFLAGS) -fsanitize=fuzzer-no-link $(CPPFLAGS) -I$(SRCDIR) -Ibuild -c -o $@ $<
build/fuzz/datasets.o: build/datasets.c $(HDR)
	@mkdir -p build/fuzz
	$(FUZZCC) $(CSTD) $(FUZZFLAGS) -fsanitize=fuzzer-no-link $(CPPFLAGS) -I$(SRCDIR) -Ibuild -c -o $@ $<
build/fuzz/libstats.a: $(patsubst $(SRCDIR)/%.c,build/fuzz/%.o,$(filter $(SRCDIR)/%,$(LIBSRC))) build/fuzz/datasets.o
	@rm -f $@; ar rcs $@ $^
build/fuzz/fuzz-%: $(SRCDIR)/fuzz-%.c build/fuzz/libstats.a $(HDR)
	$(FUZZCC) $(CSTD) $(FUZZFLAGS) -fsanitize=fuzzer -DFUZZ_LIBFUZZER $(CPPFLAGS) -I$(SRCDIR) -Ibuild \
	  $(LDFLAGS) -o $@ $< build/fuzz/libstats.a $(LDLIBS)
fuzz: deps-fuzz
	$(MAKE) --no-print-directory tangle
	$(MAKE) --no-print-directory $(addprefix fuzz-run-,$(FUZZ_NAMES))
fuzz-run-%: build/fuzz/fuzz-%
	@mkdir -p build/fuzz/corpus/$*
	$< $(FUZZRUN) -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=build/fuzz/crash-$*- \
	  build/fuzz/corpus/$* tests/fuzz/$* 2>&1 | tail -12
fuzz-merge: deps-fuzz
	$(MAKE) --no-print-directory tangle
	$(MAKE) --no-print-directory $(FUZZ_NAMES:%=build/fuzz/fuzz-%)
	for t in $(FUZZ_NAMES); do build/fuzz/fuzz-$$t $(FUZZRUN) -merge=1 tests/fuzz/$$t build/fuzz/corpus/$$t; done
deps-fuzz:
	@$(DEPSENV) FUZZCC="$(FUZZCC)" ./deps.sh fuzz
# Lines ok/not ok for the test runner: the corpora replayed under the sanitizers, then a few
# seconds of new inputs for each target.
check-fuzz: build-asan
	@{ for t in $(FUZZ_NAMES); do \
	    if build/asan/fuzz-$$t tests/fuzz/$$t > build/fuzz-replay-$$t.log 2>&1; then \
	      echo "ok - fuzz corpus of $$t replayed under the sanitizers ($$(tail -1 build/fuzz-replay-$$t.log))"; \
	    else echo "not ok - fuzz corpus of $$t: a crash under the sanitizers (build/fuzz-replay-$$t.log)"; fi; \
	  done; \
	  if $(DEPSENV) FUZZCC="$(FUZZCC)" ./deps.sh fuzz > build/check-fuzz.log 2>&1 \
	     && $(MAKE) --no-print-directory $(FUZZ_NAMES:%=build/fuzz/fuzz-%) >> build/check-fuzz.log 2>&1; then \
	    for t in $(FUZZ_NAMES); do mkdir -p build/fuzz/check/$$t; \
	      if build/fuzz/fuzz-$$t $(FUZZRUN) -max_total_time=$(CHECK_FUZZ_SECONDS) \
	           -artifact_prefix=build/fuzz/crash-$$t- build/fuzz/check/$$t tests/fuzz/$$t \
	           > build/fuzz-check-$$t.log 2>&1; then \
	        echo "ok - $(CHECK_FUZZ_SECONDS) s of fuzzing $$t found nothing"; \
	      else echo "not ok - fuzzing $$t found a crash: $$(ls build/fuzz/crash-$$t-* 2>/dev/null | head -1) (build/fuzz-check-$$t.log)"; fi; \
	    done; \
	  else echo "not ok - no libFuzzer (clang) to fuzz with (build/check-fuzz.log)"; fi; \
	} > build/check-fuzz.out
.PHONY: fuzz fuzz-merge deps-fuzz check-fuzz

# ---------------------------------------------------------------------------------------------
# The book.  All chapters are woven in one noweave run, so chunk cross-references and the
# identifier index span the whole book.  Numbers the book quotes are computed by the
# book-NAME programs into build/numbers/NAME.tex, which the chapters \input.
NUMBERS := $(BOOKS:$(SRCDIR)/book-%.c=build/numbers/%.tex)
# A book program may also write the data of its figures, as build/numbers/NAME-*.dat (a
# header line, then whitespace-separated columns), into the directory it is given; the
# figures read them with pgfplots' \addplot table.  book/check-figures fails the build on a
# figure whose data file is missing or holds no data row.
build/numbers/%.tex: build/book-% | dirs
	build/book-$* build/numbers > $@

# The identifier index lists the functions, macros, types and file-scope tables that -autodefs
# finds, less the local variables of chunks and other noise that book/index-defs drops.
build/woven.tex: $(NW) book/index-defs | dirs
	noweave -n -autodefs c -filter book/index-defs -index $(NW) > $@

TEXDEPS := book/book.tex book/preamble.tex book/book.bib build/woven.tex $(NUMBERS) \
           build/numbers/stages.tex build/numbers/modules.tex

# The modules' diagram of the closing chapter draws one arrow for each #include of one module
# of the estimators (or program) by another, read from the tangled sources: \modedge{from}{to}.
# The harness's modules and util.h, which every module includes, are left out.
MODULES := data formula json rformat cli ols rng boot blocked re lmm glm glmm
build/numbers/modules.tex: $(SRC) $(HDR) Makefile | dirs
	@for m in $(MODULES) main-ols main-lmm main-glmm; do \
	  for f in tangled/$$m.c tangled/$$m.h; do [ ! -f $$f ] || grep -o '#include "[a-z]*\.h"' $$f || true; done \
	    | sed 's/#include "\(.*\)\.h"/\1/' | sort -u | while read -r d; do \
	      case " $(MODULES) " in *" $$d "*) [ "$$d" = "$$m" ] || echo "\\modedge{$$m}{$$d}";; *) ;; esac; done; \
	done > $@

# The lists of the stages' chapter files, as the book prints them: \stageOneFiles,
# \stageOneTests and \stageOneProgram, and the same for Two and Three.
texfiles = $(subst $(eval) ,$(comma) ,$(patsubst %,\texttt{%.nw},$(1)))
comma := ,
build/numbers/stages.tex: Makefile | dirs
	@{ $(foreach n,1 2 3,$(foreach w,$(word $(n),One Two Three), \
	  printf '%s\n' '\newcommand{\stage$(w)Files}{$(call texfiles,$(STAGE$(n)))}' \
	    '\newcommand{\stage$(w)Tests}{$(call texfiles,$(STAGE$(n)_TESTS))}' \
	    '\newcommand{\stage$(w)Program}{\texttt{bin/$(STAGE$(n)_PROG)}}';)) } \
	  | sed 's/, \([^,]*}}\)$$/ and \1/' > $@
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
	  || { tail -40 build/tex/latexmk-sol.out; grep -A3 '^!' build/tex/solutions.log | head -20; exit 1; }
	@book/check-log build/tex/solutions.log
	cp build/tex/solutions.pdf $@

# ---------------------------------------------------------------------------------------------
# The book on the web: make html writes build/html/ (index.html, then one page per part and
# chapter) from the same sources with tex4ht (make4ht), mathematics as MathML, pictures as SVG
# (dvisvgm).  It runs in build/htmltex/, where the book's master file is copied as index.tex so
# that the first page is index.html; the bibliography and the subject index are pdfLaTeX's.
# `make` does not need it; `make check` builds it and opens every page in a headless Chromium
# (tests/html-check: pages load, internal links resolve, mathematics is rendered, figures exist).
html: build/html/index.html
build/html/index.html: $(TEXDEPS) book/html.cfg book/book.pdf
	@rm -rf build/htmltex build/html; mkdir -p build/htmltex build/html
	cp book/book.tex build/htmltex/index.tex
	cp build/tex/book.bbl build/htmltex/index.bbl; cp build/tex/book.ind build/htmltex/index.ind
	@# (make4ht's status is 1 because it looks for an index file of its own, index.4idx, which it
	@# does not need: the TeX log and the pages themselves say whether it worked)
	cd build/htmltex && TEXINPUTS=../../book:..:$$TEXINPUTS make4ht -u -c ../../book/html.cfg \
	  -d ../html index.tex > make4ht.out 2>&1 || true
	@if grep -q FATAL build/htmltex/make4ht.out || grep -q '^!' build/htmltex/index.log; then \
	  grep -E 'FATAL' build/htmltex/make4ht.out; grep -A3 '^!' build/htmltex/index.log | head -20; \
	  echo "make html: TeX errors (build/htmltex/index.log)"; rm -f $@; exit 1; fi
	@# noweb links a range of pages ("35-37") of a chunk's uses to an empty label: unlink it
	@sed -i "s|<a href='#noweb\.'>\(<span[^>]*>[^<]*</span>\)</a>|\1|g" build/html/*.html
	@# and tex4ht's "up" from a chapter names an anchor that its part's page lacks: link the page
	@sed -i "s|href='\([a-z0-9]*\.html\)#[a-z0-9]*\.html'|href='\1'|g" build/html/*.html
	@# the first page has the title only: give it the table of contents and a link onwards
	@toc=$$(grep -l "class='tableofcontents'" build/html/*.html | grep -v '/index.html$$' | head -1); \
	awk '/<div class=.tableofcontents.>/{p=1} p{print} p&&/<\/div>/{exit}' "$$toc" > build/htmltex/toc.html; \
	awk -v toc=build/htmltex/toc.html -v nxt="$${toc#build/html/}" '/<\/body>/{ \
	  print "<div class=\"crosslinks\"><p class=\"noindent\">[<a href=\"" nxt "\">next</a>]</p></div>"; \
	  while ((getline l < toc) > 0) print l } {print}' $@ > build/htmltex/index.new; \
	mv build/htmltex/index.new $@
	@test -s $@ && echo "The book on the web: build/html/index.html"
html-check: deps-html
	$(MAKE) --no-print-directory html
	tests/html-check build/html
deps-html:
	@$(DEPSENV) ./deps.sh html
.PHONY: html html-check deps-html

# ---------------------------------------------------------------------------------------------
# A stage alone (the list of its files is STAGEn above).  The stage's folder build/stageN/ holds
# the Makefile, deps.sh, the tests' scripts and files, the data, and chunks/ with only the
# stage's chapter files: there it is tangled (a chunk used but defined in a file left out stops
# the tangling), its program and test programs are built, and its tests are run.  The result is
# build/stageN.result, one line "ok - ..." or "not ok - ..."; the program goes to bin/ unless
# STAGE_COPY=no.
STAGE_COPY ?= yes
$(STAGES): stage%: deps-build
	@d=build/stage$*; mkdir -p $$d bin; rm -f build/stage$*.result; \
	files="Makefile deps.sh tests/run tests/cli.sh $(STAGE$*:%=chunks/%.nw) \
	  $(STAGE$*_TESTS:%=chunks/%.nw) $$(find data tests/data tests/reference -type f | sort)"; \
	for f in $$files; do mkdir -p "$$d/$$(dirname "$$f")"; \
	  cmp -s "$$f" "$$d/$$f" || cp "$$f" "$$d/$$f"; done; \
	for f in $$d/chunks/*.nw; do case " $$files " in *" $${f#$$d/} "*) ;; \
	  *) rm -f "$$f" $$d/build/tangle.stamp;; esac; done; \
	what="make stage$*: $(STAGE$*_PROG) from only $(STAGE$*:%=%.nw), tests from $(STAGE$*_TESTS:%=%.nw)"; \
	if ! { $(MAKE) -C $$d --no-print-directory tangle \
	       && $(MAKE) -C $$d --no-print-directory build-test STAGE_BIN=bin/$(STAGE$*_PROG); } \
	     > build/stage$*.out 2>&1; then \
	  tail -20 build/stage$*.out; echo "not ok - $$what: the build failed (build/stage$*.out)" \
	    | tee build/stage$*.result; exit 1; fi; \
	(cd $$d && tests/run --plain --only $(STAGE$*_PROG)) > build/stage$*.test 2>&1 || true; \
	last=$$(tail -1 build/stage$*.test); \
	case "$$last" in *" passed, 0 failed") ok="ok";; *) ok="not ok"; grep '^not ok' build/stage$*.test;; esac; \
	echo "$$ok - $$what: $$last" | tee build/stage$*.result; \
	[ "$(STAGE_COPY)" = no ] || cp $$d/bin/$(STAGE$*_PROG) bin/$(STAGE$*_PROG); \
	[ "$$ok" = ok ]

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
# Tests: the tangle check, then the runner over the plain build and over the sanitizer build,
# and each stage built alone from its own files (check-stages).
check: deps
	@mkdir -p build; $(MAKE) --no-print-directory check-tangle > build/check-tangle.out 2>&1 || true
	$(MAKE) --no-print-directory tangle
	$(MAKE) --no-print-directory build book solutions build-asan
	$(MAKE) --no-print-directory check-stages
	$(MAKE) --no-print-directory check-labs
	$(MAKE) --no-print-directory check-fuzz
	$(MAKE) --no-print-directory html-check > build/check-html.out 2> build/check-html.err \
	  || { grep -q '^not ok' build/check-html.out || echo "not ok - make html-check failed: $$(tail -3 build/check-html.err | tr '\n' ' ')" >> build/check-html.out; }
	tests/run build/check-tangle.out build/check-stages.out build/check-labs.out build/check-fuzz.out \
	  build/check-html.out

check-stages:
	@$(MAKE) --no-print-directory -k STAGE_COPY=no $(STAGES) > build/check-stages.log 2>&1 || true
	@{ for n in $(STAGES:stage%=%); do cat build/stage$$n.result 2>/dev/null \
	     || echo "not ok - make stage$$n: no result"; done; \
	   $(foreach n,1 2 3,grep -F '`make stage$(n)`' README.md | grep -qF '| $(STAGE$(n)) | $(STAGE$(n)_TESTS) |' \
	     && echo "ok - README.md lists the chapter files of stage $(n) as the Makefile does" \
	     || echo "not ok - README.md's row of make stage$(n) differs from STAGE$(n) and STAGE$(n)_TESTS";) \
	 } > build/check-stages.out

# The fast loop: the plain build's unit, command-line and reference tests, without the book
# and the sanitizers, of the programs that the chapter files here define (all three, but only
# its own in a stage's folder build/stageN/, where `make test` works too).
test: deps-compile
	$(MAKE) --no-print-directory tangle
	$(MAKE) --no-print-directory build-test
	tests/run --plain --only "$$(cd tangled && ls main-*.c | sed 's/^main-\(.*\)\.c$$/\1/' | tr '\n' ' ')"

bench: deps
	$(MAKE) --no-print-directory tangle
	$(MAKE) --no-print-directory build
	tests/bench

clean:
	rm -rf build bin book/book.pdf book/solutions.pdf

# ---------------------------------------------------------------------------------------------
# The labs: make lab, make lab LAB=NAME, make check-labs (part of make check); see labs.mk.
-include labs.mk
