UNIT_TESTS += logparse
UNIT_SRCS_logparse := tests/unit/test_logparse.c tools/vmbreport/logparse.c
UNIT_CFLAGS_logparse := -Itools/vmbreport
UNIT_LIBS_logparse := -lcjson
FUZZ_TARGETS += logparse
FUZZ_SRCS_logparse := tests/fuzz/fuzz_logparse.c tools/vmbreport/logparse.c
FUZZ_CFLAGS_logparse := -Itools/vmbreport
FUZZ_LIBS_logparse := -lcjson
