#include <string.h>

#include <vmb/platform.h>

struct platform the_platform;

const char *mode_name(enum vmb_mode mode)
{
	switch (mode) {
	case MODE_NATIVE:
		return "native";
	case MODE_KVM:
		return "kvm";
	case MODE_XEN:
		return "xen";
	default:
		return "unknown";
	}
}

const char *counter_name(enum counter_kind kind)
{
	switch (kind) {
	case COUNTER_TSC:
		return "tsc";
	case COUNTER_PMCCNTR:
		return "pmccntr";
	case COUNTER_CNTVCT:
		return "cntvct";
	}
	return "none";
}

const char *counter_unit(enum counter_kind kind)
{
	return kind == COUNTER_CNTVCT ? "ticks" : "cycles";
}

enum counter_kind counter_by_name(const char *name)
{
	static const enum counter_kind kinds[] = { COUNTER_TSC, COUNTER_PMCCNTR, COUNTER_CNTVCT };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(name, counter_name(kinds[i])))
			return kinds[i];
	return 0;
}
