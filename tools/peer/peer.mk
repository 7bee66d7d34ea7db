# The network benchmarks' host peer: $(BUILD)/host/vmb-peer for this
# machine, and a static arm64 one for the arm64 KVM lab's host.
$(BUILD)/host/vmb-peer: tools/peer/vmb-peer.c | $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -o $@ $<
$(BUILD)/host/arm64/vmb-peer: tools/peer/vmb-peer.c | $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)aarch64-linux-gnu-gcc -std=c11 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror -static -o $@ $<
