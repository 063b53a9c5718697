# Makefile of a lab (written by labs/mklab from labs/lab.mk; see README.md).
#
#   make grade    tangle the chapters, compile what changed, run this lab's checks
#                 (the reference cases once the unit tests pass; make grade ALL=1: always)
#   make tangle   only tangle chunks/*.nw into tangled/
#   make clean    remove what make grade made
#
# The C files are tangled with #line directives, so the compiler's messages point into
# chunks/*.nw; the headers without them, so that a longer or shorter chunk does not change the
# headers and recompile everything.

SHELL       := /bin/bash
.SHELLFLAGS := -o pipefail -ec
.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDARY:

include lab.conf

CC       ?= cc
CFLAGS   ?= -O2 -g
JOBS     ?= 2
ALLFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror $(CFLAGS) -Itangled -Ibuild
LDLIBS   := -llapacke -lopenblas -lRmath -lnlopt -lpthread -lm
NW       := $(CHAPTERS:%=chunks/%.nw)
DATA     := $(sort $(wildcard data/*.csv))

.PHONY: grade tangle programs clean
grade: tangle
	@$(MAKE) --no-print-directory -j$(JOBS) $(UNITS:%=build/%)
	@MAKE='$(MAKE)' LAB='$(LAB)' UNITS='$(UNITS)' MODELS='$(MODELS)' ALL='$(ALL)' JOBS='$(JOBS)' \
	  $(foreach u,$(UNITS),SKIP_$(subst -,_,$(u))='$(SKIP_$(u))') \
	  $(foreach m,$(MODELS),CASES_$(m)='$(CASES_$(m))') ./grade

# Every root chunk named like a C file, except the book's programs, which the lab does not need.
# noweb's markup runs once and nt once per root when they can be found (as notangle does it),
# otherwise notangle per root.
tangle: build/tangle.stamp
build/tangle.stamp: $(NW)
	@mkdir -p build tangled bin
	@roots=$$(noroots $(NW) | sed 's/^<<\(.*\)>>$$/\1/'); \
	lib=$$(sed -n 's/^LIB=//p' "$$(command -v notangle)" 2>/dev/null || true); \
	fast=; if [ -x "$$lib/markup" ] && [ -x "$$lib/nt" ]; then "$$lib/markup" -t $(NW) > build/markup.tmp && fast=1; fi; \
	keep=; \
	for r in $$roots; do \
	  case "$$r" in book-*) continue;; *.c) L=-L;; *.h) L=;; \
	    *) echo "note: the chunk <<$$r>> is defined but used nowhere"; continue;; esac; \
	  if [ -n "$$fast" ]; then "$$lib/nt" -t $$L -R"$$r" < build/markup.tmp > build/tangle.tmp; \
	  else notangle $$L -R"$$r" $(NW) > build/tangle.tmp; fi; \
	  cpif tangled/$$r < build/tangle.tmp; keep="$$keep $$r "; done; \
	for f in tangled/*; do case "$$keep" in *" $${f#tangled/} "*) ;; *) rm -f "$$f";; esac; done; \
	rm -f build/tangle.tmp build/markup.tmp; touch $@

SRC     = $(wildcard tangled/*.c)
HDR     = $(wildcard tangled/*.h)
LIBSRC  = $(filter-out tangled/main-% tangled/test-% tangled/tool-%,$(SRC))
# make grade builds the unit tests first, and the programs of the reference cases only when
# it runs them.
programs: $(UNITS:%=build/%) $(MODELS:%=bin/%) build/tool-jsoncmp

build/%.o: tangled/%.c $(HDR)
	$(CC) $(ALLFLAGS) -c -o $@ $<
build/datasets.o: build/datasets.c $(HDR)
	$(CC) $(ALLFLAGS) -c -o $@ $<
build/libstats.a: $(patsubst tangled/%.c,build/%.o,$(LIBSRC)) build/datasets.o
	@rm -f $@; ar rcs $@ $^
bin/%: build/main-%.o build/libstats.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
build/test-%: build/test-%.o build/libstats.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
build/tool-jsoncmp: build/tool-jsoncmp.o build/libstats.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
build/tool-embed: build/tool-embed.o
	$(CC) $(CFLAGS) -o $@ $^
build/datasets.c: build/tool-embed $(DATA)
	build/tool-embed $(DATA) > $@

clean:
	rm -rf build bin tangled
