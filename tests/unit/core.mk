UNIT_TESTS += stats options jsonw
UNIT_SRCS_stats := tests/unit/test_stats.c bench/stats.c
UNIT_SRCS_options := tests/unit/test_options.c kernel/options.c
UNIT_SRCS_jsonw := tests/unit/test_jsonw.c kernel/jsonw.c
FUZZ_TARGETS += options
FUZZ_SRCS_options := tests/fuzz/fuzz_options.c kernel/options.c
UNIT_TESTS += acpi_s5
UNIT_SRCS_acpi_s5 := tests/unit/test_acpi_s5.c kernel/fw/acpi_s5.c
