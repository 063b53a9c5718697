# labs.mk -- the labs, included by the Makefile (chapter "Labs" of Part III; labs/mklab).
#
#   make lab              the labs, one name per line
#   make lab LAB=NAME     build/labs/NAME/ and build/labs/NAME.tar.gz for the students
#   make labs             every lab's folder
#   make check-labs       each lab's own test (part of make check): the stubbed folder fails
#                         make grade, the original chunk passes, each planted bug is caught
#
# A lab is defined in one place, labs/NAME.lab.

LABS    := $(basename $(notdir $(wildcard labs/*.lab)))
# A lab's folder holds the chapter files of the first stage that has the lab's chapter.
LABENV   = CHAPTERS='$(CHAPTERS)' STAGE1_FILES='$(STAGE1) $(STAGE1_TESTS)' \
           STAGE2_FILES='$(STAGE2) $(STAGE2_TESTS)' STAGE3_FILES='$(STAGE3) $(STAGE3_TESTS)'
MKLAB    = $(LABENV) labs/mklab

.PHONY: lab labs labs-chapters check-labs
labs-chapters:
	@echo $(CHAPTERS)

# The chapter PDF needs the book's numbers and figures, and the book's .aux for references
# into other chapters, so the folder is made after the book.
lab:
ifeq ($(LAB),)
	@$(MKLAB) list
else
	@$(MKLAB) list | grep -qx '$(LAB)' || { echo "make lab: no lab $(LAB); the labs are:"; $(MKLAB) list; exit 2; }
	$(MAKE) --no-print-directory tangle
	$(MAKE) --no-print-directory build book
	@$(MKLAB) make $(LAB)
endif

labs:
	$(MAKE) --no-print-directory tangle
	$(MAKE) --no-print-directory build book
	@for l in $(LABS); do $(MKLAB) make $$l || exit 1; done

# Each lab's folder is seeded with the objects of the main build, so that only the stubbed
# chapter's files are compiled; two labs are proved at a time.  The results go to
# build/check-labs.out, which make check gives tests/run to count.
check-labs: deps
	@mkdir -p build
	$(MAKE) --no-print-directory tangle
	$(MAKE) --no-print-directory build
	@start=$$(date +%s); mkdir -p build/labs-check; rm -f build/labs-check/*.prove.out; \
	export $(LABENV); \
	printf '%s\n' $(LABS) | xargs -P 2 -I{} sh -c 'labs/mklab prove {} > build/labs-check/{}.prove.out 2>&1'; \
	for l in $(LABS); do cat build/labs-check/$$l.prove.out; done > build/check-labs.out; \
	echo "check-labs: $$(grep -c '^ok' build/check-labs.out) passed, $$(grep -c '^not ok' build/check-labs.out) failed, in $$(( $$(date +%s) - start )) s"; \
	grep '^not ok' build/check-labs.out || true

# The labs' chapter of the book lists them, from their definitions.
build/labs.tex: $(wildcard labs/*.lab) labs/mklab | dirs
	$(MKLAB) tex > $@
book/book.pdf book/solutions.pdf: build/labs.tex
