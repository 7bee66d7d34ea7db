# vmbench: one freestanding image per architecture, host tools and tests.
#
#   make          build BOOTX64.EFI and BOOTAA64.EFI (sets up dependencies first)
#   make run      run the suite in the default QEMU target and print the table
#   make test     host unit tests, fuzz smoke runs and QEMU boot tests
#   make study    every mode, then the study's tables and HTML report
#   make soak     boot every target 100 times (labs 20) under load, count hangs
#
# Dependencies come from Debian's packages through tools/setup; newlib is
# built once per version into the cache outside the clone.

BUILD ?= build
CACHE ?= $(or $(VMBENCH_CACHE),$(HOME)/.cache/vmbench)
export VMBENCH_CACHE := $(CACHE)
RUN_TARGET ?= qemu-x86_64-uefi

.DEFAULT_GOAL := all
# V=1 shows the full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif
.DELETE_ON_ERROR:
.SUFFIXES:

# Each command installs what it needs (tools/setup): building and running
# one set, the tests, the study and the soak the rest.
SETUP_STAMP := $(BUILD)/.setup-run
$(SETUP_STAMP): tools/setup
	tools/setup run
	@mkdir -p $(dir $@) && touch $@
TEST_SETUP_STAMP := $(BUILD)/.setup-test
$(TEST_SETUP_STAMP): tools/setup
	tools/setup test
	@mkdir -p $(dir $@) && touch $@

# Computed once, on first use, after set-up has run.
newlib = $(eval NEWLIB_$(1) := $(shell tools/build-newlib $(1)))$(NEWLIB_$(1))
gnuefi_arm64 = $(firstword $(wildcard $(CACHE)/gnu-efi-arm64-*/usr))

# Everything past the entries: the composition root (boot/main.c) and the
# layers it wires (docs/design.md, "Layers").
KERNEL_SRCS := boot/main.c $(wildcard kernel/*.c kernel/*/*.c drivers/*/*.c bench/*.c)
EFI_SRCS := $(wildcard boot/efi/*.c)
COMMON_SRCS := $(KERNEL_SRCS) $(EFI_SRCS)
WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wformat=2 -Wmissing-prototypes
BASE_CFLAGS := -std=c11 -O2 -g -ffreestanding -fno-stack-protector -fPIE -nostdinc \
	-fno-common -ffunction-sections -fdata-sections $(WARN) -I. -Ikernel/include
# A test build with a fixed delay planted in one benchmark's operation,
# the known regression of tools/abtest's own test: make BUILD=DIR
# PLANT_DELAY=bench:ns. Its own build directory, since objects do not
# depend on flags.
ifneq ($(PLANT_DELAY),)
ifeq ($(BUILD),build)
$(error PLANT_DELAY needs a build directory of its own: make BUILD=DIR PLANT_DELAY=...)
endif
BASE_CFLAGS += -DVMB_PLANT_BENCH=\"$(word 1,$(subst :, ,$(PLANT_DELAY)))\" \
	-DVMB_PLANT_NS=$(word 2,$(subst :, ,$(PLANT_DELAY)))ull
endif

# Linker scripts go through the preprocessor so that they can share parts
# (boot/vmb_sections.lds.h); -undef keeps words like "linux" as they are.
$(BUILD)/%.lds: %.lds $(wildcard boot/*.lds.h)
	@mkdir -p $(dir $@)
	@echo "  LDS     $@"
	$(Q)$(CC) -E -P -x c -undef -nostdinc -Iboot -o $@ $<

# ---------------------------------------------------------------- x86_64
X86_CC := gcc
X86_DIR := $(BUILD)/x86_64
# Each room of kernel/ (arch, irq, timer, hyp) splits by architecture inside.
X86_KERNEL_SRCS := $(KERNEL_SRCS) $(wildcard kernel/*/x86_64/*.c kernel/*/x86_64/*.S \
	bench/arch/x86_64/*.c)
X86_SRCS := $(X86_KERNEL_SRCS) $(EFI_SRCS) $(wildcard boot/x86_64/efi_*.c)
X86_OBJS := $(patsubst %,$(X86_DIR)/%.o,$(X86_SRCS))
X86_PVH_SRCS := $(X86_KERNEL_SRCS) $(wildcard boot/x86_64/pvh*.c boot/x86_64/pvh*.S \
	boot/x86_64/mb2*.c boot/x86_64/mb2*.S boot/x86_64/elf_boot*.c)
X86_PVH_OBJS := $(patsubst %,$(X86_DIR)/%.o,$(X86_PVH_SRCS))
X86_CFLAGS = $(BASE_CFLAGS) -mno-red-zone -isystem $(call newlib,x86_64)/include \
	-idirafter $(shell $(X86_CC) -print-file-name=include) \
	-Ikernel/arch/x86_64/include -I/usr/include/efi -I/usr/include/efi/x86_64 \
	-DGNU_EFI_USE_MS_ABI

$(X86_DIR)/vmbench.so: $(X86_OBJS) $(BUILD)/boot/x86_64/efi.lds
	@echo "  LD      $@"
	$(Q)ld -nostdlib -znocombreloc -z noexecstack -T $(BUILD)/boot/x86_64/efi.lds -shared -Bsymbolic \
		--gc-sections -o $@ /usr/lib/crt0-efi-x86_64.o $(X86_OBJS) \
		-L$(call newlib,x86_64)/lib --start-group -lc -lm \
		$(shell $(X86_CC) -print-libgcc-file-name) --end-group /usr/lib/libgnuefi.a
	@! nm -u $@ | grep . || (echo "undefined symbols in $@" >&2; false)

$(BUILD)/BOOTX64.EFI: $(X86_DIR)/vmbench.so
	@echo "  EFI     $@"
	$(Q)objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
		-j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 --subsystem=10 $< $@

# The PVH ELF: the same kernel objects, entered in 32-bit mode at 1 MiB
# through the PVH note or a multiboot2 loader (GRUB).
$(BUILD)/vmbench-x86_64.elf: $(X86_PVH_OBJS) $(BUILD)/boot/x86_64/pvh.lds
	@echo "  LD      $@"
	$(Q)ld -nostdlib -static -z noexecstack --no-warn-rwx-segments --gc-sections \
		-T $(BUILD)/boot/x86_64/pvh.lds -o $@ $(X86_PVH_OBJS) \
		-L$(call newlib,x86_64)/lib --start-group -lc -lm \
		$(shell $(X86_CC) -print-libgcc-file-name) --end-group
	@! nm -u $@ | grep . || (echo "undefined symbols in $@" >&2; false)

# ---------------------------------------------------------------- arm64
A64_CC := aarch64-linux-gnu-gcc
A64_DIR := $(BUILD)/arm64
A64_SRCS := $(COMMON_SRCS) $(wildcard kernel/*/arm64/*.c kernel/*/arm64/*.S \
	bench/arch/arm64/*.c boot/arm64/*.c boot/arm64/*.S)
A64_OBJS := $(patsubst %,$(A64_DIR)/%.o,$(A64_SRCS))
A64_CFLAGS = $(BASE_CFLAGS) -mstrict-align -isystem $(call newlib,arm64)/include \
	-idirafter $(shell $(A64_CC) -print-file-name=include) \
	-Ikernel/arch/arm64/include -I$(gnuefi_arm64)/include/efi \
	-I$(gnuefi_arm64)/include/efi/aarch64

# The world switch saves and restores FP/SIMD registers itself: its C
# must not use them in between (kernel/hyp/arm64/vcpu_switch.c).
$(A64_DIR)/kernel/hyp/arm64/vcpu_switch.c.o: A64_CFLAGS += -mgeneral-regs-only

$(A64_DIR)/vmbench.elf: $(A64_OBJS) $(BUILD)/boot/arm64/image.lds
	@echo "  LD      $@"
	$(Q)aarch64-linux-gnu-ld -nostdlib -pie --no-dynamic-linker -Bsymbolic -z norelro \
		-z noexecstack --no-warn-rwx-segments --gc-sections -T $(BUILD)/boot/arm64/image.lds -o $@ $(A64_OBJS) \
		-L$(call newlib,arm64)/lib --start-group -lc -lm \
		$(shell $(A64_CC) -print-libgcc-file-name) --end-group
	@! aarch64-linux-gnu-nm -u $@ | grep . || (echo "undefined symbols in $@" >&2; false)

# The same file is BOOTAA64.EFI and an arm64 Linux Image.
$(BUILD)/BOOTAA64.EFI: $(A64_DIR)/vmbench.elf
	@echo "  EFI     $@"
	$(Q)aarch64-linux-gnu-objcopy -O binary $< $@
	@# The PE header promises raw data up to _edata: pad the file to it.
	$(Q)truncate -s $$((0x$$(aarch64-linux-gnu-nm $< | awk '$$3 == "_edata" { print $$1 }'))) $@

# ---------------------------------------------------------------- libfdt
# The device-tree reader is libfdt, third-party code from Debian's sources
# (tools/fetch-libfdt, cached once per version): built with each image's
# flags and warnings (it trips none); strnlen needs _DEFAULT_SOURCE, and
# hidden symbols let the linker drop what the images do not call. Only
# fdt_scan.c includes it.
libfdt = $(or $(LIBFDT_DIR),$(eval LIBFDT_DIR := $(shell tools/fetch-libfdt))$(or \
	$(LIBFDT_DIR),$(error tools/fetch-libfdt found no libfdt)))
# fdt_rw and fdt_wip only because fdt_addresses.c refers to them (the
# images' --gc-sections drops them).
LIBFDT_FILES := fdt fdt_ro fdt_addresses fdt_rw fdt_wip
LIBFDT_CFLAGS = -I$(libfdt) -D_DEFAULT_SOURCE -fvisibility=hidden
X86_LIBFDT_OBJS := $(LIBFDT_FILES:%=$(X86_DIR)/libfdt/%.o)
A64_LIBFDT_OBJS := $(LIBFDT_FILES:%=$(A64_DIR)/libfdt/%.o)
X86_OBJS += $(X86_LIBFDT_OBJS)
X86_PVH_OBJS += $(X86_LIBFDT_OBJS)
A64_OBJS += $(A64_LIBFDT_OBJS)
$(X86_DIR)/vmbench.so $(BUILD)/vmbench-x86_64.elf: $(X86_LIBFDT_OBJS)
$(A64_DIR)/vmbench.elf: $(A64_LIBFDT_OBJS)

# ---------------------------------------------------------------- lwIP
# The TCP/IP stack is lwIP, upstream's code from Debian's source package
# (tools/fetch-source, cached once per version), built with each image's
# flags: raw API, no OS (drivers/net/include/lwipopts.h). Only the network
# code (drivers/net/, bench/net*) sees its headers.
lwip = $(or $(LWIP_DIR),$(eval LWIP_DIR := $(shell tools/fetch-source lwip))$(or \
	$(LWIP_DIR),$(error tools/fetch-source found no lwip)))
LWIP_FILES := core/init core/def core/inet_chksum core/ip core/mem core/memp core/netif \
	core/pbuf core/sys core/tcp core/tcp_in core/tcp_out core/timeouts core/udp \
	core/ipv4/dhcp core/ipv4/etharp core/ipv4/icmp core/ipv4/ip4 core/ipv4/ip4_addr \
	core/ipv4/ip4_frag netif/ethernet apps/lwiperf/lwiperf
LWIP_INC = -Idrivers/net/include -I$(lwip)/src/include
X86_LWIP_OBJS := $(LWIP_FILES:%=$(X86_DIR)/lwip/%.o)
A64_LWIP_OBJS := $(LWIP_FILES:%=$(A64_DIR)/lwip/%.o)
X86_OBJS += $(X86_LWIP_OBJS)
X86_PVH_OBJS += $(X86_LWIP_OBJS)
A64_OBJS += $(A64_LWIP_OBJS)
$(X86_DIR)/vmbench.so $(BUILD)/vmbench-x86_64.elf: $(X86_LWIP_OBJS)
$(A64_DIR)/vmbench.elf: $(A64_LWIP_OBJS)

# ---------------------------------------------------------------- PCI names
# The names the image gives PCI functions come from Debian's pci.ids,
# turned into a table at build time (tools/gen-pci-names).
PCI_IDS ?= /usr/share/misc/pci.ids
PCI_NAMES_C := $(BUILD)/gen/pci_names_table.c
$(PCI_NAMES_C): tools/gen-pci-names | $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)tools/gen-pci-names $(PCI_IDS) > $@
X86_OBJS += $(X86_DIR)/gen/pci_names_table.o
X86_PVH_OBJS += $(X86_DIR)/gen/pci_names_table.o
A64_OBJS += $(A64_DIR)/gen/pci_names_table.o
$(X86_DIR)/vmbench.so $(BUILD)/vmbench-x86_64.elf: $(X86_DIR)/gen/pci_names_table.o
$(A64_DIR)/vmbench.elf: $(A64_DIR)/gen/pci_names_table.o

# ---------------------------------------------------------------- build identity
# The boot record names the commit the image was built from and the flags
# that change its figures (tools/gen-build-id, kernel/include/vmb/build_id.h):
# one small unit per architecture, looked at on every make and rewritten
# only when its text changes, so an unchanged tree relinks nothing.
BUILD_ID_FLAGS = $(filter-out -DGNU_EFI%,$(filter -O% -march=% -mcpu=% -mtune=% -mstrict-align \
	-D%,$(1)))
X86_ARCH := x86_64
A64_ARCH := arm64
X86_OBJS += $(X86_DIR)/gen/build_id.o
X86_PVH_OBJS += $(X86_DIR)/gen/build_id.o
A64_OBJS += $(A64_DIR)/gen/build_id.o
$(X86_DIR)/vmbench.so $(BUILD)/vmbench-x86_64.elf: $(X86_DIR)/gen/build_id.o
$(A64_DIR)/vmbench.elf: $(A64_DIR)/gen/build_id.o
.PHONY: FORCE

# ---------------------------------------------------------------- per architecture
# How one architecture compiles, written once: $(1) is its prefix (X86,
# A64), which names $(1)_DIR, $(1)_CC and $(1)_CFLAGS. The image's own
# sources, libfdt (only fdt_scan.c sees its headers) and lwIP (only the
# network code: drivers/net/, bench/net*).
define arch_rules
$$($(1)_DIR)/%.c.o: %.c | $$(SETUP_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$$(Q)$$($(1)_CC) $$($(1)_CFLAGS) -MMD -MP -c -o $$@ $$<
$$($(1)_DIR)/%.S.o: %.S | $$(SETUP_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$$(Q)$$($(1)_CC) $$($(1)_CFLAGS) -MMD -MP -c -o $$@ $$<

$$($(1)_DIR)/gen/pci_names_table.o: $$(PCI_NAMES_C)
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$$(Q)$$($(1)_CC) $$($(1)_CFLAGS) -c -o $$@ $$<

$(BUILD)/gen/build_id-$$($(1)_ARCH).c: FORCE | $$(SETUP_STAMP)
	@mkdir -p $$(dir $$@)
	$$(Q)tools/gen-build-id $$@ $$(call BUILD_ID_FLAGS,$$($(1)_CFLAGS))
$$($(1)_DIR)/gen/build_id.o: $(BUILD)/gen/build_id-$$($(1)_ARCH).c
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$$(Q)$$($(1)_CC) $$($(1)_CFLAGS) -MMD -MP -c -o $$@ $$<

$$($(1)_DIR)/kernel/fw/fdt_scan.c.o: $(1)_CFLAGS += -I$$(libfdt)
$$($(1)_DIR)/libfdt/%.o: | $$(SETUP_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$$(Q)$$($(1)_CC) $$($(1)_CFLAGS) $$(LIBFDT_CFLAGS) -MMD -MP -c -o $$@ $$(libfdt)/$$*.c

$$($(1)_DIR)/drivers/net/%: $(1)_CFLAGS += $$(LWIP_INC)
$$($(1)_DIR)/bench/net%: $(1)_CFLAGS += $$(LWIP_INC)
$$($(1)_DIR)/lwip/%.o: | $$(SETUP_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$$(Q)$$($(1)_CC) $$($(1)_CFLAGS) $$(LWIP_INC) -fvisibility=hidden -MMD -MP -c -o $$@ $$(lwip)/src/$$*.c
endef
$(eval $(call arch_rules,X86))
$(eval $(call arch_rules,A64))

# ---------------------------------------------------------------- artifacts
# The FIT image for U-Boot's bootm.
$(BUILD)/vmbench.itb: $(BUILD)/BOOTAA64.EFI images/vmbench.its
	@echo "  FIT     $@"
	$(Q)sed 's|@IMAGE@|$(abspath $(BUILD)/BOOTAA64.EFI)|' images/vmbench.its >$(BUILD)/vmbench.its
	$(Q)mkimage -q -f $(BUILD)/vmbench.its $@

# ---------------------------------------------------------------- host
HOSTDIR := $(BUILD)/host
include tests/host.mk
-include tools/vmbreport/report.mk
include tools/peer/peer.mk

IMAGES := $(BUILD)/BOOTX64.EFI $(BUILD)/BOOTAA64.EFI $(BUILD)/vmbench-x86_64.elf \
	$(BUILD)/vmbench.itb

.PHONY: all images artifacts setup run test study soak clean
all: images $(HOSTDIR)/vmb-report $(HOSTDIR)/vmb-peer $(HOSTDIR)/arm64/vmb-peer
images: $(IMAGES)
	@ls -l $(IMAGES) | awk '{ printf "%-28s %7d bytes\n", $$9, $$5 }'
setup: $(SETUP_STAMP)

# What users boot: USB stick, VM disks, PXE tree, FIT, PVH ELF, Image.
artifacts: $(IMAGES)
	images/artifacts $(BUILD) $(BUILD)/artifacts
	@cd $(BUILD)/artifacts && ls -l | awk 'NR > 1 { printf "%-24s %10d bytes\n", $$9, $$5 }'

run: all
	tools/run $(RUN_TARGET) --log $(BUILD)/run-$(RUN_TARGET).log
	@echo
	$(HOSTDIR)/vmb-report $(BUILD)/run-$(RUN_TARGET).log

test: $(TEST_SETUP_STAMP)
	tests/run

# Every mode this machine runs, then the study's tables and HTML report
# (build/study/<time>/). STUDY_ARGS="--iters 200" for a shorter one.
study: all $(TEST_SETUP_STAMP)
	tools/study $(STUDY_ARGS)

# Not part of test: hours. SOAK_ARGS="--runs 5 --lab-runs 2" for less.
soak: all $(TEST_SETUP_STAMP)
	tools/soak $(SOAK_ARGS)

clean:
	rm -rf $(BUILD)

-include $(sort $(X86_OBJS:.o=.d) $(X86_PVH_OBJS:.o=.d)) $(A64_OBJS:.o=.d)
