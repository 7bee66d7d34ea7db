# The host report tool: $(BUILD)/host/vmb-report from tools/vmbreport/*.c.
# kernel/hist.c: the bucket maths the image writes with, to read buckets back.
REPORT_SRCS := $(wildcard tools/vmbreport/*.c) kernel/hist.c

$(BUILD)/host/vmb-report: $(REPORT_SRCS) $(wildcard tools/vmbreport/*.h) | $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -I. -Ikernel/include -o $@ $(REPORT_SRCS) -lcjson -lm
