# mops - PostgreSQL extension build (PGXS)
#
# The two commands a user needs are `make demo` and `make test`; both work on
# a fresh Debian 12 machine as root: they install the Debian packages they
# need (tools/deps.sh) before anything here needs pg_config.

EXTENSION  = mops
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" mops.control)

PG_CONFIG ?= $(shell test -x /usr/lib/postgresql/15/bin/pg_config && echo /usr/lib/postgresql/15/bin/pg_config || echo pg_config)

MODULE_big = mops

# Backend-free cores (no PostgreSQL includes: fuzzers and unit tests link them)
CORE_OBJS = \
	src/core/core_alloc.o \
	src/core/label.o \
	src/core/funnel_stage.o \
	src/core/maturity_stage.o \
	src/core/maturity_assess.o \
	src/core/budget.o \
	src/core/window_funnel.o \
	src/core/touch_path.o \
	src/core/attribution.o \
	src/core/strtab.o \
	src/core/markov.o \
	src/core/smart_goal.o \
	src/core/amount.o

# PostgreSQL faces, one per concept
FACE_OBJS = \
	src/mops.o \
	src/label.o \
	src/funnel_stage.o \
	src/maturity_stage.o \
	src/maturity_assess.o \
	src/budget.o \
	src/conditions.o \
	src/window_funnel.o \
	src/retention.o \
	src/touch_path.o \
	src/path_agg.o \
	src/attribution.o \
	src/markov.o \
	src/smart_goal.o \
	src/amount.o \
	src/demo_data.o

OBJS = $(CORE_OBJS) $(FACE_OBJS)

# The install script is generated from the per-concept SQL next to the C code,
# in this order (later files use earlier ones).
# <type>.ordering.sql is generated from src/ordering.sql.in for each ordered type.
SQL_SOURCES = \
	src/mops.sql \
	src/label.sql \
	src/funnel_stage.sql src/funnel_stage.ordering.sql \
	src/maturity_stage.sql src/maturity_stage.ordering.sql \
	src/maturity_assess.sql \
	src/budget.sql \
	src/window_funnel.sql \
	src/retention.sql \
	src/touch_path.sql src/touch_path.ordering.sql \
	src/attribution.sql \
	src/markov.sql src/markov_model.ordering.sql \
	src/channel_group.sql \
	src/smart_goal.sql src/smart_goal.ordering.sql \
	src/amount.sql \
	src/data_model.sql \
	src/kpi.sql \
	src/demo_data.sql

DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(wildcard upgrade/$(EXTENSION)--*--*.sql)

# pg_regress: every sql/*.sql, `setup` first
REGRESS_TESTS = $(sort $(filter-out setup,$(patsubst sql/%.sql,%,$(wildcard sql/*.sql))))
REGRESS = setup $(REGRESS_TESTS)
REGRESS_OPTS = --inputdir=. --load-extension=plpgsql

ICU_CFLAGS := $(shell pkg-config --cflags icu-uc icu-i18n 2>/dev/null)
ICU_LIBS   := $(shell pkg-config --libs icu-uc icu-i18n 2>/dev/null)

PG_CPPFLAGS = -I$(srcdir)/src $(ICU_CFLAGS)
# PostgreSQL's own headers trip -Wunused-parameter (PG_FUNCTION_ARGS) and
# -Wmissing-field-initializers; everything else in -Wextra is on.
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
SHLIB_LINK += $(ICU_LIBS)

EXTRA_CLEAN = $(EXTENSION)--*.sql src/*.ordering.sql results regression.diffs regression.out test/fuzz/build

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(PGXS),)
include $(PGXS)
else
# Without the server headers only the targets below are useful; they install
# what is missing first.
all:
	@echo "PostgreSQL server headers not found: run 'make demo' or 'make test' (they install them), or tools/deps.sh" >&2
	@exit 1
endif

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_SOURCES) mops.control
	cat $(SQL_SOURCES) > $@

src/%.ordering.sql: src/ordering.sql.in
	sed 's/@TYPE@/$*/g' $< > $@

include test/fuzz/fuzz.mk

.PHONY: demo test stop bench bench-ci valgrind valgrind-ci

# Install dependencies, build, install, start a private cluster, run the demo.
demo:
	tools/demo.sh

# Install dependencies, build, install, start a private cluster and run every
# test suite (pg_regress, pgTAP, bounded fuzzing); the cluster is stopped at
# the end, also on failure.
test:
	tools/test.sh

# Stop the private cluster if a demo left it running (KEEP=1).
stop:
	tools/cluster.sh stop

# Benchmarks against a running server (eval "$$(tools/cluster.sh env)"):
# the full run, and the bounded one the test suite runs.
bench:
	test/bench/run.sh

bench-ci:
	test/bench/run.sh --ci

# pg_regress tests against a server under valgrind memcheck; fails on any
# report whose stack passes through mops.so.  valgrind-ci is the bounded set
# the test suite runs.
VALGRIND_CI_TESTS = normalize_label funnel_stage_errors funnel_custom maturity_stage window_funnel window_funnel_modes attribution markov smart_goal maturity_assess budget amount

valgrind:
	tools/valgrind.sh

valgrind-ci:
	tools/valgrind.sh $(VALGRIND_CI_TESTS)
