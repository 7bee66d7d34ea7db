# The network benchmarks' host peer: $(BUILD)/host/vmb-peer.
$(BUILD)/host/vmb-peer: tools/peer/vmb-peer.c | $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -o $@ $<
