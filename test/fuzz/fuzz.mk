# test/fuzz/fuzz.mk - libFuzzer harnesses for the backend-free cores (src/core/)
#
# Included by the top-level Makefile (after PGXS) and usable alone:
#     make fuzz-ci                          # or: make -f test/fuzz/fuzz.mk fuzz-ci
#
# Targets
#   fuzz-build  build every harness into test/fuzz/build/ (clang, libFuzzer,
#               ASan + LSan + UBSan)
#   fuzz-ci     build, then run each harness for FUZZ_SECONDS (default 20)
#   fuzz        build, then run each harness for FUZZ_SECONDS (default 600)
#   fuzz-clean  remove test/fuzz/build/, test/fuzz/work/ and test/fuzz/artifacts/
# A run starts from a copy of test/fuzz/corpus/<harness>/ in test/fuzz/work/
# (the committed corpus is never written to), writes crash/leak/timeout inputs
# to test/fuzz/artifacts/<harness>/, prints one line per harness and a total,
# and fails if anything was found (see test/fuzz/run.sh).
#
# Useful variables: FUZZ_SECONDS, FUZZ_HARNESSES (run a subset, e.g.
# FUZZ_HARNESSES=fuzz_label), FUZZ_MAX_LEN, FUZZ_CC, FUZZ_EXTRA_ARGS (more
# libFuzzer flags, e.g. FUZZ_EXTRA_ARGS=-use_value_profile=1).
#
# ADDING A HARNESS for a new type `foo` (core in src/core/foo.c) is this one
# line, next to the others below:
#     FUZZ_SRCS_fuzz_foo := core_alloc label foo
# naming the src/core/*.c files it links, plus the files it describes:
# test/fuzz/fuzz_foo.c (defines LLVMFuzzerTestOneInput), test/fuzz/corpus/fuzz_foo/
# (seed inputs) and optionally test/fuzz/fuzz_foo.dict (libFuzzer dictionary).
# The harness list is every FUZZ_SRCS_<harness> variable defined here.
#
# Every name here starts with FUZZ_ or fuzz so as not to clash with PGXS, and
# this file defines no default target (the including Makefile's first target
# stays first).

# Alone (make -f test/fuzz/fuzz.mk) no target precedes this file's rules:
# make the default a help text rather than a build.  Included after PGXS,
# the default goal is already `all` and this does nothing.
ifeq ($(.DEFAULT_GOAL),)
.DEFAULT_GOAL := fuzz-help
endif

FUZZ_SRCS_fuzz_label          := core_alloc label
FUZZ_SRCS_fuzz_funnel_stage   := core_alloc label funnel_stage
FUZZ_SRCS_fuzz_maturity_stage := core_alloc label maturity_stage
FUZZ_SRCS_fuzz_maturity_state := core_alloc label maturity_assess
FUZZ_SRCS_fuzz_window_funnel_mode  := core_alloc window_funnel
FUZZ_SRCS_fuzz_window_funnel_state := core_alloc window_funnel
FUZZ_SRCS_fuzz_touch_path      := core_alloc label strtab touch_path
FUZZ_SRCS_fuzz_touch_path_wire := core_alloc label strtab touch_path
FUZZ_SRCS_fuzz_markov := core_alloc label strtab touch_path markov
FUZZ_SRCS_fuzz_markov_binary := core_alloc label strtab touch_path markov
FUZZ_SRCS_fuzz_markov_fit := core_alloc label strtab touch_path markov
FUZZ_SRCS_fuzz_attribution := core_alloc label strtab touch_path attribution
FUZZ_SRCS_fuzz_smart_goal := core_alloc smart_goal
FUZZ_SRCS_fuzz_amount := core_alloc amount

# ---------------------------------------------------------------------------

# test/fuzz, relative to where make runs (the repository root)
FUZZ_DIR       := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
FUZZ_ROOT      := $(patsubst %/,%,$(dir $(FUZZ_DIR)))
FUZZ_ROOT      := $(patsubst %/,%,$(dir $(FUZZ_ROOT)))
FUZZ_CORE_DIR  := $(FUZZ_ROOT)/src/core
FUZZ_BUILD_DIR := $(FUZZ_DIR)/build

FUZZ_HARNESSES ?= $(sort $(patsubst FUZZ_SRCS_%,%,$(filter FUZZ_SRCS_%,$(.VARIABLES))))

FUZZ_CC        ?= clang
FUZZ_SANITIZE  ?= -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS    ?= -g -O1 -Wall -Wextra -Werror
FUZZ_ICU_CFLAGS := $(shell pkg-config --cflags icu-uc icu-i18n 2>/dev/null)
FUZZ_ICU_LIBS   := $(shell pkg-config --libs icu-uc icu-i18n 2>/dev/null)
ifeq ($(strip $(FUZZ_ICU_LIBS)),)
FUZZ_ICU_LIBS   := -licui18n -licuuc -licudata
endif

FUZZ_MAX_LEN    ?= 4096
FUZZ_TIMEOUT    ?= 10
FUZZ_RSS_MB     ?= 2048
FUZZ_EXTRA_ARGS ?=

FUZZ_BINARIES := $(addprefix $(FUZZ_BUILD_DIR)/,$(FUZZ_HARNESSES))

.PHONY: fuzz-build fuzz-ci fuzz fuzz-clean

fuzz-build: $(FUZZ_BINARIES)

# One rule per harness: the harness, the core sources it names, every core
# header and the shared harness headers (test/fuzz/*.h).
define FUZZ_HARNESS_RULE
$(FUZZ_BUILD_DIR)/$(1): $(FUZZ_DIR)/$(1).c $(patsubst %,$(FUZZ_CORE_DIR)/%.c,$(FUZZ_SRCS_$(1))) \
		$(wildcard $(FUZZ_CORE_DIR)/*.h) $(wildcard $(FUZZ_DIR)/*.h) $(FUZZ_DIR)/fuzz.mk
	@mkdir -p $(FUZZ_BUILD_DIR)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SANITIZE) -I$(FUZZ_CORE_DIR) $(FUZZ_ICU_CFLAGS) \
		-o $$@ $(FUZZ_DIR)/$(1).c $(patsubst %,$(FUZZ_CORE_DIR)/%.c,$(FUZZ_SRCS_$(1))) \
		$(FUZZ_ICU_LIBS)
endef
$(foreach h,$(FUZZ_HARNESSES),$(eval $(call FUZZ_HARNESS_RULE,$(h))))

FUZZ_RUN = FUZZ_DIR='$(FUZZ_DIR)' FUZZ_MAX_LEN='$(FUZZ_MAX_LEN)' \
	FUZZ_TIMEOUT='$(FUZZ_TIMEOUT)' FUZZ_RSS_MB='$(FUZZ_RSS_MB)' \
	FUZZ_EXTRA_ARGS='$(FUZZ_EXTRA_ARGS)' \
	sh $(FUZZ_DIR)/run.sh

fuzz-ci: fuzz-build
	@$(FUZZ_RUN) $(or $(FUZZ_SECONDS),20) $(FUZZ_HARNESSES)

fuzz: fuzz-build
	@$(FUZZ_RUN) $(or $(FUZZ_SECONDS),600) $(FUZZ_HARNESSES)

fuzz-clean:
	rm -rf $(FUZZ_BUILD_DIR) $(FUZZ_DIR)/work $(FUZZ_DIR)/artifacts

.PHONY: fuzz-help
fuzz-help:
	@echo "targets: fuzz-build, fuzz-ci (FUZZ_SECONDS=30 per harness), fuzz (FUZZ_SECONDS=600), fuzz-clean"
	@echo "harnesses: $(FUZZ_HARNESSES)"
