UNIT_TESTS += fdt acpi
UNIT_SRCS_fdt := tests/unit/test_fdt.c kernel/fw/fdt_scan.c kernel/fw/fwinfo.c $(HOST_LIBFDT_OBJS)
UNIT_CFLAGS_fdt = -I$(libfdt)
UNIT_SRCS_acpi := tests/unit/test_acpi.c kernel/fw/acpi.c kernel/fw/fwinfo.c
FUZZ_TARGETS += fdt acpi
FUZZ_SRCS_fdt := tests/fuzz/fuzz_fdt.c kernel/fw/fdt_scan.c kernel/fw/fwinfo.c $(FUZZ_LIBFDT_OBJS)
FUZZ_CFLAGS_fdt = -I$(libfdt)
FUZZ_SRCS_acpi := tests/fuzz/fuzz_acpi.c kernel/fw/acpi.c kernel/fw/acpi_s5.c kernel/fw/fwinfo.c
