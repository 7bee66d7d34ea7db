UNIT_TESTS += logparse
UNIT_SRCS_logparse := tests/unit/test_logparse.c tools/vmbreport/logparse.c tools/vmbreport/lavalog.c tools/vmbreport/loghist.c kernel/hist.c
UNIT_CFLAGS_logparse := -Itools/vmbreport
UNIT_LIBS_logparse := -lcjson
FUZZ_TARGETS += logparse
FUZZ_SRCS_logparse := tests/fuzz/fuzz_logparse.c tools/vmbreport/logparse.c tools/vmbreport/lavalog.c tools/vmbreport/loghist.c
FUZZ_CFLAGS_logparse := -Itools/vmbreport
FUZZ_LIBS_logparse := -lcjson
UNIT_TESTS += study_cell
UNIT_SRCS_study_cell := tests/unit/test_study_cell.c tools/vmbreport/study_cell.c tools/vmbreport/logparse.c tools/vmbreport/lavalog.c tools/vmbreport/loghist.c
UNIT_CFLAGS_study_cell := -Itools/vmbreport
UNIT_LIBS_study_cell := -lcjson
UNIT_TESTS += abstat
UNIT_SRCS_abstat := tests/unit/test_abstat.c tools/vmbreport/abstat.c
UNIT_CFLAGS_abstat := -Itools/vmbreport
UNIT_LIBS_abstat := -lm
UNIT_TESTS += compare
UNIT_SRCS_compare := tests/unit/test_compare.c tools/vmbreport/compare.c \
	tools/vmbreport/compare_out.c tools/vmbreport/abstat.c tools/vmbreport/logparse.c tools/vmbreport/lavalog.c \
	tools/vmbreport/loghist.c tools/vmbreport/plots.c tools/vmbreport/provenance.c \
	kernel/hist.c
UNIT_CFLAGS_compare := -Itools/vmbreport
UNIT_LIBS_compare := -lcjson -lm
UNIT_TESTS += lavalog
UNIT_SRCS_lavalog := tests/unit/test_lavalog.c tools/vmbreport/lavalog.c
UNIT_CFLAGS_lavalog := -Itools/vmbreport
