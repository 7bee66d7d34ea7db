# Host unit tests and fuzz targets. Each tests/unit/*.mk adds to
# UNIT_TESTS (name list) and defines UNIT_SRCS_<name>; fuzz targets add to
# FUZZ_TARGETS and define FUZZ_SRCS_<name>. Unit tests run with the
# compiled test data folder as their only argument.

HOSTCC ?= gcc
FUZZCC ?= clang
HOST_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all -I. -Ikernel/include -Itests/unit
FUZZ_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -g -O1 \
	-fsanitize=fuzzer,address,undefined -I. -Ikernel/include


# libfdt (the Makefile's libfdt block) for tests that use the device-tree
# reader: built once for the unit tests and once for the fuzz targets.
HOST_LIBFDT_OBJS := $(LIBFDT_FILES:%=$(HOSTDIR)/libfdt/%.o)
FUZZ_LIBFDT_OBJS := $(LIBFDT_FILES:%=$(HOSTDIR)/libfdt-fuzz/%.o)
$(HOSTDIR)/libfdt/%.o:
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(LIBFDT_CFLAGS) -c -o $@ $(libfdt)/$*.c
$(HOSTDIR)/libfdt-fuzz/%.o:
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZ_CFLAGS) $(LIBFDT_CFLAGS) -c -o $@ $(libfdt)/$*.c

UNIT_TESTS :=
FUZZ_TARGETS :=
include $(wildcard tests/unit/*.mk)

TEST_DTS := $(wildcard tests/data/*.dts)
TEST_DTB := $(patsubst tests/data/%.dts,$(HOSTDIR)/data/%.dtb,$(TEST_DTS))

$(HOSTDIR)/data/%.dtb: tests/data/%.dts
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

define unit_rule
$(HOSTDIR)/test_$(1): $$(UNIT_SRCS_$(1)) $$(wildcard kernel/include/vmb/*.h drivers/*/*.h bench/*.h tests/unit/*.h tools/vmbreport/*.h)
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HOST_CFLAGS) $$(UNIT_CFLAGS_$(1)) -o $$@ $$(UNIT_SRCS_$(1)) $$(UNIT_LIBS_$(1))
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

define fuzz_rule
$(HOSTDIR)/fuzz_$(1): $$(FUZZ_SRCS_$(1)) $$(wildcard kernel/include/vmb/*.h drivers/*/*.h bench/*.h tools/vmbreport/*.h)
	@mkdir -p $$(dir $$@)
	$$(FUZZCC) $$(FUZZ_CFLAGS) $$(FUZZ_CFLAGS_$(1)) -o $$@ $$(FUZZ_SRCS_$(1)) $$(FUZZ_LIBS_$(1))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

UNIT_BINS := $(addprefix $(HOSTDIR)/test_,$(UNIT_TESTS))
FUZZ_BINS := $(addprefix $(HOSTDIR)/fuzz_,$(FUZZ_TARGETS))

.PHONY: unit-build fuzz-build
unit-build: $(UNIT_BINS) $(TEST_DTB)
fuzz-build: $(FUZZ_BINS)
