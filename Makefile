# budgetpdf — GNU make.  See README.md.
#
#   make            build ./budgetpdf
#   make run        build, then print the JSON of fixtures/pdf/004.pdf (only the
#                   JSON on stdout: `make run | jq .unit`; build lines go to stderr)
#   make install    the binary and the man page under DESTDIR/PREFIX (default /usr/local)
#   make man        build/budgetpdf.1, from `budgetpdf --help` (man/help2man.awk)
#   make test       build; unit tests, golden tests, corpus score; closing "N passed, M failed"
#   make test-asan  the same suite against an ASan/UBSan build (build-asan/)
#   make test-ocr   scanned fixtures and corpus read by OCR, scored (tests/run_ocr.py --full)
#   make valgrind   valgrind --leak-check=full on every fixture PDF
#   make bench      speed and memory against pdftotext -layout (bench/bench.py)
#   make loadtest   2000 documents with -j: flat memory, every output valid (tests/run_load.py)
#   make fuzz       build fuzz/*.c with clang's libFuzzer, run each FUZZ_SECONDS (fuzz/README.md)
#   make deps       install the Debian packages the build and the tests need
#   make fixtures   regenerate fixtures/pdf and fixtures/truth (fixtures/generate.py)
#   make clean
#
# Every target that builds or tests first checks (cheaply) that what it needs is
# installed; as root it installs the missing Debian packages, otherwise it stops
# and prints the apt-get command to run.  CC is overridable: make CC=clang.

SHELL        := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

BUILD  := build
BIN    := budgetpdf
OPT    := -O2
SAN    :=
CFLAGS  = -std=c11 $(OPT) -g -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L
PYTHON := /usr/bin/python3
UNIT_TIMEOUT := 600
RUN_PDF := fixtures/pdf/004.pdf
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  := $(PREFIX)/bin
MANDIR  := $(PREFIX)/share/man
INSTALL ?= install

PKGS := poppler-glib gio-2.0 libpcre2-8 libcjson cairo sqlite3 tesseract
# Evaluated once, on first use (after the dependency check has run).
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $$(shell pkg-config --libs $(PKGS)))$(PKG_LIBS)
ALL_CFLAGS = $(CFLAGS) $(SAN) -I. $(PKG_CFLAGS) $(CPPFLAGS)
LDLIBS     = $(PKG_LIBS) -lm

LIB_SRCS     := $(sort $(wildcard extract/*.c normalize/*.c emit/*.c export/*.c batch/*.c))
LIB_OBJS     := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB          := $(BUILD)/libbudgetpdf.a
MAIN_OBJ     := $(BUILD)/main.o
UNIT_SRCS    := $(sort $(wildcard tests/unit/test_*.c))
UNIT_HELPERS := $(filter-out tests/unit/test_%.c,$(wildcard tests/unit/*.c))
UNIT_HELPER_OBJS := $(UNIT_HELPERS:%.c=$(BUILD)/%.o)
UNIT_BINS    := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Leaks in system libraries that are not ours to free (fontconfig's caches,
# reached through poppler/cairo); one LeakSanitizer "leak:" pattern each.
# cairo_scaled_font_create: poppler's cairo renderer leaks a scaled font on some
# damaged embedded fonts (found by fuzz_pdf; a render-only program leaks the same).
LSAN_SUPPRESS := libfontconfig.so cairo_scaled_font_create

ifneq ($(SAN),)
# Sanitizer reports exit 86 (not 1, which budgetpdf uses for a failed input).
# fast_unwind_on_malloc=0: leak stacks that go through glib (built without frame
# pointers) down to our code.  glib's slice allocator would hide leaks and
# overflows from the sanitizers.
export ASAN_OPTIONS  ?= detect_leaks=1:exitcode=86:fast_unwind_on_malloc=0:check_initialization_order=1:strict_init_order=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1:exitcode=86
export LSAN_OPTIONS  ?= suppressions=$(abspath $(BUILD))/lsan.supp:print_suppressions=0
export G_SLICE       := always-malloc
export G_DEBUG       := gc-friendly
endif

# ---------------------------------------------------------------- dependencies
# Groups: a cheap check, and the Debian packages that satisfy it.
HAVE_BUILD    := command -v $(CC) && command -v pkg-config && pkg-config --exists $(PKGS)
DEB_BUILD     := build-essential pkg-config libpoppler-glib-dev libpcre2-dev libcjson-dev libcairo2-dev libtesseract-dev libsqlite3-dev
# --sqlite (export/sqlite.c) links libsqlite3.
HAVE_SQLITE   := pkg-config --exists sqlite3
DEB_SQLITE    := libsqlite3-dev
# Pages without a text layer are read with Tesseract (extract/ocr.c): its
# simplified-Chinese and English models, and the orientation model.
TESSDATA      := /usr/share/tesseract-ocr/5/tessdata
HAVE_OCR      := test -e $(TESSDATA)/chi_sim.traineddata && test -e $(TESSDATA)/eng.traineddata && test -e $(TESSDATA)/osd.traineddata
DEB_OCR       := tesseract-ocr-chi-sim tesseract-ocr-eng tesseract-ocr-osd
# The unit tests draw their PDFs with fonts: Latin (DejaVu) and CJK (WenQuanYi,
# and poppler-data's CMaps for a non-embedded Adobe CJK font).  run_batch.py
# runs GNU parallel's recipe (parallel) and the progress bar under a
# pseudo-terminal (script, from bsdutils).
HAVE_TEST     := test -x $(PYTHON) && { test -e /usr/lib/python3/dist-packages/jsonschema/__init__.py || $(PYTHON) -c 'import jsonschema'; } \
                 && test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf && test -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc \
                 && test -d /usr/share/poppler/cMap && command -v qpdf && command -v parallel && command -v script
DEB_TEST      := python3 python3-jsonschema fonts-dejavu-core fonts-wqy-zenhei poppler-data qpdf parallel bsdutils
# make bench: pdftotext -layout is the reference, qpdf builds the long document,
# GNU time measures peak memory.
# The review pages are opened in headless Chromium (tests/run_review.py); the
# installed man page is rendered with man -l (tests/run_install.py).
HAVE_REVIEW   := command -v chromium && command -v man && command -v groff
DEB_REVIEW    := chromium man-db groff-base
HAVE_BENCH    := command -v pdftotext && command -v qpdf && test -x /usr/bin/time && test -x $(PYTHON)
DEB_BENCH     := poppler-utils qpdf time python3
# make loadtest: the schema check (jsonschema), GNU time for single-document peaks.
HAVE_LOAD     := test -x /usr/bin/time && test -x $(PYTHON) && { test -e /usr/lib/python3/dist-packages/jsonschema/__init__.py || $(PYTHON) -c 'import jsonschema'; }
DEB_LOAD      := time python3 python3-jsonschema
# tests/run_ocr.py and make test-ocr scan PDFs at test time (fixtures/scan.py):
# pdftoppm renders, PIL turns, soils and compresses, qpdf mixes pages.
HAVE_SCAN     := test -x $(PYTHON) && $(PYTHON) -c 'import PIL' && command -v pdftoppm && command -v qpdf
DEB_SCAN      := python3-pil poppler-utils qpdf
HAVE_ASAN     := echo 'int main(void){return 0;}' | $(CC) $(ASAN_FLAGS) -x c - -o /dev/null
DEB_ASAN      := $(if $(findstring clang,$(CC)),libclang-rt-14-dev,libasan8 libubsan1)
HAVE_VALGRIND := command -v valgrind
DEB_VALGRIND  := valgrind
HAVE_FIXTURES := command -v pdftotext && test -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc && $(PYTHON) -c 'import reportlab'
DEB_FIXTURES  := python3-reportlab fonts-wqy-zenhei poppler-utils
HAVE_FUZZ     := echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n){(void)d; (void)n; return 0;}' | clang -fsanitize=fuzzer,address,undefined -x c - -o /dev/null \
                 && test -x $(PYTHON) && command -v qpdf
DEB_FUZZ      := clang libclang-rt-14-dev python3 qpdf

DEP_GROUPS := BUILD SQLITE OCR
ifneq ($(filter test test-asan deps,$(MAKECMDGOALS)),)
DEP_GROUPS += REVIEW
endif
ifneq ($(filter test test-asan test-ocr deps,$(MAKECMDGOALS)),)
DEP_GROUPS += TEST
endif
ifneq ($(filter test test-asan test-ocr bench deps,$(MAKECMDGOALS)),)
DEP_GROUPS += SCAN
endif
ifneq ($(filter test-asan,$(MAKECMDGOALS)),)
DEP_GROUPS += ASAN
endif
ifneq ($(filter valgrind,$(MAKECMDGOALS)),)
DEP_GROUPS += VALGRIND
endif
ifneq ($(filter fixtures,$(MAKECMDGOALS)),)
DEP_GROUPS += FIXTURES
endif
ifneq ($(filter fuzz fuzz-run,$(MAKECMDGOALS)),)
DEP_GROUPS += FUZZ
endif
ifneq ($(filter bench,$(MAKECMDGOALS)),)
DEP_GROUPS += BENCH
endif
ifneq ($(filter loadtest,$(MAKECMDGOALS)),)
DEP_GROUPS += LOAD
endif

depcheck:
	@missing=""; \
	$(foreach g,$(DEP_GROUPS),( $(HAVE_$(g)) ) >/dev/null 2>&1 || missing="$$missing $(DEB_$(g))";) \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "budgetpdf: missing Debian packages. As root, run:" >&2; \
	  echo "  apt-get update && apt-get install -y --no-install-recommends$$missing" >&2; \
	  exit 1; \
	fi; \
	echo "deps: installing$$missing"; \
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing || exit 1; \
	$(foreach g,$(DEP_GROUPS),( $(HAVE_$(g)) ) >/dev/null 2>&1 || { echo "deps: still missing after install: $(DEB_$(g))" >&2; exit 1; };)

deps: depcheck

# ---------------------------------------------------------------- build
all: $(BIN)

$(BUILD)/%.o: %.c | depcheck
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB) | depcheck
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB) $(LDLIBS)

$(UNIT_BINS): $(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(UNIT_HELPER_OBJS) $(LIB) | depcheck
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $< $(UNIT_HELPER_OBJS) $(LIB) $(LDLIBS)

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_HELPER_OBJS:.o=.d) $(UNIT_SRCS:%.c=$(BUILD)/%.d)

$(BUILD)/lsan.supp: Makefile
	@mkdir -p $(@D)
	@printf 'leak:%s\n' $(LSAN_SUPPRESS) > $@

# ---------------------------------------------------------------- run and test
# Only the JSON on stdout, even when this builds first: the build's lines
# (and the dependency check's) go to stderr.
run:
	@$(MAKE) --no-print-directory $(BIN) >&2
	@test -f $(RUN_PDF) || { echo "$(RUN_PDF) is not there yet" >&2; exit 1; }
	@./$(BIN) $(RUN_PDF)

# The man page is `budgetpdf --help` made roff (man/help2man.awk) with the
# FILES and EXAMPLES of man/budgetpdf.1.extra: one text for both.
$(BUILD)/budgetpdf.1: $(BIN) man/help2man.awk man/budgetpdf.1.extra
	@mkdir -p $(@D)
	./$(BIN) --help | awk -v version="$$(./$(BIN) --version)" -v extra=man/budgetpdf.1.extra -f man/help2man.awk > $@

man: $(BUILD)/budgetpdf.1

install: $(BIN) $(BUILD)/budgetpdf.1
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 755 $(BIN) $(DESTDIR)$(BINDIR)/budgetpdf
	$(INSTALL) -m 644 $(BUILD)/budgetpdf.1 $(DESTDIR)$(MANDIR)/man1/budgetpdf.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/budgetpdf $(DESTDIR)$(MANDIR)/man1/budgetpdf.1

# Runs each suite, shows its output and reads its closing "N passed, M failed
# [, K skipped]" line; a suite without that line, or that exits non-zero with no
# failure counted, counts as one failure.  The last line is the sum over all.
# The unit tests write their PDFs under TMPDIR, a folder of this run's own:
# two runs at once (two checkouts on one machine) would otherwise overwrite
# each other's files by name.
# A GLib critical (a library call on a bad argument) aborts the test that
# caused it, so that it fails rather than scrolls past.
test: export G_DEBUG = fatal-criticals
test: $(BIN) $(UNIT_BINS) $(if $(SAN),$(BUILD)/lsan.supp) | depcheck
	@re='([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?'; \
	log=$$(mktemp); units=$$(mktemp -d); trap 'rm -rf "$$log" "$$units"' EXIT; P=0; F=0; S=0; table=""; \
	suite() { \
	  local name=$$1; shift; echo "== $$name"; \
	  "$$@" 2>&1 | tee "$$log"; local rc=$${PIPESTATUS[0]}; \
	  local line=$$(grep -E "^([A-Za-z_-]+: )?$$re[[:space:]]*$$" "$$log" | tail -n 1); \
	  local p=0 f=1 s=0 note=""; \
	  if [[ $$line =~ $$re ]]; then p=$${BASH_REMATCH[1]}; f=$${BASH_REMATCH[2]}; s=$${BASH_REMATCH[4]:-0}; \
	  else note=" (no closing 'N passed, M failed' line; exit $$rc: counted as 1 failure)"; fi; \
	  if [ "$$rc" -ne 0 ] && [ "$$f" -eq 0 ]; then f=1; note=" (exit $$rc: counted as 1 failure)"; fi; \
	  if [ "$$s" -gt 0 ] && [ -z "$$note" ]; then note=" ($$(grep -m 1 '^SKIP' "$$log" | cut -c 1-200))"; fi; \
	  P=$$((P + p)); F=$$((F + f)); S=$$((S + s)); \
	  table+="$$(printf '  %-40s %s passed, %s failed, %s skipped%s' "$$name" $$p $$f $$s "$$note")"$$'\n'; \
	}; \
	$(foreach t,$(UNIT_BINS),suite $(t) env TMPDIR="$$units" timeout $(UNIT_TIMEOUT) $(t);) \
	suite golden $(PYTHON) tests/run_golden.py --bin $(BIN); \
	suite geometry $(PYTHON) tests/run_geometry.py --bin $(BIN); \
	suite producers $(PYTHON) tests/run_producers.py --bin $(BIN); \
	suite badinput $(PYTHON) tests/run_badinput.py --bin $(BIN); \
	suite batch $(PYTHON) tests/run_batch.py --bin $(BIN); \
	suite faults $(PYTHON) tests/run_faults.py --bin $(BIN); \
	suite export $(PYTHON) tests/run_export.py --bin $(BIN); \
	suite review $(PYTHON) tests/run_review.py --bin $(BIN) --out $(BUILD)/review; \
	suite install $(PYTHON) tests/run_install.py --bin $(BIN) --build $(BUILD) --make "$(MAKE)"; \
	suite corpus $(PYTHON) tests/run_corpus.py --bin $(BIN); \
	suite meaning $(PYTHON) tests/run_meaning.py --bin $(BIN); \
	suite ocr $(PYTHON) tests/run_ocr.py --bin $(BIN); \
	echo "== summary$(if $(SAN), ($(BUILD): $(SAN)))"; printf '%s' "$$table"; \
	if [ "$$S" -gt 0 ]; then echo "$$P passed, $$F failed, $$S skipped"; else echo "$$P passed, $$F failed"; fi; \
	[ "$$F" -eq 0 ]

# Every fixture and the Jiangsu corpus scanned at test time (fixtures/scan.py:
# turned, soiled, JPEG, seals, a sideways page, a mixed document), read by OCR
# and scored against the originals' truth (tests/run_ocr.py --full).  Long:
# every page is read by OCR; not part of `make test`.
test-ocr: $(BIN) | depcheck
	@$(PYTHON) tests/run_ocr.py --full --bin $(BIN)

test-asan: depcheck
	@$(MAKE) --no-print-directory BUILD=build-asan BIN=build-asan/budgetpdf OPT=-O1 SAN="$(ASAN_FLAGS)" test

valgrind: $(BIN) | depcheck
	@shopt -s nullglob; pdfs=(fixtures/pdf/*.pdf); P=0; F=0; \
	if [ $${#pdfs[@]} -eq 0 ]; then echo "SKIP valgrind: no fixtures/pdf/*.pdf"; echo "0 passed, 0 failed, 1 skipped"; exit 0; fi; \
	for f in "$${pdfs[@]}"; do \
	  if G_SLICE=always-malloc G_DEBUG=gc-friendly valgrind -q --leak-check=full --error-exitcode=1 \
	       --suppressions=tests/valgrind.supp \
	       ./$(BIN) "$$f" > /dev/null; then echo "PASS valgrind $$f"; P=$$((P + 1)); \
	  else echo "FAIL valgrind $$f"; F=$$((F + 1)); fi; \
	done; \
	echo "$$P passed, $$F failed"; [ "$$F" -eq 0 ]

# ---------------------------------------------------------------- bench
# Pages per second single-threaded and with -j, against pdftotext -layout on the
# same files (fixtures and the development corpus), peak memory per worker, and a
# long synthetic document (built in /tmp) for linear growth.  BENCH_RUNS rounds
# (default 3), the best kept; bench/README.md says how to read it and profile.
bench: $(BIN) | depcheck
	@$(PYTHON) bench/bench.py --bin $(BIN)

# One batch of LOAD_DOCS documents (fixtures repeated, and the corpus when it is
# there) with -j at the processor count, watched in /proc: flat parent memory,
# bounded workers, no process left, every output valid.  About 4 minutes on 2
# processors; not part of `make test`.  tests/README.md.
LOAD_DOCS := 2000
loadtest: $(BIN) | depcheck
	@$(PYTHON) tests/run_load.py --bin $(BIN) --docs $(LOAD_DOCS)

# ---------------------------------------------------------------- fuzzing
# fuzz/fuzz_*.c are libFuzzer targets.  `make fuzz` builds them and the library
# with clang, libFuzzer's coverage, ASan and UBSan in build/fuzz/, then runs each
# for FUZZ_SECONDS.  Corpora: build/fuzz/corpus/TARGET (kept between runs), read
# with the seeds: fixtures/pdf and what fuzz/make_seeds.py writes into
# build/fuzz/seeds/.  A crash is saved as build/fuzz/crashes/TARGET-*.  Extra
# libFuzzer flags: FUZZ_FLAGS (e.g. FUZZ_FLAGS=-fork=4).
FUZZ_SECONDS := 60
FUZZ_FLAGS   :=
FUZZ_TARGETS := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
-include $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%.d)
FUZZ_ARGS_fuzz_pdf       := -max_len=1048576 -timeout=60 -rss_limit_mb=4096 -entropic_scale_per_exec_time=1 -dict=fuzz/pdf.dict fixtures/pdf $(BUILD)/seeds/pdf
FUZZ_ARGS_fuzz_normalize := -max_len=16384 -timeout=30 $(BUILD)/seeds/layout
FUZZ_ARGS_fuzz_options   := -max_len=512 -timeout=10 -dict=fuzz/options.dict
FUZZ_ARGS_fuzz_walk      := -max_len=512 -timeout=10
FUZZ_ARGS_fuzz_pagetree  := -max_len=1048576 -timeout=10 -dict=fuzz/pdf.dict fixtures/pdf $(BUILD)/seeds/pdf

fuzz: depcheck
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang OPT=-O1 \
	  SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" fuzz-run

$(FUZZ_TARGETS:%=$(BUILD)/%): $(BUILD)/%: $(BUILD)/fuzz/%.o $(LIB) | depcheck
	$(CC) $(CFLAGS) $(SAN) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# ASAN_OPTIONS: as for test-asan, less fast_unwind_on_malloc=0 (too slow here).
# Hence leak stacks stop inside libraries built without frame pointers, and the
# cairo leak above is suppressed by library name here (by function in test-asan).
fuzz-run: $(FUZZ_TARGETS:%=$(BUILD)/%) | depcheck
	@printf 'leak:%s\n' $(LSAN_SUPPRESS) libcairo.so > $(BUILD)/lsan.supp; \
	$(PYTHON) fuzz/make_seeds.py $(BUILD)/seeds; F=0; \
	$(foreach t,$(FUZZ_TARGETS),mkdir -p $(BUILD)/corpus/$(t) $(BUILD)/crashes; \
	  echo "== $(t) ($(FUZZ_SECONDS) s)"; \
	  ASAN_OPTIONS=detect_leaks=1:exitcode=86 ./$(BUILD)/$(t) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(BUILD)/crashes/$(t)- $(FUZZ_FLAGS) $(BUILD)/corpus/$(t) $(FUZZ_ARGS_$(t)) \
	    > $(BUILD)/$(t).log 2>&1; rc=$$?; grep -v '^some font thing failed' $(BUILD)/$(t).log | tail -n 12; \
	  if [ $$rc -ne 0 ]; then echo "FAIL $(t): exit $$rc, see $(BUILD)/$(t).log and $(BUILD)/crashes/"; F=$$((F + 1)); \
	  else echo "PASS $(t): $$(grep -oE '^#[0-9]+' $(BUILD)/$(t).log | tail -n 1 | tr -d '#') runs in $(FUZZ_SECONDS) s, no crash"; fi;) \
	[ "$$F" -eq 0 ]

# Regenerates fixtures/pdf and fixtures/truth from fixtures/data (the results are committed).
fixtures: | depcheck
	$(PYTHON) fixtures/generate.py --verify

clean:
	rm -rf build build-asan budgetpdf

.PHONY: all run man install uninstall test test-asan test-ocr valgrind bench loadtest fixtures clean deps depcheck fuzz fuzz-run
